"""The profile as an HTML form, built from the profile's JSON Schema so the
form and the CLI never disagree: titles become labels, descriptions help
texts, enums choices, booleans ja/nej radio buttons, lists repeatable rows.

A field's name is its path in the profile ("ansvar.ovriga.0.vem", 0-based);
posted forms are turned back into profile data by the same paths. No state is
kept on the server: every step posts the whole form again."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# A yes/no field still open in a starter profile ("TODO: ja eller nej (förslag: ja)").
_UNANSWERED = "TODO"
_MAX_ROWS = 200          # rows per list; a posted index above this is ignored
_EMPTY_ROWS = 1          # blank rows offered below the filled ones


@dataclass
class FormField:
    """One control (or group of controls) of the form, ready for the template."""
    path: tuple[Any, ...]
    kind: str                       # text, choice, yesno, group, list, table
    label: str
    help: str = ""
    required: bool = False
    value: Any = None
    options: tuple[str, ...] = ()
    suggestion: str | None = None    # an unanswered yes/no keeps the starter's suggestion
    children: list[FormField] = field(default_factory=list)    # group: fields; list/table: rows
    columns: list[FormField] = field(default_factory=list)     # table: one field per column (headers)
    errors: list[str] = field(default_factory=list)      # must be fixed before anything is made
    open_items: list[str] = field(default_factory=list)  # allowed in a draft (UTKAST), not in a decision

    @property
    def name(self) -> str:
        return field_name(self.path)

    @property
    def id(self) -> str:
        return field_id(self.path)

    @property
    def help_id(self) -> str:
        return self.id + "-hjalp"

    @property
    def error_id(self) -> str:
        return self.id + "-fel"

    def walk(self) -> Iterable[FormField]:
        yield self
        for child in self.children:
            yield from child.walk()


def field_name(path: Iterable[Any]) -> str:
    return ".".join(str(part) for part in path)


def field_id(path: Iterable[Any]) -> str:
    return "f-" + "-".join(str(part) for part in path)


def path_of_dotted(dotted: str) -> tuple[Any, ...]:
    """The library's dotted field ('handlingsplan.aktiviteter[1].aktivitet',
    1-based) as a form path (0-based)."""
    path: list[Any] = []
    for part in dotted.split("."):
        match = re.fullmatch(r"([^\[]+)((?:\[\d+\])*)", part)
        if not match:
            path.append(part)
            continue
        path.append(match.group(1))
        path += [int(i) - 1 for i in re.findall(r"\[(\d+)\]", match.group(2))]
    return tuple(path)


def _label(schema: Mapping[str, Any], key: Any) -> str:
    return str(schema.get("title") or key)


def build_form(schema: Mapping[str, Any], data: Mapping[str, Any], skip: Iterable[str] = ("arv",)) -> list[FormField]:
    """Top-level sections of the form, filled with `data` (raw profile values)."""
    required = set(schema.get("required", ()))
    sections = []
    for key, sub in schema.get("properties", {}).items():
        if key in skip:
            continue
        sections.append(_field((key,), sub, data.get(key) if isinstance(data, Mapping) else None, key in required))
    return sections


def _field(path: tuple[Any, ...], schema: Mapping[str, Any], value: Any, required: bool) -> FormField:
    label, help_text = _label(schema, path[-1]), str(schema.get("description", ""))
    kind = schema.get("type")
    if kind == "object":
        own_required = set(schema.get("required", ()))
        values = value if isinstance(value, Mapping) else {}
        children = [_field(path + (key,), sub, values.get(key), key in own_required)
                    for key, sub in schema.get("properties", {}).items()]
        return FormField(path, "group", label, help_text, required, children=children)
    if kind == "array":
        items = value if isinstance(value, list) else []
        item_schema = schema.get("items", {})
        rows_wanted = len(items) + _EMPTY_ROWS
        if item_schema.get("type") == "object":
            rows = [_field(path + (index,), item_schema, items[index] if index < len(items) else None, False)
                    for index in range(rows_wanted)]
            columns = _field(path + ("ny",), item_schema, None, False).children
            return FormField(path, "table", label, help_text, required, children=rows, columns=columns)
        rows = [FormField(path + (index,), "text", f"{label}, rad {index + 1}",
                          value="" if index >= len(items) else _text(items[index]))
                for index in range(rows_wanted)]
        return FormField(path, "list", label, help_text, required, children=rows)
    if kind == "boolean":
        suggestion = None
        if value is True or value is False:
            chosen = "ja" if value else "nej"
        elif isinstance(value, str) and value.strip().lower() in ("ja", "nej"):
            chosen = value.strip().lower()
        elif isinstance(value, str) and _UNANSWERED in value:
            chosen = "obesvarat"
            suggestion = "ja" if re.search(r"förslag:\s*ja", value, re.IGNORECASE) else "nej"
        else:
            chosen = ""
        return FormField(path, "yesno", label, help_text, required, value=chosen, suggestion=suggestion)
    if "enum" in schema:
        return FormField(path, "choice", label, help_text, required, value=_text(value),
                         options=tuple(str(option) for option in schema["enum"]))
    return FormField(path, "text", label, help_text, required, value=_text(value))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "ja" if value else "nej"
    return str(value)


def add_row(sections: list[FormField], target: str) -> FormField | None:
    """One more empty row in the list or table named `target`; returns the row."""
    for section in sections:
        for node in section.walk():
            if node.kind in ("list", "table") and node.name == target and len(node.children) < _MAX_ROWS:
                index = len(node.children)
                if node.kind == "table":
                    row = FormField(node.path + (index,), "group", f"{node.label}, rad {index + 1}",
                                    children=[FormField(node.path + (index, c.path[-1]), c.kind, c.label,
                                                        c.help, c.required, options=c.options)
                                              for c in node.columns])
                else:
                    row = FormField(node.path + (index,), "text", f"{node.label}, rad {index + 1}", value="")
                node.children.append(row)
                return row
    return None


# -- posted form → profile data ------------------------------------------------

def data_from_form(schema: Mapping[str, Any], form: Mapping[str, str], skip: Iterable[str] = ("arv",)) -> dict[str, Any]:
    """Profile data from posted fields. An empty field is left out (as a line
    removed from the YAML file); an object keeps its key even when empty, so a
    missing required field is reported at the field, not at the section."""
    data: dict[str, Any] = {}
    required = set(schema.get("required", ()))
    for key, sub in schema.get("properties", {}).items():
        if key in skip:
            continue
        value = _value((key,), sub, form, key in required)
        if value is not None:
            data[key] = value
    return data


def _value(path: tuple[Any, ...], schema: Mapping[str, Any], form: Mapping[str, str], required: bool = False) -> Any:
    kind = schema.get("type")
    if kind == "object":
        result = {}
        own_required = set(schema.get("required", ()))
        for key, sub in schema.get("properties", {}).items():
            value = _value(path + (key,), sub, form, key in own_required)
            if value is not None:
                result[key] = value
        # An optional group left empty is left out, as if its lines were removed.
        return result if result or required else None
    if kind == "array":
        item_schema = schema.get("items", {})
        items = []
        for index in _row_indexes(path, form):
            value = _value(path + (index,), item_schema, form)
            if value is None:
                continue  # an empty row is no entry
            items.append(value)
        return items or None
    raw = form.get(field_name(path))
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        return None
    if kind == "boolean":
        # "ja"/"nej" as typed in YAML; an unanswered choice keeps its TODO text,
        # so the library treats it exactly as in a starter profile file.
        return text
    return text


def _row_indexes(path: tuple[Any, ...], form: Mapping[str, str]) -> list[int]:
    prefix = field_name(path) + "."
    indexes = set()
    for name in form:
        if name.startswith(prefix):
            head = name[len(prefix):].split(".", 1)[0]
            if head.isascii() and head.isdigit() and int(head) < _MAX_ROWS:  # "²".isdigit() is True
                indexes.add(int(head))
    return sorted(indexes)


def attach_errors(sections: list[FormField], problems: Iterable[tuple[tuple[Any, ...], str]],
                  kind: str = "errors") -> list[tuple[str, str]]:
    """Put each (path, message) on the nearest field of the form (in its
    `errors` or `open_items`); returns (field id, message) pairs for the
    summary, in form order."""
    by_path = {node.path: node for section in sections for node in section.walk()}
    for path, message in problems:
        probe = tuple(path)
        while probe and probe not in by_path:
            probe = probe[:-1]
        target = by_path.get(probe) or (sections[0] if sections else None)
        if target is not None and message not in getattr(target, kind):
            getattr(target, kind).append(message)
    return [(node.id, message) for section in sections for node in section.walk() for message in getattr(node, kind)]
