"""The API's OpenAPI 3.1 description, for a case system or an AI assistant
platform to import: every route, every answer (errors too, each a JSON
object with a Swedish message and what to do) and the shape of each JSON
body. tests/test_web_api.py validates the description itself and every
answer the tests get against it."""

from __future__ import annotations

from typing import Any

from policygen import __version__
from policygen.vocabulary import DOC_TYPES, SEVERITIES, STYLES

_NULLABLE_STRING = {"type": ["string", "null"]}
_NULLABLE_INT = {"type": ["integer", "null"]}

SCHEMAS: dict[str, Any] = {
    "Fel": {
        "type": "object", "description": "Ett fel, på svenska, med vad den som anropar kan göra åt det.",
        "required": ["status", "fel", "atgard"], "additionalProperties": False,
        "properties": {
            "status": {"type": "integer", "description": "Samma som svarets HTTP-statuskod."},
            "fel": {"type": "string", "description": "Vad som var fel."},
            "atgard": {"type": "string", "description": "Vad den som anropar kan göra."},
            "plats": {"type": "string", "description": "Var i det skickade felet finns (fil:rad:kolumn)."},
            "problem": {"type": "array", "description": "Alla fel i en profil, ett per fält.",
                        "items": {"$ref": "#/components/schemas/Profilfel"}},
        },
    },
    "Profilfel": {
        "type": "object", "required": ["falt", "fel", "atgard"], "additionalProperties": False,
        "properties": {"falt": {"type": "string", "description": "Fältets sökväg i profilen, t.ex. kommun.namn."},
                       "fel": {"type": "string"}, "atgard": _NULLABLE_STRING},
    },
    "Plats": {
        "type": "object", "required": ["section", "paragraph", "page", "footnote"],
        "properties": {"section": _NULLABLE_STRING, "paragraph": _NULLABLE_INT, "page": _NULLABLE_INT,
                       "footnote": _NULLABLE_STRING, "start": _NULLABLE_INT, "end": _NULLABLE_INT},
    },
    "Anmarkning": {
        "type": "object", "description": "En anmärkning mot utkastet.",
        "required": ["rule", "category", "coverage_id", "severity", "message", "why", "location", "evidence",
                     "replacement", "suggested_clauses", "fact"],
        "additionalProperties": False,
        "properties": {
            "rule": {"type": "string", "description": "Regelns id (se /regler)."},
            "category": {"type": "string"}, "coverage_id": _NULLABLE_STRING,
            "severity": {"enum": list(SEVERITIES)}, "message": {"type": "string"}, "why": {"type": "string"},
            "location": {"$ref": "#/components/schemas/Plats"}, "evidence": _NULLABLE_STRING,
            "replacement": _NULLABLE_STRING,
            "suggested_clauses": {"type": "array", "items": {"type": "string"},
                                  "description": "Klausuler ur policygens bibliotek som täcker bristen."},
            "fact": {**_NULLABLE_STRING,
                     "description": "Uppgiften i faktaregistret som en faktaanmärkning bygger på (se policygen fakta)."},
        },
    },
    "Granskning": {
        "type": "object",
        "description": "Granskningen av ett utkast: samma JSON som 'policygen lint --format json' ger för en fil.",
        "required": ["file", "doc_type", "doc_type_source", "kommun", "kommun_source", "on_topic", "coverage",
                     "findings", "summary"],
        "additionalProperties": False,
        "properties": {
            "file": {"type": "string", "description": "Filnamnet utkastet skickades med."},
            "doc_type": {"enum": list(DOC_TYPES)}, "doc_type_source": {"type": "string"},
            "kommun": _NULLABLE_STRING, "kommun_source": {"type": "string"}, "on_topic": {"type": "boolean"},
            "coverage": {
                "type": "object", "description": "De tolv delarna ur granskningsmallen, per id.",
                "additionalProperties": {
                    "type": "object", "required": ["status", "name", "evidence", "reason"],
                    "properties": {
                        "status": {"enum": ["present", "partial", "missing"]}, "name": {"type": "string"},
                        "evidence": {"type": "array", "items": {
                            "type": "object", "required": ["text", "location"],
                            "properties": {"text": {"type": "string"},
                                           "location": {"$ref": "#/components/schemas/Plats"}}}},
                        "reason": _NULLABLE_STRING}}},
            "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Anmarkning"}},
            "summary": {
                "type": "object",
                "required": ["present", "partial", "missing", "errors", "warnings", "infos", "accepted", "omitted",
                             "omitted_by_rule"],
                "properties": {**{key: {"type": "integer"} for key in
                                  ("present", "partial", "missing", "errors", "warnings", "infos", "accepted",
                                   "omitted")},
                               "omitted_by_rule": {"type": "object", "additionalProperties": {"type": "integer"}}}},
        },
    },
    "Regel": {
        "type": "object",
        "required": ["id", "name", "category", "severity", "severity_by_type", "message", "why", "source", "as_of",
                     "coverage_id", "examples", "details", "kind"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}, "category": {"type": "string"},
            "severity": {"enum": list(SEVERITIES)},
            "severity_by_type": {"type": ["object", "null"], "additionalProperties": {"enum": list(SEVERITIES)},
                                 "description": "Nivån per dokumenttyp, för täckningsreglerna."},
            "message": {"type": "string"}, "why": {"type": "string"}, "source": {"type": "string"},
            "as_of": {**_NULLABLE_STRING, "description": "Datum då regelns fakta senast kontrollerades."},
            "coverage_id": _NULLABLE_STRING,
            "examples": {"type": ["object", "null"], "required": ["bad", "good"],
                         "properties": {"bad": {"type": "string"}, "good": {"type": "string"}}},
            "details": {"type": "array", "items": {"type": "string"}}, "kind": _NULLABLE_STRING,
        },
    },
    "Regler": {
        "type": "object", "required": ["rules"], "additionalProperties": False,
        "properties": {"rules": {"type": "array", "items": {"$ref": "#/components/schemas/Regel"}}},
    },
    "Profil": {
        "type": "object",
        "description": "En kommunprofil, samma fält som i profilfilen (YAML) som 'policygen init' skapar. "
                       "Schemat för alla fält finns i policygens dokumentation (profile.schema.json).",
        "required": ["kommun"],
        "properties": {"kommun": {"type": "object", "properties": {"namn": {"type": "string"},
                                                                   "kommunkod": {"type": "string"}}},
                       "stil": {"enum": list(STYLES)}},
    },
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Fel"}}}}


def _retry(description: str) -> dict[str, Any]:
    return {**_error(description),
            "headers": {"Retry-After": {"description": "Sekunder att vänta innan nästa försök.",
                                        "schema": {"type": "integer"}}}}


_COMMON = {
    "400": _error("Anropet stämmer inte (ett okänt värde i en parameter, ett saknat fält, ett trasigt formulär), "
                  "eller servern svarar inte under det namnet."),
    "403": _error("Anropet kom från en webbläsare på en annan webbplats (en webbsida får inte anropa API:t)."),
    "408": _error("Kroppen kom fram för långsamt."),
    "413": _error("Det skickade är för stort (50 MB för ett utkast, 2 MB för en profil), eller för stort för "
                  "tjänstens gränser när det lästes (sidor, tecken, minne, tid)."),
    "415": _error("Innehållstypen tas inte emot."),
    "422": _error("Filen gick inte att använda (fel filtyp, skadad fil, fel i profilen)."),
    "429": _retry("Samma klient har redan anrop som bearbetas."),
    "500": _error("Ett oväntat fel; inget har sparats."),
    "503": _retry("Servern hinner inte ta emot fler anrop just nu."),
}


def _responses(ok: dict[str, Any], *codes: str, key_required: bool) -> dict[str, Any]:
    responses = {"200": ok, **{code: _COMMON[code] for code in codes}}
    if key_required:
        responses["401"] = _error("API-nyckeln saknas eller stämmer inte.")
    return dict(sorted(responses.items()))


def openapi_document(server_url: str, key_required: bool) -> dict[str, Any]:
    """The description; `server_url` is where this server's API answers."""
    draft_types = {
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["utkast"],
            "properties": {"utkast": {"type": "string", "contentMediaType": "application/octet-stream",
                                      "description": "Utkastet: .docx, .pdf, .txt eller .md (högst 50 MB)."},
                           "doc_type": {"enum": list(DOC_TYPES)}, "kommun": {"type": "string"}}}},
        **{media: {"schema": {"type": "string", "contentMediaType": media}}
           for media in ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         "application/pdf", "text/plain", "text/markdown")},
    }
    profile_types = {
        "application/json": {"schema": {"$ref": "#/components/schemas/Profil"}},
        "application/yaml": {"schema": {"type": "string"}},
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["profil"],
            "properties": {"profil": {"type": "string", "contentMediaType": "application/octet-stream",
                                      "description": "Profilfilen (.yaml eller .json, högst 1 MB)."}}}},
    }
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "policygen – styrdokument om samverkan med sociala företag",
            "version": __version__,
            "description": (
                "Granska utkast till styrdokument mot SKR:s framgångsfaktorer och skapa policy, riktlinjer och "
                "handlingsplan från en kommunprofil. Inget som skickas sparas: filer finns bara medan anropet "
                "bearbetas. Alla fel är JSON med ett svenskt meddelande ('fel') och vad man kan göra ('atgard')."
                + (" Anropen kräver API-nyckel (Authorization: Bearer NYCKEL eller X-API-Key: NYCKEL)."
                   if key_required else "")),
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/granska": {"post": {
                "operationId": "granskaUtkast",
                "summary": "Granska ett utkast",
                "description": "Utkastet granskas mot granskningsreglerna; svaret är samma JSON som "
                               "'policygen lint --format json' ger.",
                "parameters": [
                    {"name": "doc_type", "in": "query", "required": False, "schema": {"enum": list(DOC_TYPES)},
                     "description": "Dokumenttypen; utelämnad avgörs den av titel och rubriker."},
                    {"name": "kommun", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "Kommunens namn eller kommunkod; utelämnad avgörs den av texten."},
                    {"name": "filnamn", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "Filnamnet i svaret när utkastet skickas som hela kroppen."},
                ],
                "requestBody": {"required": True, "content": draft_types},
                "responses": _responses(
                    {"description": "Granskningen.",
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Granskning"}}}},
                    "400", "403", "408", "413", "415", "422", "429", "500", "503", key_required=key_required),
            }},
            "/skapa": {"post": {
                "operationId": "skapaDokument",
                "summary": "Skapa styrdokument från en kommunprofil",
                "description": "Dokumenten märks UTKAST så länge profilen har öppna punkter (rubriken "
                               "Policygen-Utkast säger ja, Policygen-Oppna-Punkter hur många).",
                "parameters": [
                    {"name": "format", "in": "query", "required": False,
                     "schema": {"enum": ["zip", "docx", "pdf"], "default": "zip"},
                     "description": "zip: alla valda dokument i en fil; docx eller pdf: ett dokument."},
                    {"name": "innehall", "in": "query", "required": False,
                     "schema": {"enum": ["docx", "pdf", "docx,pdf"], "default": "docx"},
                     "description": "Med format=zip: filerna i zip-filen."},
                    {"name": "dokument", "in": "query", "required": False, "explode": True,
                     "schema": {"type": "array", "items": {"enum": ["policy", "handlingsplan", "verksamhetsplan"]}},
                     "description": "Dokumenten att skapa (standard: alla i profilens stil). Stilen markaryd har "
                                    "policy och handlingsplan, ljungby policy och verksamhetsplan."},
                ],
                "requestBody": {"required": True, "content": profile_types},
                "responses": _responses(
                    {"description": "Dokumenten.",
                     "headers": {
                         "Policygen-Utkast": {"schema": {"enum": ["ja", "nej"]},
                                              "description": "ja när dokumenten är märkta UTKAST."},
                         "Policygen-Oppna-Punkter": {"schema": {"type": "integer"},
                                                     "description": "Saker i profilen som återstår."}},
                     "content": {media: {"schema": {"type": "string", "contentMediaType": media}}
                                 for media in ("application/zip",
                                               "application/vnd.openxmlformats-officedocument.wordprocessingml."
                                               "document", "application/pdf")}},
                    "400", "403", "408", "413", "415", "422", "429", "500", "503", key_required=key_required)
                | {"501": _error("PDF begärdes men LibreOffice finns inte på servern.")},
            }},
            "/regler": {"get": {
                "operationId": "listaRegler",
                "summary": "Granskningsreglerna",
                "responses": _responses(
                    {"description": "Alla regler.",
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Regler"}}}},
                    "400", "500", key_required=key_required),
            }},
            "/openapi.json": {"get": {
                "operationId": "beskrivning", "summary": "Den här beskrivningen", "security": [],
                "responses": {"200": {"description": "OpenAPI-beskrivningen.",
                                      "content": {"application/json": {"schema": {"type": "object"}}}},
                              "400": _COMMON["400"]},
            }},
        },
        "components": {"schemas": SCHEMAS},
    }
    if key_required:
        document["components"]["securitySchemes"] = {
            "nyckel": {"type": "http", "scheme": "bearer", "description": "API-nyckeln som Bearer-token."},
            "nyckelRubrik": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}
        document["security"] = [{"nyckel": []}, {"nyckelRubrik": []}]
    return document
