"""Reading what a user hands policygen: only regular files, and never more
than a set number of bytes. A device such as /dev/zero, a FIFO or a socket
given as a profile, configuration, template or draft is refused at once
instead of being read for ever or blocking; a file is measured before a byte
of it is read, and the read itself stops at the limit should the file grow."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from policygen.errors import UserError

# The largest file a user hands policygen: a draft, a template, an upload.
MAX_FILE_BYTES = 50 * 1024 * 1024

_NOT_REGULAR_HINT = "ange en vanlig fil (inte en enhet som /dev/zero, en namngiven pipe eller en socket)"


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.0f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"


def _open_error(exc: OSError, path: Path, what: str) -> UserError:
    if isinstance(exc, FileNotFoundError):
        return UserError(f"{what} finns inte", file=path, hint="kontrollera sökvägen och filnamnet")
    if isinstance(exc, IsADirectoryError):
        return UserError(f"{what} är en mapp, inte en fil", file=path, hint="ange en fil")
    if isinstance(exc, PermissionError):
        return UserError(f"{what} går inte att läsa (behörighet saknas)", file=path,
                         hint="kontrollera filens behörigheter")
    if exc.errno == errno.ENXIO:  # a socket, or a device without a driver
        return UserError(f"{what} är ingen vanlig fil", file=path, hint=_NOT_REGULAR_HINT)
    if exc.errno == errno.ENAMETOOLONG:
        return UserError(f"sökvägen till {what} är längre än filsystemet tillåter", file=path,
                         hint="flytta filen till en mapp med kortare sökväg")
    if exc.errno == errno.ELOOP:
        return UserError(f"{what} är en symbolisk länk som pekar på sig själv", file=path,
                         hint="ange filen som länken borde peka på")
    return UserError(f"{what} går inte att läsa ({exc.strerror or exc})", file=path,
                     hint="kontrollera sökvägen och att filen går att öppna")


def _check_status(status: os.stat_result, path: Path, what: str, limit: int) -> int:
    if stat.S_ISDIR(status.st_mode):
        raise UserError(f"{what} är en mapp, inte en fil", file=path, hint="ange en fil")
    if not stat.S_ISREG(status.st_mode):
        raise UserError(f"{what} är ingen vanlig fil", file=path, hint=_NOT_REGULAR_HINT)
    if status.st_size > limit:
        raise UserError(f"för stor fil: {what} är {_megabytes(status.st_size)}; gränsen är {_megabytes(limit)}",
                        file=path, hint="kontrollera att du angett rätt fil")
    return status.st_size


def check_regular_file(path: str | Path, what: str, limit: int) -> int:
    """The size of `path` after checking that it is a regular file (links
    followed) of at most `limit` bytes; for readers that open the file
    themselves (zip, PDF)."""
    path = Path(path)
    try:
        status = os.stat(path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise _open_error(exc if isinstance(exc, OSError) else OSError(errno.ENOENT, str(exc)), path, what) from None
    return _check_status(status, path, what, limit)


def read_regular_file(path: str | Path, what: str, limit: int) -> bytes:
    """All bytes of `path`, which must be a regular file of at most `limit` bytes."""
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        # Non-blocking: opening a FIFO must not wait for a writer that never comes.
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise _open_error(exc, path, what) from None
    except ValueError:  # a NUL in the path
        raise UserError(f"sökvägen till {what} innehåller ett otillåtet tecken", file=repr(str(path)),
                        hint="skriv sökvägen utan kontrolltecken") from None
    try:
        _check_status(os.fstat(descriptor), path, what, limit)
        chunks, total = [], 0
        while True:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise UserError(f"för stor fil: {what} är större än gränsen på {_megabytes(limit)}", file=path,
                                hint="kontrollera att du angett rätt fil")
        return b"".join(chunks)
    except OSError as exc:
        raise _open_error(exc, path, what) from None
    finally:
        os.close(descriptor)


def regular_file_chunks(path: str | Path, limit: int, *, follow_symlinks: bool = True) -> Iterator[bytes]:
    """The bytes of `path` in chunks, for readers that answer a bad file with
    something other than a user message (the cache folder rebuilds its entry).
    Raises OSError before the first chunk when `path` is not a regular file
    (ELOOP for a symbolic link when follow_symlinks is false) or is larger than
    `limit` (EFBIG), and while reading should the file grow past `limit`."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except ValueError:  # a NUL in the path
        raise OSError(errno.EINVAL, "otillåtet tecken i sökvägen", str(path)) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "ingen vanlig fil", str(path))
        if status.st_size > limit:
            raise OSError(errno.EFBIG, "större än gränsen", str(path))
        total = 0
        while True:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - total))
            if not chunk:
                return
            total += len(chunk)
            if total > limit:
                raise OSError(errno.EFBIG, "större än gränsen", str(path))
            yield chunk
    finally:
        os.close(descriptor)
