"""Read YAML: plain data with a fast safe loader, and the ruamel.yaml
round-trip tree (line numbers) only when an error needs its place."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from policygen.errors import UserError
from policygen.infra.cache import cached, decode_json, json_payload, store
from policygen.infra.inputs import read_regular_file

MAX_YAML_BYTES = 5 * 1024 * 1024


@cache
def _round_trip_constructor() -> type:
    from ruamel.yaml.constructor import RoundTripConstructor

    class _TextDatesConstructor(RoundTripConstructor):
        """Reads an unquoted date such as 2027-02-30 as text: the schema and the
        date checks then report an impossible date with its line, instead of the
        parser failing on it without one."""

    _TextDatesConstructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda self, node: str(self.construct_scalar(node)))
    return _TextDatesConstructor


def _yaml():
    # ruamel.yaml is imported only here: a file that the fast loader reads
    # without complaint never needs it.
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Constructor = _round_trip_constructor()
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
    """The round-trip tree of a YAML text (for line numbers); syntax errors
    become UserError with line and column, and a text whose aliases expand
    beyond reason is refused."""
    return _checked_bounds(_parse(text, path, what), path, what)


def _checked_bounds(data: Any, path: Path | str, what: str) -> Any:
    """`data` (a round-trip tree or the fast loader's data) if it stays within the bounds."""
    try:
        _check_bounds(data, path, what)
    except RecursionError:
        raise UserError(f"{what} är för djupt nästlad", file=path, hint="förenkla filens struktur") from None
    return data


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
        if isinstance(node, dict):
            for name in node:
                if not isinstance(name, (str, int, float, bool, dt.date)) and name is not None:
                    # "{SKR01: x}: error" or "[a, b]: c": a list or table as a key would
                    # reach the checks as Python's spelling of it.
                    line, column = position(node, name)
                    raise UserError(f"en nyckel i {what} är en lista eller tabell, inte text", file=path,
                                    line=line, column=column,
                                    hint="skriv nyckeln som vanlig text: ett namn före kolonet, utan { } eller [ ]")
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
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

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


def load_yaml_data(path: Path, what: str = "YAML-filen") -> Any:
    """The plain data of a YAML file: what to_plain(load_yaml(path)) gives, read
    with the fast loader. The round-trip parser runs only when the fast one
    fails or meets something it cannot read the same way, so errors keep
    exactly the round-trip parser's message and place."""

    text = read_text(path, what)
    # A text read before comes from the cache (as JSON): an unchanged profile
    # then needs neither YAML parser. Only the fast loader's data is stored;
    # it holds nothing that JSON would change. Every caller wants a mapping,
    # so only mappings are stored; a damaged entry, or one that holds anything
    # else, reads as None and the text is parsed again.
    stored = cached("yaml", (text,), lambda payload: _stored_mapping(decode_json(payload), text))
    if stored is not None:
        return stored
    data = fast_parse(text)
    if data is UNSURE:
        return to_plain(parse_yaml(text, path, what))
    _checked_bounds(data, path, what)
    if isinstance(data, dict):
        store("yaml", (text,), json_payload(data))  # None (not storable): the next run parses it again
    return data


def _stored_mapping(data: Any, text: str) -> dict[str, Any] | None:
    """`data` if it can be the stored data of `text`: a mapping whose keys are
    all written in the text (a key written with escapes only makes a miss)."""
    if isinstance(data, dict) and all(isinstance(key, str) and key in text for key in data):
        return data
    return None


UNSURE = object()  # fast_parse's answer when only the round-trip parser can tell


class _Unsure(Exception):
    pass


# YAML 1.2 core schema, as ruamel.yaml resolves plain scalars (PyYAML follows
# YAML 1.1, where yes/no/on/off are booleans and 0781 is text).
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_FLOAT = re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""", re.X)
_INT = re.compile(r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+)$""", re.X)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TIMESTAMP = re.compile(r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
    (?:[Tt]|[ \t]+)[0-9][0-9]?
    :[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", re.X)
# What only the round-trip parser reads right: tabs (ruamel refuses some that
# libyaml accepts), a directive (it can switch YAML versions), explicit tags,
# anchors and aliases (the two parsers end an anchor's name differently), and
# a comment glued to a block scalar's | or > (libyaml accepts it, ruamel not).
_ROUND_TRIP_ONLY = re.compile(r"\t|^%|(?:^|[\s\[{,])[!&*]\S|[|>][-+0-9]*#", re.M)
_MERGE_OR_VALUE = re.compile(r"^(?:<<|=)$")
_PLAIN_INT = re.compile(r"^[-+]?[0-9]+$")
_PLAIN_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$")


@cache
def _fast_loader() -> type:
    import yaml

    base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader  # libyaml when it is there

    class FastLoader(base):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers: dict[Any, Any] = {}
        yaml_constructors: dict[Any, Any] = {}

    def add(tag: str, pattern: re.Pattern[str], first: str) -> None:
        FastLoader.add_implicit_resolver(tag, pattern, list(first))

    add("tag:yaml.org,2002:bool", _BOOL, "tTfF")
    add("tag:yaml.org,2002:float", _FLOAT, "-+0123456789.")
    add("tag:yaml.org,2002:int", _INT, "-+0123456789")
    # '<<' (merge) and '=' (value) are left to the round-trip parser.
    add("tag:yaml.org,2002:merge", _MERGE_OR_VALUE, "<=")
    add("tag:yaml.org,2002:null", _NULL, "~nN")
    FastLoader.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, [""])
    add("tag:yaml.org,2002:timestamp", _TIMESTAMP, "0123456789")

    def scalar(loader: Any, node: Any) -> str:
        return loader.construct_scalar(node)

    def boolean(loader: Any, node: Any) -> bool:
        return loader.construct_scalar(node).lower() == "true"

    def integer(loader: Any, node: Any) -> int:
        text = loader.construct_scalar(node)
        if not _PLAIN_INT.match(text):  # 0o17, 0x1F, 1_000: ruamel's own rules
            raise _Unsure
        return int(text)

    def real(loader: Any, node: Any) -> float:
        text = loader.construct_scalar(node)
        if not _PLAIN_FLOAT.match(text):  # .inf, .nan, 1_0.5
            raise _Unsure
        return float(text)

    def null(loader: Any, node: Any) -> None:
        return None

    def mapping(loader: Any, node: Any) -> Iterator[dict[str, Any]]:  # yields first, so aliases can point to it
        result: dict[str, Any] = {}
        yield result
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Unsure  # merge keys: ruamel's order of keys decides
            key = loader.construct_object(key_node, deep=True)
            if not (key is None or isinstance(key, (str, int))):
                raise _Unsure  # ruamel keeps how a float key was written
            key = str(key)  # as to_plain does
            if key in result:
                raise _Unsure  # a duplicate key: the round-trip parser reports it with its line
            result[key] = loader.construct_object(value_node, deep=True)

    def sequence(loader: Any, node: Any) -> Iterator[list[Any]]:
        result: list[Any] = []
        yield result
        result.extend(loader.construct_object(child, deep=True) for child in node.value)

    def unsure(loader: Any, node: Any) -> Any:
        raise _Unsure  # binary, set, omap, '=', custom tags: ruamel builds other types

    FastLoader.add_constructor("tag:yaml.org,2002:str", scalar)
    FastLoader.add_constructor("tag:yaml.org,2002:timestamp", scalar)  # dates stay text
    FastLoader.add_constructor("tag:yaml.org,2002:bool", boolean)
    FastLoader.add_constructor("tag:yaml.org,2002:int", integer)
    FastLoader.add_constructor("tag:yaml.org,2002:float", real)
    FastLoader.add_constructor("tag:yaml.org,2002:null", null)
    FastLoader.add_constructor("tag:yaml.org,2002:map", mapping)
    FastLoader.add_constructor("tag:yaml.org,2002:seq", sequence)
    FastLoader.add_constructor(None, unsure)
    return FastLoader


def fast_parse(text: str) -> Any:
    """Plain data of a YAML text read as ruamel.yaml's round-trip parser reads
    it, or UNSURE when the text has an error or something the two parsers might
    read differently (a %YAML directive, merge keys, tags, duplicate keys)."""
    import yaml

    if _ROUND_TRIP_ONLY.search(text):
        return UNSURE
    try:
        return yaml.load(text, Loader=_fast_loader())  # noqa: S506 – a safe loader with our constructors
    except (_Unsure, yaml.YAMLError, ValueError, TypeError, RecursionError):
        return UNSURE


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
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

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
