"""Safe file output: atomic replace, never overwrite without being asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from policygen.errors import UserError


def check_writable(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise UserError("filen finns redan och skrivs inte över", file=path,
                        hint="ange --force för att skriva över, eller välj en annan utmapp med -o")
    if path.exists() and path.is_dir():
        raise UserError("det finns en mapp med samma namn som filen", file=path, hint="välj en annan utmapp")


def write_atomic(path: Path, content: bytes | str, force: bool = False) -> None:
    """Write to a temporary file beside `path`, then rename it into place, so a
    crash never leaves a half-written document behind."""
    path = Path(path)
    check_writable(path, force)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise UserError(f"kan inte skriva i mappen ({exc.strerror})", file=path.parent,
                        hint="kontrollera att mappen finns och att du har skrivbehörighet") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if not force and path.exists():
            raise UserError("filen skapades av någon annan medan vi skrev", file=path,
                            hint="ange --force för att skriva över")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
