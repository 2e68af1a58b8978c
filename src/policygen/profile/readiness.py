"""Is a profile ready for a decision? Finds every open item at once: values
still marked TODO, yes/no choices the user has not confirmed, and dates that
are malformed, impossible or in the wrong order.

`generate` refuses a profile with open items unless a draft (UTKAST) is asked
for; the web page calls the same function to show the list."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policygen.errors import format_place
from policygen.infra.yamlio import ParseOnDemand, position

# Marks the starter profile puts in values the user must replace.
_STARTER_MARKS = ("TODO", "ÅÅÅÅ")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


@dataclass(frozen=True)
class OpenItem:
    """One thing that keeps a profile from being a decision, with its place."""
    field: str
    message: str
    file: Path
    line: int | None = None
    column: int | None = None

    def place(self) -> str:
        return format_place(self.file, self.line, self.column)

    def __str__(self) -> str:
        return f"{self.place()}: {self.message}"


def dotted(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (("." if text else "") + str(part))
    return text


def exact_position(root: Any, path: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """Line and column of the value at `path` in this file, or None when the
    value came from another file (a profile it inherits from)."""
    if isinstance(root, ParseOnDemand):
        root = root.tree()
    node = root
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None, None
    try:
        node[path[-1]]
    except (KeyError, IndexError, TypeError):
        return None, None
    return position(node, path[-1])


def find_open_items(data: dict[str, Any], source: Path, root: Any = None,
                    unconfirmed: tuple[tuple[tuple[Any, ...], bool], ...] = ()) -> list[OpenItem]:
    """Every open item of a (normalised) profile, in the order of the file."""
    items: list[OpenItem] = []

    def add(path: tuple[Any, ...], message: str) -> None:
        line, column = exact_position(root, path) if root is not None else (None, None)
        items.append(OpenItem(dotted(path), message, source, line, column))

    for path, suggestion in unconfirmed:
        add(path, f"valet '{dotted(path)}' är inte besvarat; skriv ja eller nej (utkastet använder "
                  f"förslaget {'ja' if suggestion else 'nej'})")
    for path, value in _strings(data, ()):
        if any(mark in value for mark in _STARTER_MARKS):
            add(path, f"fältet '{dotted(path)}' är inte ifyllt ({value.strip()})")
    _check_dates(data, add)
    items.sort(key=lambda item: (item.line is None, item.line or 0, item.column or 0))
    return items


def _strings(node: Any, path: tuple[Any, ...]):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, path + (index,))
    elif isinstance(node, str):
        yield path, node


def parse_date(value: Any) -> dt.date | None:
    """A real date written YYYY-MM-DD, or None."""
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _check_dates(data: dict[str, Any], add) -> None:
    documents = data.get("dokument")
    if not isinstance(documents, dict):
        return

    def check(path: tuple[Any, ...], value: Any) -> dt.date | None:
        if not isinstance(value, str) or any(mark in value for mark in _STARTER_MARKS):
            return None  # reported as not filled in
        date = parse_date(value)
        if date is None:
            if _ISO_DATE.match(value.strip()) or _DATE_LIKE.match(value.strip()):
                add(path, f"'{dotted(path)}' är inget riktigt datum ({value}); rätta månad och dag")
            else:
                add(path, f"'{dotted(path)}' är inget datum i formen ÅÅÅÅ-MM-DD ({value}); "
                          "skriv t.ex. 2027-02-22")
        return date

    for key, info in documents.items():
        if not isinstance(info, dict):
            continue
        base = ("dokument", key)
        decided = check(base + ("datum",), info["datum"]) if "datum" in info else None
        valid_to = info.get("giltig_till")
        until = None
        if isinstance(valid_to, str) and re.match(r"^\d{4}-", valid_to.strip()):
            until = check(base + ("giltig_till",), valid_to)
        if decided and until and decided > until:
            add(base + ("giltig_till",),
                f"'{dotted(base + ('giltig_till',))}' ({until.isoformat()}) ligger före beslutsdatumet "
                f"{decided.isoformat()}; rätta ett av datumen")
        for list_key in ("versioner", "relaterade_styrdokument"):
            entries = info.get(list_key)
            if isinstance(entries, list):
                for index, entry in enumerate(entries):
                    if isinstance(entry, dict) and "datum" in entry:
                        check(base + (list_key, index, "datum"), entry["datum"])
