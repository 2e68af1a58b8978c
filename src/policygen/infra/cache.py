"""The user's cache folder: derived data that can always be rebuilt from the
installed package or the user's own files, so losing it costs only time.

Nothing in the folder is trusted as it is found. Every entry is written as its
payload followed by one check line,

    <payload>
    policygen-cache 1 {"payload": "<sha256 of the payload>", "size": <bytes>, "source": "<sha256 of the source>"}

(after the payload, so an entry still starts with what it holds: a cached
Word package is still a zip file that unzip opens) and read back by one
function, `_read_entry`, which opens only a regular file (never a symbolic
link, FIFO or device), measures it before reading it, and hands out the
payload only when the stored source hash is that of the current source (the
file, text or identity it was built from) and the payload still has its own
hash. The caller then decodes the payload and checks its shape; anything else
is a miss, and the caller rebuilds and stores the entry again. A file used in
place (the lemma table's SQLite file) is checked the same way through a record
entry beside it that holds the file's hash.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import tempfile
import types
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from platformdirs import user_cache_dir

from policygen import __version__
from policygen.infra.inputs import regular_file_chunks

T = TypeVar("T")

# Larger than any entry policygen writes (validated data of a 5 MB YAML file,
# compiled templates); a bigger file in the folder was not written by us.
MAX_ENTRY_BYTES = 64 * 1024 * 1024
# A file used in place: the lemma table is about 20 MB.
MAX_FILE_ENTRY_BYTES = 512 * 1024 * 1024
_MAGIC = b"policygen-cache 1 "
_MAX_CHECK_LINE_BYTES = 512

# Exceptions a decoder raises on a payload that is not what the caller expects.
_DECODE_ERRORS = (ValueError, TypeError, EOFError, KeyError, IndexError, RecursionError)


def cache_dir() -> Path:
    """POLICYGEN_CACHE when set, else the platform's own cache folder
    (XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS,
    %LOCALAPPDATA% on Windows)."""
    if os.environ.get("POLICYGEN_CACHE"):
        return Path(os.environ["POLICYGEN_CACHE"])
    return Path(user_cache_dir("policygen", appauthor=False))


def replace_atomically(target: Path, write: Callable[[str], object]) -> None:
    """Call write(temporary_path), then rename it to target; parallel runs never
    see half a file. The rename replaces a symbolic link or FIFO found at
    target itself, never what a link points to."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def _code_stamp() -> int:
    # Checks live in the code: a changed checker must not trust data it never saw.
    package = Path(__file__).parent.parent  # all of policygen, not only infra/
    return max(p.stat().st_mtime_ns for p in package.rglob("*.py"))


def _entry(kind: str, *identity: Any) -> tuple[Path, str]:
    """Where the entry for `identity` lives and the hash of its source: the
    identity (this version and code, and the source itself or its hash)."""

    text = json.dumps([__version__, _code_stamp(), *identity], sort_keys=True, ensure_ascii=False, default=str)
    source = sha256(text.encode("utf-8", "surrogatepass"))
    return cache_dir() / kind / source[:32], source


# -- the one reader and writer of entries ------------------------------------------------------------------

def _header(source: str, payload: bytes) -> bytes:
    return json.dumps({"payload": sha256(payload), "size": len(payload), "source": source},
                      sort_keys=True).encode("ascii")


def _split_entry(raw: bytes) -> tuple[bytes, bytes] | None:
    """The payload and the check line's header of an entry's bytes, or None
    when there is no check line at the end."""
    if not raw.endswith(b"\n"):
        return None
    start = raw.rfind(b"\n" + _MAGIC, max(0, len(raw) - _MAX_CHECK_LINE_BYTES))
    if start < 0:
        return None
    return raw[:start], raw[start + 1 + len(_MAGIC):-1]


def _read_entry(path: Path, source: str, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
    """The payload of the entry at `path` if it is sound and was built from
    `source`; None for anything else (missing, not a regular file, too large,
    truncated, garbage, another source), which the caller treats as a miss."""
    try:
        raw = b"".join(regular_file_chunks(path, limit + _MAX_CHECK_LINE_BYTES, follow_symlinks=False))
    except OSError:
        return None
    parts = _split_entry(raw)
    if parts is None or parts[1] != _header(source, parts[0]):
        return None
    return parts[0]


def _write_entry(path: Path, source: str, payload: bytes, limit: int = MAX_ENTRY_BYTES) -> None:
    if len(payload) > limit:
        return  # it would only be refused on the next read
    content = payload + b"\n" + _MAGIC + _header(source, payload) + b"\n"
    try:
        _replace_entry(path, lambda temporary: Path(temporary).write_bytes(content))
    except OSError:
        pass  # a read-only home or a full disk only makes the next run slower


def _replace_entry(path: Path, write: Callable[[str], object]) -> None:
    """replace_atomically, after taking away an empty folder found at the
    entry's name (a folder with content stays, and the OSError is raised)."""
    try:
        replace_atomically(path, write)
    except IsADirectoryError:
        os.rmdir(path)
        replace_atomically(path, write)


def cached(kind: str, identity: tuple[Any, ...], decode: Callable[[bytes], T]) -> T | None:
    """The value stored under `kind` for this identity (and this code), or None.
    decode(payload) turns the checked payload into the value the caller
    expects and raises ValueError or TypeError (or returns None) when it does
    not have that shape; the caller then rebuilds and stores it again."""
    path, source = _entry(kind, *identity)
    payload = _read_entry(path, source)
    if payload is None:
        return None
    try:
        return decode(payload)
    except _DECODE_ERRORS:
        return None


def store(kind: str, identity: tuple[Any, ...], payload: bytes | None) -> None:
    """Keep `payload` under `kind` for this identity; None stores nothing."""
    if payload is not None:
        path, source = _entry(kind, *identity)
        _write_entry(path, source, payload)


def cached_bytes(kind: str, *identity: Any) -> bytes | None:
    """The checked payload stored under `kind` for this identity, or None; the
    caller checks its shape (cached() with a decoder does both)."""
    return cached(kind, identity, bytes)


def store_bytes(content: bytes, kind: str, *identity: Any) -> None:
    store(kind, identity, content)


# -- payloads ------------------------------------------------------------------------------------------------

def json_payload(data: Any, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
    """`data` as JSON bytes, or None when it cannot be stored: not JSON data,
    too deep, or (a few aliases to a long text) larger than `limit`, which is
    found out while encoding instead of after building the whole text."""
    parts: list[bytes] = []
    size = 0
    try:
        for chunk in json.JSONEncoder(ensure_ascii=False, allow_nan=False).iterencode(data):
            part = chunk.encode("utf-8")
            size += len(part)
            if size > limit:
                return None
            parts.append(part)
    except (ValueError, TypeError, RecursionError, UnicodeEncodeError):
        return None
    return b"".join(parts)


def decode_json(payload: bytes) -> Any:
    return json.loads(payload.decode("utf-8"))


def decode_code(payload: bytes) -> types.CodeType:
    """Compiled code as marshal stored it; anything else is refused."""
    code = marshal.loads(payload)
    if not isinstance(code, types.CodeType):
        raise TypeError("ingen kompilerad kod")
    return code


# -- validated data files ------------------------------------------------------------------------------------

def _data_source(path: Path, schema: dict[str, Any]) -> tuple[tuple[Any, ...], str] | None:
    """The identity of the data entry for `path` and the file's text."""
    try:
        # The content itself, not its timestamp: two saves within the same
        # clock tick must never share an entry. The file has been checked to
        # be a small regular file; parsing it is what the cache saves.
        content = b"".join(regular_file_chunks(path, MAX_ENTRY_BYTES))
        resolved = str(path.resolve())
    except (OSError, RuntimeError):
        return None
    return (resolved, sha256(content), schema), content.decode("utf-8", "replace")


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,), "null": (type(None),),
    "integer": (int,), "number": (int, float)}


def _has_type(value: Any, schema: Any) -> bool:
    wanted = schema.get("type") if isinstance(schema, dict) else None
    if not isinstance(wanted, str) or wanted not in _JSON_TYPES:
        return True  # no single type to compare with
    if isinstance(value, bool) and wanted in ("integer", "number"):
        return False
    return isinstance(value, _JSON_TYPES[wanted])


def _has_schema_shape(data: Any, schema: dict[str, Any], text: str) -> bool:
    """The top two levels of `data` as `schema` wants them: a mapping with the
    required keys, no key the schema forbids, each value of the type its key
    asks for, and every key written in the file's text. The whole schema is
    not checked again: that (and importing the validator) is what the cache
    saves; the hashes already tell that the entry is the one stored for this
    text."""
    if not _has_type(data, schema) or not isinstance(data, dict):
        return False
    if not all(key in data for key in schema.get("required", ())):
        return False
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, value in data.items():
        if not isinstance(key, str) or key not in text:
            return False
        if key in properties:
            if not _has_type(value, properties[key]):
                return False
        elif "patternProperties" in schema:
            continue
        elif extra is False or not _has_type(value, extra):
            return False
    return True


def cached_data(path: Path, schema: dict[str, Any]) -> dict[str, Any] | None:
    """Data of a YAML file that has already passed `schema` unchanged, or None."""
    found = _data_source(path, schema)
    if found is None:
        return None
    identity, text = found

    def decode(payload: bytes) -> dict[str, Any] | None:
        data = decode_json(payload)
        return data if _has_schema_shape(data, schema, text) else None

    return cached("data", identity, decode)


def store_data(path: Path, schema: dict[str, Any], data: Any) -> None:
    found = _data_source(path, schema)
    if found is not None:
        store("data", found[0], json_payload(data))


def known_valid(data: Any, schema: dict[str, Any]) -> bool:
    """True when exactly this data has passed `schema` before (with this code):
    a profile that has not changed since the last run needs no JSON Schema
    validator, which is slow to import."""
    return cached("valid", (schema, data), lambda payload: payload == b"") is True


def remember_valid(data: Any, schema: dict[str, Any]) -> None:
    store("valid", (schema, data), b"")


# -- files used in place ---------------------------------------------------------------------------------

_checked_files: dict[tuple[str, int, int, int, int], bool] = {}


def _file_digest(path: Path, limit: int = MAX_FILE_ENTRY_BYTES) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    for chunk in regular_file_chunks(path, limit, follow_symlinks=False):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def _file_record(size: int, digest: str) -> bytes:
    return json.dumps({"sha256": digest, "size": size}, sort_keys=True).encode("ascii")


def _matches_record(path: Path, record: bytes) -> bool:
    try:
        expected = json.loads(record)
        size = expected["size"]
        status = os.lstat(path)
    except (*_DECODE_ERRORS, OSError):
        return False
    if not isinstance(size, int) or status.st_size != size:
        return False  # measured before a byte is read or hashed
    key = (str(path), status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)
    if _checked_files.get(key):  # checked before in this process (or the parent it was forked from)
        return True
    try:
        sound = record == _file_record(*_file_digest(path, size))
    except OSError:
        return False
    _checked_files[key] = sound
    return sound


def cached_file(name: str, source: str, build: Callable[[str], object]) -> Path:
    """The path of a cache file that another library opens by name (SQLite),
    built by build(temporary_path) from a source whose hash is `source`.
    A record entry beside it holds the file's size and hash; a file that does
    not match its record (or has none, or is not a regular file) is built
    again. Raises OSError when it cannot be built."""
    path = cache_dir() / name
    record_path, record_source = cache_dir() / (name + ".kontroll"), sha256(f"{name}\n{source}".encode())
    record = _read_entry(record_path, record_source)
    if record is not None and _matches_record(path, record):
        return path
    built: list[bytes] = []

    def write(temporary: str) -> None:
        build(temporary)
        built.append(_file_record(*_file_digest(Path(temporary))))

    _replace_entry(path, write)
    _write_entry(record_path, record_source, built[-1])
    return path
