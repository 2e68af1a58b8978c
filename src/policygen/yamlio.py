"""Read YAML with ruamel.yaml and keep line numbers for error messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from policygen.errors import UserError

_MAX_YAML_BYTES = 5 * 1024 * 1024


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def read_text(path: Path, what: str) -> str:
    try:
        if path.stat().st_size > _MAX_YAML_BYTES:
            raise UserError(f"{what} är större än 5 MB", file=path,
                            hint="kontrollera att du angett rätt fil")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{what} finns inte", file=path,
                        hint="kontrollera sökvägen och filnamnet") from None
    except IsADirectoryError:
        raise UserError(f"{what} är en mapp, inte en fil", file=path,
                        hint="ange en YAML-fil") from None
    except PermissionError:
        raise UserError(f"{what} går inte att läsa (behörighet saknas)", file=path,
                        hint="kontrollera filens behörigheter") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{what} är inte sparad som UTF-8 (fel vid byte {exc.start})",
                        file=path, hint="spara filen med teckenkodningen UTF-8") from None


def load_yaml(path: Path, what: str = "YAML-filen") -> Any:
    """Parse a YAML file; syntax errors become UserError with line and column."""
    text = read_text(path, what)
    return parse_yaml(text, path, what)


def parse_yaml(text: str, path: Path | str, what: str = "YAML-filen") -> Any:
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = _translate_problem(exc.problem or exc.context or "okänt fel")
        raise UserError(
            f"YAML-syntaxfel: {problem}",
            file=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="rätta raden; vanliga orsaker är fel indrag, ett kolon i ett värde "
                 "utan citattecken eller en tabb i stället för mellanslag",
        ) from None
    except YAMLError as exc:
        raise UserError(f"YAML-syntaxfel: {exc}", file=path,
                        hint="kontrollera filens YAML-syntax") from None
    except RecursionError:
        raise UserError("YAML-filen är för djupt nästlad", file=path,
                        hint="förenkla filens struktur") from None
    except (ValueError, IndexError, TypeError, AttributeError) as exc:
        # ruamel.yaml's constructors fail this way on some malformed scalars ("0o", ".").
        raise UserError(f"ett värde i {what} går inte att tolka ({exc})", file=path,
                        hint="sätt värden som ser ut som tal eller datum inom citattecken") from None


_PROBLEMS = {
    "found duplicate key": "nyckeln förekommer två gånger",
    "mapping values are not allowed here": "ett kolon står där det inte får stå (sätt värdet inom citattecken)",
    "found character '\\t' that cannot start any token": "tabbtecken är inte tillåtna för indrag",
    "could not find expected ':'": "ett kolon saknas efter nyckeln",
    "found undefined alias": "en okänd YAML-alias används",
    "expected <block end>, but found": "indraget stämmer inte",
    "found unexpected end of stream": "filen tar slut mitt i ett värde (saknas ett citattecken?)",
}


def _translate_problem(problem: str) -> str:
    for english, swedish in _PROBLEMS.items():
        if problem.startswith(english):
            return f"{swedish} ({problem})"
    return problem


def position(node: Any, key: Any = None) -> tuple[int | None, int | None]:
    """1-based line and column of a mapping key or sequence item, if known."""
    try:
        if key is None:
            return node.lc.line + 1, node.lc.col + 1
        if isinstance(node, CommentedMap):
            line, col = node.lc.key(key)
            return line + 1, col + 1
        if isinstance(node, CommentedSeq):
            line, col = node.lc.item(key)
            return line + 1, col + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        pass
    return None, None


class ParseOnDemand:
    """Stands in for the ruamel tree of a file whose data came from the cache;
    the file is parsed only if a later check needs a line number."""

    def __init__(self, path: Path, what: str) -> None:
        self.path, self.what = path, what

    def tree(self) -> Any:
        return load_yaml(self.path, self.what)


def locate(root: Any, path: list[Any] | tuple[Any, ...]) -> tuple[int | None, int | None]:
    """Line and column for a path of keys/indices into a ruamel document."""
    if isinstance(root, ParseOnDemand):
        root = root.tree()
    node, best = root, (None, None)
    for part in path:
        found = position(node, part)
        if found[0] is not None:
            best = found
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return best


def to_plain(node: Any) -> Any:
    """ruamel's commented containers as plain dicts/lists/str (for Jinja and JSON)."""
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, (dt.date, dt.datetime)):
        # Dates stay text: the schema and the documents use ISO strings.
        return node.isoformat()[:10]
    return node
