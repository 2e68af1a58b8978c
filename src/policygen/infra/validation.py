"""Validate YAML data against a JSON Schema and explain the first problem in
Swedish, with the file, line and column it came from."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from policygen.errors import UserError
from policygen.infra.cache import cached_data, known_valid, remember_valid, store_data
from policygen.infra.inputs import check_regular_file
from policygen.infra.yamlio import MAX_YAML_BYTES, ParseOnDemand, load_yaml_data, locate

_TYPE_NAMES = {
    "string": "en text", "boolean": "ja eller nej", "array": "en lista",
    "object": "en grupp av fält", "integer": "ett heltal", "number": "ett tal",
}
# What to write instead, per expected type (the hint says what to do, not what the field is).
_TYPE_REMEDIES = {
    "string": "skriv en text efter '{key}:'; sätt den inom citattecken om den ser ut som ett tal, ett datum eller ja/nej",
    "boolean": "skriv ja eller nej efter '{key}:'",
    "array": "skriv en lista under '{key}:', en rad per värde som börjar med '- ', eller [värde1, värde2]",
    "object": "skriv fälten indragna på raderna under '{key}:'",
    "integer": "skriv ett heltal efter '{key}:', t.ex. 2",
    "number": "skriv ett tal efter '{key}:'",
}


_VALIDATORS: dict[int, Any] = {}


def _validator(schema: dict[str, Any]):
    # Schemas are module-level constants; building a validator is the slow part.
    key = id(schema)
    if key not in _VALIDATORS:
        import jsonschema  # slow to import; not needed when every file comes from the cache

        _VALIDATORS[key] = jsonschema.Draft202012Validator(schema)
    return _VALIDATORS[key]


def validate(data: Any, schema: dict[str, Any], source: Path, root: Any) -> None:
    """Raise UserError for the first (shallowest) schema violation."""
    if known_valid(data, schema):
        return  # the same data passed before: no validator to import or build
    validator = _validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if not errors:
        remember_valid(data, schema)
        return
    error = errors[0]
    path = list(error.absolute_path)
    message, hint, key_path = _describe(error, path)
    line, column = locate(root, key_path)
    extra = f" (och {len(errors) - 1} fel till)" if len(errors) > 1 else ""
    raise UserError(message + extra, file=source, line=line, column=column, hint=hint)


@dataclass(frozen=True)
class SchemaProblem:
    """One schema violation, explained as the CLI explains it."""
    path: tuple[Any, ...]       # where the user fixes it (the missing or wrong field)
    message: str
    hint: str


def schema_problems(data: Any, schema: dict[str, Any]) -> list[SchemaProblem]:
    """Every schema violation, shallowest first, with the CLI's Swedish
    message and remedy: a form can show each one next to its field."""
    validator = _validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    problems: list[SchemaProblem] = []
    seen_required: set[tuple[Any, ...]] = set()
    for error in errors:
        path = list(error.absolute_path)
        if error.validator != "required":
            message, hint, key_path = _describe(error, path)
            problems.append(SchemaProblem(tuple(key_path), message, hint))
            continue
        if tuple(path) in seen_required:
            continue  # jsonschema reports an object once per missing field; all are handled here
        seen_required.add(tuple(path))
        for name in (n for n in error.validator_value if n not in error.instance):
            one = SimpleNamespace(validator="required", validator_value=[name], instance=error.instance,
                                  schema=error.schema)
            message, hint, _ = _describe(one, path)
            problems.append(SchemaProblem(tuple(path) + (name,), message, hint))
    return problems


def _dotted(path: list[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (("." if text else "") + str(part))
    return text or "filen"


def _example(schema: dict[str, Any]) -> str:
    examples = schema.get("examples")
    return f", t.ex. {examples[0]}" if examples else ""


def _describe(error: Any, path: list[Any]) -> tuple[str, str, list[Any]]:
    where = _dotted(path)
    key = str(path[-1]) if path and not isinstance(path[-1], int) else where
    kind = error.validator
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        name = unknown[0]
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.5)
        hint = (f"menade du '{close[0]}'? Rätta namnet eller ta bort raden. " if close
                else "ta bort raden eller byt till ett giltigt fält. ") + "Giltiga fält här: " + ", ".join(allowed)
        return f"okänt fält '{_dotted(path + [name])}'", hint, path + [name]
    if kind == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        name = missing[0]
        sub = error.schema.get("properties", {}).get(name, {})
        description = sub.get("description", "").rstrip(".")
        parent = f"under '{where}'" if path else "på en egen rad i filen"
        what = f" ({description[:1].lower() + description[1:]})" if description else ""
        return (f"fältet '{_dotted(path + [name])}' saknas",
                f"lägg till '{name}:' {parent} och skriv värdet efter kolonet{what}", path)
    if kind == "type":
        expected = error.validator_value if isinstance(error.validator_value, str) else "string"
        name = _TYPE_NAMES.get(expected, str(expected))
        remedy = _TYPE_REMEDIES.get(expected, "rätta värdet efter '{key}:'").format(key=key)
        return f"'{where}' ska vara {name}", remedy + _example(error.schema), path
    if kind == "enum":
        options = ", ".join(map(str, error.validator_value))
        return f"'{where}' har ett okänt värde: {error.instance!r}", f"välj något av: {options}", path
    if kind == "pattern":
        example = _example(error.schema)
        return (f"'{where}' har fel form: {error.instance!r}",
                f"skriv värdet i samma form som exemplet{example}" if example
                else f"rätta värdet efter '{key}:' så att det har rätt form", path)
    if kind in ("minLength", "minItems"):
        return (f"'{where}' är tom", f"skriv ett värde efter '{key}:' eller ta bort raden{_example(error.schema)}",
                path)
    if kind == "const":
        return f"'{where}' har fel värde", f"skriv {error.validator_value!r} efter '{key}:' eller ta bort raden", path
    return (f"'{where}' har ett ogiltigt värde",
            "jämför med profilen som 'policygen init' skapar och rätta värdet", path)


def load_validated(path: Path, what: str, schema: dict[str, Any], shape_hint: str,
                   check: Callable[[dict[str, Any], Any, Path], None] | None = None) -> tuple[dict[str, Any], Any]:
    """Read a YAML data file that must be a mapping, match `schema` and pass `check`
    (which raises UserError, using the ruamel tree for line numbers).

    Returns the plain data and a stand-in for the ruamel tree (ParseOnDemand:
    line numbers of later checks).
    A file that passed before and has not changed comes from the cache: parsing
    YAML in pure Python is the slowest part of starting the linter."""
    # Checked before the cache hashes the file: /dev/zero must not be read for ever.
    check_regular_file(path, what, MAX_YAML_BYTES)
    data = cached_data(path, schema)
    if isinstance(data, dict):
        return data, ParseOnDemand(path, what)
    data = load_yaml_data(path, what)
    root = ParseOnDemand(path, what)  # the round-trip tree only if an error needs its line
    if not isinstance(data, dict):
        raise UserError(f"{what} ska vara en YAML-karta", file=path, line=1, hint=shape_hint)
    validate(data, schema, path, root)
    if check is not None:
        check(data, root, path)
    store_data(path, schema, data)
    return data, root
