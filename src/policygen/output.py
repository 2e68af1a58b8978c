"""Safe file output: atomic replace, never overwrite without being asked."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import unicodedata
from pathlib import Path

from policygen.errors import UserError


# Characters Windows does not allow in a file name, and control characters.
_NOT_ON_WINDOWS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# Names Windows reserves for devices, with or without an extension.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)
_MAX_NAME = 150


def windows_safe_name(name: str) -> str:
    """A file name that Windows, macOS and Linux all accept and that stays
    readable: forbidden characters become '-', no trailing dot or space, no
    reserved device name. Letters such as å, ä and ö are kept."""
    name = unicodedata.normalize("NFC", name)
    name = _NOT_ON_WINDOWS.sub("-", name)
    name = re.sub(r"-{2,}", "-", name).strip(" .-")
    name = name[:_MAX_NAME].rstrip(" .")
    if not name:
        name = "dokument"
    if _RESERVED.match(name):
        name = f"{name}-dokument"
    return name


def _default_mode() -> int:
    """The permissions a new file gets from the user's umask (as 'touch' gives)."""
    try:
        # Linux reports the umask without changing it (os.umask would, briefly,
        # for every thread of a web server).
        status = Path("/proc/self/status").read_text(encoding="ascii")
        mask = int(re.search(r"^Umask:\s*([0-7]+)", status, re.MULTILINE).group(1), 8)
    except (OSError, AttributeError, ValueError):
        mask = os.umask(0)
        os.umask(mask)
    return 0o666 & ~mask


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
        # mkstemp makes the file private (0600); give it the mode a normal new
        # file would get, or keep the mode of the file it replaces.
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else _default_mode()
        os.chmod(temporary, mode)
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
