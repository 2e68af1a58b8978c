"""Read YAML with ruamel.yaml and keep line numbers for error messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from policygen.errors import UserError
from policygen.inputs import read_regular_file

MAX_YAML_BYTES = 5 * 1024 * 1024


class _TextDatesConstructor(RoundTripConstructor):
    """Reads an unquoted date such as 2027-02-30 as text: the schema and the
    date checks then report an impossible date with its line, instead of the
    parser failing on it without one."""


_TextDatesConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda self, node: str(self.construct_scalar(node)))


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _TextDatesConstructor
    yaml.allow_duplicate_keys = False
    return yaml


_BOMS = (("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff"))


def read_text(path: Path, what: str) -> str:
    # Only a regular file, measured before it is read: /dev/zero or a FIFO is refused at once.
    raw = read_regular_file(path, what, MAX_YAML_BYTES)
    # Notepad and Excel on Windows save "Unicode" text as UTF-16 with a byte-order mark.
    encoding = next((name for name, bom in _BOMS if raw.startswith(bom)), "utf-8")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UserError(f"{what} är inte sparad som UTF-8 (fel vid byte {exc.start})",
                        file=path, hint="spara filen med teckenkodningen UTF-8") from None


def load_yaml(path: Path, what: str = "YAML-filen") -> Any:
    """Parse a YAML file; syntax errors become UserError with line and column."""
    text = read_text(path, what)
    return parse_yaml(text, path, what)


# A profile or configuration has a few hundred values. Aliases (&a … *a) let a
# 4 kB file stand for billions of them once expanded (to_plain, JSON), so the
# expanded size is counted, as is the size of every integer.
MAX_YAML_VALUES = 100_000
MAX_YAML_INTEGER = 10**15


def parse_yaml(text: str, path: Path | str, what: str = "YAML-filen") -> Any:
    tree = _parse(text, path, what)
    try:
        _check_bounds(tree, path, what)
    except RecursionError:
        raise UserError(f"{what} är för djupt nästlad", file=path, hint="förenkla filens struktur") from None
    return tree


def _check_bounds(tree: Any, path: Path | str, what: str) -> None:
    """Count the values `tree` holds once every alias is expanded, in time
    linear in the file (a shared node is counted once and its size reused)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: Any) -> int:
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError as exc:  # "\ud800" written as an escape: no character at all
                raise UserError(f"ett värde i {what} innehåller ett ogiltigt tecken (\\u{ord(node[exc.start]):04x})",
                                file=path, hint="ta bort \\u-koden ur värdet och skriv tecknet som vanlig text") from None
            return 1
        if isinstance(node, bool) or not isinstance(node, (dict, list, int)):
            return 1
        if isinstance(node, int):
            if abs(node) > MAX_YAML_INTEGER:
                raise UserError(f"ett tal i {what} är orimligt stort ({str(node)[:20]}…)", file=path,
                                hint="skriv ett mindre tal, eller sätt värdet inom citattecken om det är text")
            return 1
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise UserError(f"ett YAML-alias i {what} innehåller sig självt", file=path,
                            hint="ta bort aliaset (*namn) och skriv ut värdet")
        open_nodes.add(key)
        children = [part for item in node.items() for part in item] if isinstance(node, dict) else node
        total = 1 + sum(size(child) for child in children)
        open_nodes.discard(key)
        if total > MAX_YAML_VALUES:
            raise UserError(f"{what} blir orimligt stor när YAML-aliasen (*namn) packas upp "
                            f"(fler än {MAX_YAML_VALUES} värden)", file=path,
                            hint="skriv ut värdena i stället för att upprepa alias, eller kontrollera att filen är rätt")
        sizes[key] = total
        return total

    size(tree)


def _parse(text: str, path: Path | str, what: str) -> Any:
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if (exc.problem or "").startswith("found unexpected end of stream") and exc.context_mark:
            mark = exc.context_mark  # where the unclosed quote or bracket began, not the end of the file
        problem = translate_problem(exc.problem or "", exc.context or "")
        raise UserError(
            f"YAML-syntaxfel: {problem}",
            file=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="rätta raden; vanliga orsaker är fel indrag, ett kolon i ett värde "
                 "utan citattecken eller en tabb i stället för mellanslag",
        ) from None
    except YAMLError:
        raise UserError("YAML-syntaxfel: filen följer inte YAML-formatet", file=path,
                        hint="jämför med en profil skapad med 'policygen init' och rätta indrag och kolon") from None
    except RecursionError:
        raise UserError("YAML-filen är för djupt nästlad", file=path,
                        hint="förenkla filens struktur") from None
    except (ValueError, IndexError, TypeError, AttributeError, AssertionError):
        # ruamel.yaml's constructors fail this way on some malformed scalars ("0o", ".").
        raise UserError(f"ett värde i {what} går inte att tolka", file=path,
                        hint="sätt värden som ser ut som tal eller datum inom citattecken") from None


# ruamel.yaml's messages (problem, then context) and how we say them in Swedish.
# The first entry whose English text starts the message wins; order matters.
_PROBLEMS = (
    ("found duplicate key", "nyckeln förekommer två gånger"),
    ("mapping values are not allowed here", "ett kolon står där det inte får stå (sätt värdet inom citattecken)"),
    ("found character '\\t' that cannot start any token", "tabbtecken är inte tillåtna för indrag"),
    ("found a tab character", "tabbtecken är inte tillåtna för indrag"),
    ("found character", "ett tecken som inte får inleda ett värde (sätt värdet inom citattecken)"),
    ("could not find expected ':'", "ett kolon saknas efter nyckeln"),
    ("found undefined alias", "ett okänt YAML-alias (*namn) används"),
    ("expected alphabetic or numeric character", "ett & eller * måste följas av ett namn (sätt värdet inom citattecken)"),
    ("expected <block end>", "indraget stämmer inte med raderna ovanför"),
    ("expected ',' or ']'", "en lista inom [ ] är inte avslutad med ]"),
    ("expected ',' or '}'", "en grupp inom { } är inte avslutad med }"),
    ("found unexpected end of stream", "filen tar slut mitt i ett värde (saknas ett citattecken?)"),
    ("found unknown escape character", "ett okänt tecken efter \\ inom dubbla citattecken (använd enkla citattecken)"),
    ("expected a comment or a line break", "text står efter ett avslutat värde på samma rad"),
    ("block sequence entries are not allowed here", "ett listtecken (-) står där det inte får stå"),
    ("expected <document start>", "filen innehåller något efter själva profilen"),
    ("expected the node content", "ett värde saknas"),
    ("found unexpected ':'", "ett kolon står där det inte får stå (sätt värdet inom citattecken)"),
    ("while scanning a quoted scalar", "ett citattecken är inte avslutat"),
    ("while scanning a simple key", "ett kolon saknas efter nyckeln"),
    ("while parsing a block mapping", "indraget stämmer inte med raderna ovanför"),
    ("while parsing a block collection", "indraget i listan stämmer inte"),
    ("while parsing a flow", "en lista eller grupp inom [ ] eller { } är inte avslutad"),
)


def translate_problem(problem: str, context: str = "") -> str:
    """A ruamel.yaml problem in Swedish only; an unknown one gets a general message."""
    for english, swedish in _PROBLEMS:
        if problem.startswith(english) or (not problem and context.startswith(english)):
            return swedish
    for english, swedish in _PROBLEMS:
        if context.startswith(english):
            return swedish
    return "filen följer inte YAML-formatet här"


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
        self._tree: Any = None

    def tree(self) -> Any:
        if self._tree is None:  # parsed once, however many places are looked up
            self._tree = load_yaml(self.path, self.what)
        return self._tree


def locate(root: Any, path: list[Any] | tuple[Any, ...]) -> tuple[int | None, int | None]:
    """Line and column for a path of keys/indices into a ruamel document."""
    if isinstance(root, ParseOnDemand):
        root = root.tree()
    node = root
    best: tuple[int | None, int | None] = (None, None)
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
