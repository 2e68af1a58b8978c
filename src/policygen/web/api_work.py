"""Document work for the API (web/api.py): the functions its workers run.

The same library calls as the CLI and the page: a draft is linted and its
report made by report.formats.render_report (what `policygen lint --format
json` prints), a profile is validated by the profile schema and its documents
built by generate.run.build_documents. Nothing is kept: inputs lie in the
request's folder, which the server removes, and results go back in memory."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policygen.errors import LimitExceeded, UserError
from policygen.generate.recipes import recipe_for
from policygen.generate.run import build_documents
from policygen.infra.validation import schema_problems
from policygen.infra.yamlio import load_yaml, to_plain
from policygen.lint.catalog import rule_catalog
from policygen.profile.load import normalise, profile_from_data, profile_schema
from policygen.render.formats import render_formats
from policygen.report.formats import render_report
from policygen.vocabulary import STYLES
from policygen.web.work import MAX_PROFILE_BYTES, MAX_PROFILE_VALUES, lint_upload

PROFILE_NAME = "profilen"   # how messages name the posted profile


def review_json(draft: Path, display_name: str, doc_type: str | None, kommun: str | None) -> str:
    """The draft's review as `policygen lint --format json` gives it for one file."""
    result = lint_upload(draft, display_name, doc_type, kommun)
    return render_report("json", [result], [], rule_catalog(), single=True)


def rules_json() -> list[dict[str, Any]]:
    """The rule catalogue (what `policygen rules list` shows) as plain values."""
    rules = []
    for rule in rule_catalog():
        rules.append({"id": rule.id, "name": rule.name, "category": rule.category, "severity": rule.severity,
                      "severity_by_type": dict(rule.severity_by_type) if rule.severity_by_type else None,
                      "message": rule.message, "why": rule.why, "source": rule.source, "as_of": rule.as_of,
                      "coverage_id": rule.coverage_id,
                      "examples": {"bad": rule.examples[0], "good": rule.examples[1]} if rule.examples else None,
                      "details": list(rule.details), "kind": rule.kind})
    return rules


# -- profiles ------------------------------------------------------------------------


def profile_data(body: Path, kind: str) -> dict[str, Any]:
    """A posted profile (JSON or YAML, lying in the request's folder) as plain
    data, read like a profile uploaded on the page: at most 1 MB and 5 000
    values, no `arv:` (which would read other files on the server)."""

    if body.stat().st_size > MAX_PROFILE_BYTES:
        raise LimitExceeded("profilen är större än 1 MB", file=PROFILE_NAME,
                            hint="skicka en profil som den 'policygen init' skapar")
    if kind == "json":
        try:
            data = json.loads(body.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            raise UserError("profilen är inte text i UTF-8", file=PROFILE_NAME,
                            hint="skicka profilen som JSON i UTF-8, eller som YAML") from None
        except json.JSONDecodeError as error:
            raise UserError(f"profilen är inte giltig JSON ({_json_reason(error.msg)})", file=PROFILE_NAME,
                            line=error.lineno, column=error.colno,
                            hint="rätta JSON-texten på den platsen, eller skicka profilen som YAML") from None
        except RecursionError:
            raise LimitExceeded("profilen är nästlad djupare än en profil kan vara", file=PROFILE_NAME,
                                hint="skicka en profil som den 'policygen init' skapar") from None
    else:
        try:
            data = to_plain(load_yaml(body, PROFILE_NAME))
        except UserError as error:  # named as the client knows it, not by the request folder's path
            raise type(error)(error.message, file=PROFILE_NAME, line=error.line, column=error.column,
                              hint=error.hint) from None
    if _too_many_values(data):
        raise LimitExceeded(f"profilen har fler än {MAX_PROFILE_VALUES:,} värden".replace(",", " "),
                            file=PROFILE_NAME, hint="skicka en profil som den 'policygen init' skapar")
    if not isinstance(data, dict):
        raise UserError("profilen ska vara ett objekt med fält som kommun, stil och ansvar", file=PROFILE_NAME,
                        hint="utgå från en profil som 'policygen init' skapar")
    if "arv" in data:
        raise UserError("profiler med 'arv' kan inte skickas till API:t", file=PROFILE_NAME,
                        hint="ta bort fältet 'arv' och skriv in de gemensamma värdena i profilen")
    return data


def _json_reason(message: str) -> str:
    reasons = {"Expecting value": "ett värde saknas", "Expecting ',' delimiter": "ett kommatecken saknas",
               "Expecting property name enclosed in double quotes": "ett fältnamn saknar citattecken",
               "Unterminated string starting at": "en text saknar avslutande citattecken",
               "Extra data": "det finns text efter slutet", "Invalid control character at": "ett otillåtet tecken"}
    for english, swedish in reasons.items():
        if message.startswith(english):
            return swedish
    return "fel i JSON-syntaxen"


def _too_many_values(node: Any) -> bool:
    count, stack = 0, [node]
    while stack:
        item = stack.pop()
        count += 1
        if count > MAX_PROFILE_VALUES:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


@dataclass
class Problem:
    field: str        # the profile's key path, e.g. "kommun.namn" ("" for the whole profile)
    message: str
    hint: str | None


@dataclass
class Generated:
    files: list[tuple[str, bytes]]      # (file name, content)
    open_items: list[Problem]           # what remains before the documents can go to a decision
    problems: list[Problem]             # schema problems: nothing was made


def document_keys(style: str) -> list[str]:
    return [d.key for d in recipe_for(style).documents]


def make_files(data: dict[str, Any], doc_keys: list[str], formats: list[str]) -> Generated:
    """The profile's documents as files in `formats` (docx, pdf), marked UTKAST
    while open items remain (as on the page). Schema problems are returned all
    at once, not raised one at a time."""

    normal = copy.deepcopy(data)
    normalise(normal, profile_schema(), (), [])
    problems = [Problem(".".join(map(str, p.path)), p.message, p.hint)
                for p in schema_problems(normal, profile_schema())]
    if problems:
        return Generated([], [], problems)
    profile = profile_from_data(data, Path(PROFILE_NAME))
    style = profile.style if profile.style in STYLES else "markaryd"
    unknown = [key for key in doc_keys if key not in document_keys(style)]
    if unknown:
        raise UserError(f"dokumentet '{unknown[0]}' finns inte i stilen {style}",
                        hint=f"välj bland {', '.join(document_keys(style))}")
    built = build_documents(profile, doc_keys or None, draft=True)
    fmt = ",".join(formats)
    files = []
    for (stem, _), rendered in zip(built, render_formats([document for _, document in built], fmt)):
        for extension in formats:
            content = rendered[extension]
            files.append((f"{stem}.{extension}", content.encode("utf-8") if isinstance(content, str) else content))
    open_items = [Problem(str(item.field), item.message, None) for item in profile.open_items]
    return Generated(files, open_items, [])


def zip_of(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()
