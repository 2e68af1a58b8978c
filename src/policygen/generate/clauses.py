"""The clause library: one YAML file per clause, validated when loaded."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from policygen.errors import UserError
from policygen.infra.resources import clauses_dir
from policygen.infra.validation import load_validated
from policygen.infra.yamlio import locate
from policygen.vocabulary import COVERAGE_IDS, DOC_TYPES, STYLES, TOPICS

FOOTNOTE_MARK = re.compile(r"\[\^([a-z0-9-]+)\]")

_TEXT = {"type": "string", "minLength": 1}
# The profile choices a commitment rests on: with any of them off (nej, left
# out, empty) the clause, paragraph or bullet is not written.
_RESTS_ON = {"type": "array", "minItems": 1, "uniqueItems": True,
             "items": {"type": "string", "pattern": r"^[a-z_]+(\.[a-z_]+)*$"},
             "description": "Profilval som åtagandet vilar på, t.ex. upphandling.reserverade_kontrakt; "
                            "utan valet skrivs texten inte."}
CLAUSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "topic", "title", "version", "doc_types", "styles", "covers", "body"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
               "description": "Klausulens id med gemener och bindestreck, samma som filnamnet."},
        "topic": {"enum": list(TOPICS), "description": "Ämnet klausulen hör till."},
        "title": {**_TEXT, "description": "Rubriken i dokumentet (Jinja2)."},
        "version": {"type": "integer", "minimum": 1, "description": "Höjs när texten ändras."},
        "order": {"type": "integer", "description": "Ordning inom ämnet (lägst först)."},
        "doc_types": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(DOC_TYPES)},
                      "description": "Dokumenttyper klausulen passar i."},
        "styles": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": list(STYLES)},
                   "description": "Stilar klausulen passar i."},
        "covers": {"type": "array", "uniqueItems": True, "items": {"enum": list(COVERAGE_IDS)},
                   "description": "Täckningsid:n (SKR:s framgångsfaktorer och steg) som klausulen uppfyller."},
        "needs": {"type": "array", "items": {"type": "string", "pattern": r"^[a-z_]+(\.[a-z_]+)*$"},
                  "description": "Profilfält som måste finnas, t.ex. ansvar.namnd."},
        "when": {**_TEXT, "description": "Villkor (Jinja2-uttryck) för när klausulen tas med, t.ex. iop.anvands."},
        "commitment": {**_TEXT, "description": "Kort åtagande som fortsätter meningen 'X kommun ska'."},
        # At clause level an empty list says the commitment rests on no choice
        # (the policy's own stance, such as being open to social enterprises).
        "rests_on": {**_RESTS_ON, "minItems": 0},
        "sources": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "text", "as_of"],
            "properties": {"id": {"type": "string", "pattern": "^[a-z0-9-]+$"}, "text": _TEXT,
                           "url": {"type": "string", "pattern": "^https://"},
                           "as_of": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}}}},
        "body": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "minProperties": 1,
            "properties": {
                "p": _TEXT,
                "bullets": {"type": "array", "minItems": 1, "items": {"anyOf": [
                    _TEXT,
                    {"type": "object", "additionalProperties": False, "required": ["text"],
                     "properties": {"text": _TEXT, "when": _TEXT, "rests_on": _RESTS_ON}}]}},
                "intro": _TEXT,
                "when": _TEXT,
                "rests_on": _RESTS_ON,
            }}},
    },
}


@dataclass(frozen=True)
class Source:
    id: str
    text: str
    as_of: str
    url: str | None = None


@dataclass(frozen=True)
class Bullet:
    text: str
    when: str | None = None
    rests_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodyBlock:
    paragraph: str | None = None
    bullets: tuple[Bullet, ...] = ()
    intro: str | None = None
    when: str | None = None
    rests_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clause:
    id: str
    topic: str
    title: str
    version: int
    doc_types: tuple[str, ...]
    styles: tuple[str, ...]
    covers: tuple[str, ...]
    body: tuple[BodyBlock, ...]
    needs: tuple[str, ...] = ()
    when: str | None = None
    commitment: str | None = None
    rests_on: tuple[str, ...] = ()
    order: int = 100
    sources: tuple[Source, ...] = ()
    path: Path = field(default=Path(), compare=False)

    def fits(self, doc_type: str, style: str) -> bool:
        return doc_type in self.doc_types and style in self.styles

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)


@dataclass(frozen=True)
class ClauseLibrary:
    clauses: tuple[Clause, ...]

    def get(self, clause_id: str) -> Clause:
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        valid = ", ".join(sorted(c.id for c in self.clauses))
        raise UserError(f"okänd klausul: '{clause_id}'", hint=f"giltiga klausuler: {valid}")

    def by_topic(self, topic: str) -> list[Clause]:
        return sorted((c for c in self.clauses if c.topic == topic), key=lambda c: (c.order, c.id))

    def covering(self, coverage_id: str) -> list[Clause]:
        return sorted((c for c in self.clauses if coverage_id in c.covers), key=lambda c: (c.order, c.id))


def load_clause(path: Path) -> Clause:
    data, _ = load_validated(path, "klausulfilen", CLAUSE_SCHEMA,
                             "en klausul har id, topic, title och body; jämför med en befintlig fil i clauses/",
                             check=_check_clause)
    sources = tuple(Source(s["id"], s["text"], s["as_of"], s.get("url")) for s in data.get("sources", []))
    body = [BodyBlock(block.get("p"),
                      tuple(Bullet(item) if isinstance(item, str)
                            else Bullet(item["text"], item.get("when"), tuple(item.get("rests_on", ())))
                            for item in block.get("bullets", [])),
                      block.get("intro"), block.get("when"), tuple(block.get("rests_on", ())))
            for block in data["body"]]
    return Clause(
        id=data["id"], topic=data["topic"], title=data["title"], version=data["version"],
        doc_types=tuple(data["doc_types"]), styles=tuple(data["styles"]), covers=tuple(data["covers"]),
        body=tuple(body), needs=tuple(data.get("needs", ())), when=data.get("when"),
        commitment=data.get("commitment"), rests_on=tuple(data.get("rests_on", ())),
        order=data.get("order", 100), sources=sources, path=path,
    )


def _check_clause(data: dict[str, Any], root: Any, path: Path) -> None:
    """What the schema cannot say: id matches the file name, templates compile,
    footnote marks and sources agree."""
    # Jinja is imported only here: a library that comes from the cache (the
    # linter's case) never compiles a template.
    from policygen.generate.templating import TemplateSyntaxError, compile_template

    def fail(message: str, key_path: list[Any], hint: str) -> UserError:
        line, column = locate(root, key_path)
        return UserError(message, file=path, line=line, column=column, hint=hint)

    if data["id"] != path.stem:
        raise fail(f"klausulens id '{data['id']}' stämmer inte med filnamnet '{path.name}'", ["id"],
                   f"byt namn på filen till {data['id']}.yaml eller ändra id")
    if "commitment" in data and "rests_on" not in data:
        raise fail("ett åtagande (commitment) ska ange vilka profilval det vilar på", ["commitment"],
                   "lägg till rests_on: med profilfälten, t.ex. [upphandling.reserverade_kontrakt]")
    for key_path in _rests_on_paths(data):
        for index, field_path in enumerate(_at(data, key_path)):
            if field_path not in profile_fields():
                raise fail(f"rests_on nämner '{field_path}', som inte är ett fält i profilen", key_path + [index],
                           "ange ett fält från profile.schema.json, t.ex. upphandling.sociala_hansyn")
    sources = data.get("sources", [])
    source_ids = {s["id"] for s in sources}
    for index, source in enumerate(sources):
        if dt.date.fromisoformat(source["as_of"]) > dt.date.today():
            raise fail(f"källan '{source['id']}' har ett as_of-datum i framtiden", ["sources", index, "as_of"],
                       "ange det datum då uppgiften senast kontrollerades")

    used: set[str] = set()
    texts: list[tuple[str, list[Any]]] = [(data["title"], ["title"])]
    if "commitment" in data:
        texts.append((data["commitment"], ["commitment"]))
    for index, block in enumerate(data["body"]):
        if ("p" in block) == ("bullets" in block):
            raise fail("varje del av body ska ha antingen p: (stycke) eller bullets: (punktlista)",
                       ["body", index], "dela upp delen i två")
        if "intro" in block and "bullets" not in block:
            raise fail("intro: hör bara till en punktlista", ["body", index, "intro"], "flytta texten till ett p:")
        if "p" in block:
            texts.append((block["p"], ["body", index, "p"]))
        for i, item in enumerate(block.get("bullets", [])):
            text, condition = (item, None) if isinstance(item, str) else (item["text"], item.get("when"))
            texts.append((text, ["body", index, "bullets", i]))
            if condition:
                _check_condition(condition, fail, ["body", index, "bullets", i, "when"])
        if "intro" in block:
            texts.append((block["intro"], ["body", index, "intro"]))
        if "when" in block:
            _check_condition(block["when"], fail, ["body", index, "when"])

    texts += [(source["text"], ["sources", index, "text"]) for index, source in enumerate(sources)]
    for text, key_path in texts:
        _check_fact_references(text, fail, key_path)
        try:
            compile_template(text)
        except TemplateSyntaxError as exc:
            raise fail(f"fel i mallsyntaxen: {exc.message}", key_path,
                       "kontrollera {{ … }} och {% … %} i texten") from None
        for mark in FOOTNOTE_MARK.findall(text):
            if mark not in source_ids:
                raise fail(f"fotnoten [^{mark}] hänvisar till en källa som inte finns under sources",
                           key_path, "lägg till källan eller rätta id:t")
            used.add(mark)
    for index, source in enumerate(sources):
        if source["id"] not in used:
            raise fail(f"källan '{source['id']}' används inte i texten", ["sources", index, "id"],
                       f"sätt [^{source['id']}] efter meningen som bygger på källan")
    if "when" in data:
        _check_condition(data["when"], fail, ["when"])


def _rests_on_paths(data: dict[str, Any]) -> list[list[Any]]:
    paths: list[list[Any]] = [["rests_on"]] if "rests_on" in data else []
    for index, block in enumerate(data["body"]):
        if "rests_on" in block:
            paths.append(["body", index, "rests_on"])
        for i, item in enumerate(block.get("bullets", [])):
            if isinstance(item, dict) and "rests_on" in item:
                paths.append(["body", index, "bullets", i, "rests_on"])
    return paths


def _at(data: Any, key_path: list[Any]) -> Any:
    for part in key_path:
        data = data[part]
    return data


@cache
def profile_fields() -> frozenset[str]:
    """Every dotted field of the profile schema ("upphandling.sociala_hansyn")."""
    # Start-up time: the schema is read only when a clause file is checked, not for a cached library.
    from policygen.profile.load import profile_schema

    fields: set[str] = set()

    def walk(node: dict[str, Any], prefix: str) -> None:
        for key, sub in node.get("properties", {}).items():
            fields.add(prefix + key)
            walk(sub, prefix + key + ".")

    walk(profile_schema(), "")
    return frozenset(fields)


# `{{ fakta.grans.direktupphandling_lou }}`: a value from the fact registry.
FACT_REFERENCE = re.compile(r"\bfakta\.(\w+)\.(\w+)(?:\.(\w+))?")


def _check_fact_references(text: str, fail, key_path: list[Any]) -> None:
    """Every `fakta.…` in a clause names a value the registry has today, so a
    mistyped name is reported with its line when the library loads, not when a
    document is generated."""
    # Start-up time: the registry is read only when a clause file is checked (not for a cached library).
    from policygen.facts.listing import template_facts
    from policygen.facts.registry import load_registry

    if "fakta." not in text:
        return
    facts = template_facts(load_registry(), dt.date.today())
    for group, key, part in FACT_REFERENCE.findall(text):
        if group not in facts:
            raise fail(f"fakta.{group} finns inte; faktaregistret ger {', '.join(sorted(facts))}", key_path,
                       "skriv till exempel {{ fakta.grans.direktupphandling_lou }} (se policygen fakta)")
        if key not in facts[group]:
            raise fail(f"fakta.{group}.{key} finns inte i faktaregistret eller gäller inte i dag", key_path,
                       f"välj bland {', '.join(sorted(facts[group]))} eller lägg till uppgiften i faktaregistret")
        value = facts[group][key]
        if part and (not isinstance(value, dict) or part not in value):
            known = ", ".join(sorted(value)) if isinstance(value, dict) else "inga fält"
            raise fail(f"fakta.{group}.{key}.{part} finns inte i faktaregistret", key_path,
                       f"uppgiften har {known}")


def _check_condition(expression: str, fail, key_path: list[Any]) -> None:
    # Start-up time: Jinja is loaded only when a template is compiled (not for a cached library).
    from policygen.generate.templating import TemplateSyntaxError, compile_condition

    try:
        compile_condition(expression)
    except TemplateSyntaxError as exc:
        raise fail(f"villkoret går inte att tolka: {exc.message}", key_path,
                   "skriv ett uttryck som iop.anvands eller upphandling.reserverade_kontrakt") from None


def load_library(directory: Path | None = None) -> ClauseLibrary:
    directory = Path(directory) if directory is not None else clauses_dir()
    return _load_library_cached(directory.resolve())


@cache
def _load_library_cached(directory: Path) -> ClauseLibrary:
    if not directory.is_dir():
        raise UserError("klausulbiblioteket finns inte", file=directory, hint="ange mappen med klausulfiler")
    clauses = [load_clause(path) for path in sorted(directory.glob("*.yaml"))]
    if not clauses:
        raise UserError("klausulbiblioteket är tomt", file=directory, hint="lägg till klausulfiler (*.yaml)")
    return ClauseLibrary(tuple(clauses))
