"""The user's cache folder: derived data that can always be rebuilt from the
installed package or the user's own files, so losing it costs only time."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    if os.environ.get("POLICYGEN_CACHE"):
        return Path(os.environ["POLICYGEN_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "policygen"


def replace_atomically(target: Path, write) -> None:
    """Call write(temporary_path), then rename it to target; parallel runs never
    see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


@cache
def _code_stamp() -> int:
    # Checks live in the code: a changed checker must not trust data it never saw.
    package = Path(__file__).parent
    return max(p.stat().st_mtime_ns for p in package.rglob("*.py"))


def _data_key(path: Path, schema: dict[str, Any]) -> Path | None:
    from policygen import __version__

    try:
        # The content itself, not its timestamp: two saves within the same
        # clock tick must never share an entry. Reading a small file is cheap;
        # parsing it is what the cache saves.
        content = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    identity = json.dumps([__version__, _code_stamp(), str(path.resolve()), content, schema],
                          sort_keys=True, ensure_ascii=False, default=str)
    return cache_dir() / "data" / (hashlib.sha256(identity.encode()).hexdigest()[:32] + ".json")


def cached_data(path: Path, schema: dict[str, Any]) -> Any | None:
    """Data of a YAML file that has already passed `schema` unchanged, or None."""
    key = _data_key(path, schema)
    try:
        return json.loads(key.read_text(encoding="utf-8")) if key else None
    except (OSError, ValueError):
        return None


def store_data(path: Path, schema: dict[str, Any], data: Any) -> None:
    key = _data_key(path, schema)
    if key is None:
        return
    text = json.dumps(data, ensure_ascii=False)
    try:
        replace_atomically(key, lambda temporary: Path(temporary).write_text(text, encoding="utf-8"))
    except OSError:
        pass  # a read-only home only makes the next run slower


def _entry(kind: str, *identity: Any) -> Path:
    from policygen import __version__

    text = json.dumps([__version__, _code_stamp(), *identity], sort_keys=True, ensure_ascii=False, default=str)
    return cache_dir() / kind / (hashlib.sha256(text.encode()).hexdigest()[:32])


def known_valid(data: Any, schema: dict[str, Any]) -> bool:
    """True when exactly this data has passed `schema` before (with this code):
    a profile that has not changed since the last run needs no JSON Schema
    validator, which is slow to import."""
    return _entry("valid", schema, data).exists()


def remember_valid(data: Any, schema: dict[str, Any]) -> None:
    try:
        replace_atomically(_entry("valid", schema, data), lambda temporary: None)
    except OSError:
        pass  # a read-only home only makes the next run slower


def cached_bytes(kind: str, *identity: Any) -> bytes | None:
    """Bytes stored under `kind` for this identity (and this code), or None."""
    try:
        return _entry(kind, *identity).read_bytes()
    except OSError:
        return None


def store_bytes(content: bytes, kind: str, *identity: Any) -> None:
    try:
        replace_atomically(_entry(kind, *identity), lambda temporary: Path(temporary).write_bytes(content))
    except OSError:
        pass
