"""Safe file output: atomic replace, never overwrite without being asked."""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from policygen.errors import UserError
from policygen.infra.interrupts import deferred
from policygen.infra.terminal import visible

# Characters Windows does not allow in a file name (the path separators among
# them), and control characters.
_NOT_ON_WINDOWS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Names Windows reserves for devices, with or without an extension (Windows
# ignores spaces before the dot, and counts superscript digits as digits).
_RESERVED = re.compile(r"^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])( *\..*)?$",
                       re.IGNORECASE)
# Bytes, not characters: Linux allows 255 bytes per name, and å takes two. The
# extension and the temporary name's prefix and suffix need room as well.
_MAX_NAME_BYTES = 150


def _visible_character(character: str) -> str:
    """'' for what must never be in a file name though no one sees it (bidi
    overrides, zero-width characters), '-' for other invisible characters."""
    category = unicodedata.category(character)
    if category == "Cf":  # format: bidi overrides and isolates, zero-width joiners, soft hyphen
        return ""
    if category in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp"):  # control, lone surrogate, private, unassigned, line breaks
        return "-"
    return character


def windows_safe_name(name: str, max_bytes: int = _MAX_NAME_BYTES) -> str:
    """A file name built from text a user wrote (a kommun or document name):
    Windows, macOS and Linux all accept it, it has no directory part and cannot
    climb out of a folder, and it stays readable: forbidden and invisible
    characters become '-' or disappear, '..' becomes '.', there is no leading or
    trailing dot or space, no reserved device name, and the length is bounded.
    Letters such as å, ä and ö are kept."""
    name = "".join(_visible_character(c) for c in name)
    name = unicodedata.normalize("NFC", name)
    name = _NOT_ON_WINDOWS.sub("-", name)
    name = re.sub(r"\.{2,}", ".", name)
    # Any kind of space at either end goes (a no-break space before CON would
    # hide the reserved name from the check below).
    name = re.sub(r"^[\s.-]+|[\s.-]+$", "", re.sub(r"-{2,}", "-", name))
    name = re.sub(r"[\s.]+$", "", name.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore"))
    if not name:
        name = "dokument"
    reserved = _RESERVED.match(name)
    if reserved:
        # Windows reserves CON also with an extension (CON.policy), so the word itself changes.
        name = f"{reserved.group(1)}-dokument{name[reserved.end(1):]}"
    return name


def path_in_folder(folder: str | Path, name: str, extension: str) -> Path:
    """The file for `name` (text from a profile: a kommun or document name) in
    `folder`. The name is made safe here, and the result is checked to be a
    file directly inside `folder` once symbolic links are followed: a name
    never decides where a file goes, only what it is called."""
    folder = Path(folder)
    file_name = f"{windows_safe_name(name)}.{extension}"
    path = folder / file_name
    try:
        inside = path.resolve().parent == folder.resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a name the file system refuses
        inside = False
    if not inside:
        raise UserError(f"filen '{visible(file_name)}' skulle hamna utanför utmappen", file=folder,
                        hint="ta bort den symboliska länken med samma namn i utmappen, eller välj en annan utmapp")
    return path


def _default_mode() -> int:
    """The permissions a new file gets from the user's umask (as 'touch' gives)."""
    found = None
    try:
        # Linux reports the umask without changing it (os.umask would, briefly,
        # for every thread of a web server).
        status = Path("/proc/self/status").read_text(encoding="ascii")
        found = re.search(r"^Umask:\s*([0-7]+)", status, re.MULTILINE)
    except (OSError, ValueError):
        pass
    if found is not None:
        mask = int(found.group(1), 8)
    else:
        mask = os.umask(0)
        os.umask(mask)
    return 0o666 & ~mask


def check_writable(path: Path, force: bool) -> None:
    """Refuse before anything is written: an existing file without --force, and
    with --force anything that is not a regular file (a folder, a symbolic
    link, a device such as /dev/null, a FIFO or a socket)."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:  # a name longer than the file system allows, a folder we may not enter
        if exc.errno == errno.ENOTDIR:
            raise UserError("utfilen går inte att använda: en del av sökvägen är en fil, inte en mapp", file=path,
                            hint="ange en mapp (eller en ny mapp) med -o") from None
        if exc.errno == errno.ENAMETOOLONG:
            raise UserError("utfilen går inte att använda: namnet är längre än filsystemet tillåter", file=path,
                            hint="välj ett kortare namn eller en annan utmapp") from None
        raise UserError(f"utfilen går inte att använda ({exc.strerror})", file=path,
                        hint="välj ett kortare namn eller en annan utmapp") from None
    if stat.S_ISDIR(status.st_mode):
        raise UserError("det finns en mapp med samma namn som filen", file=path, hint="välj en annan utmapp")
    if not stat.S_ISREG(status.st_mode):
        kind = "en symbolisk länk" if stat.S_ISLNK(status.st_mode) else "en enhet, FIFO eller socket"
        raise UserError(f"utfilen finns redan och är {kind}, inte en vanlig fil; den skrivs aldrig över", file=path,
                        hint="välj ett annat filnamn eller en annan utmapp")
    if not force:
        raise UserError("filen finns redan och skrivs inte över", file=path,
                        hint="ange --force för att skriva över, eller välj en annan utmapp med -o")


def _short(text: str, limit: int = 80) -> str:
    """A name for a message: visible, and not ten thousand characters long."""
    return visible(text if len(text) <= limit else text[:limit] + "…")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)  # also a hard link or another spelling of the same path
    except OSError:
        return Path(os.path.abspath(a)) == Path(os.path.abspath(b))


def check_not_input(path: Path, inputs: Iterable[str | Path | None]) -> None:
    """A run never writes over a file it reads (a profile, a template, a draft,
    a configuration), not even with --force."""
    for source in inputs:
        if source is not None and _same_file(path, Path(source)):
            raise UserError(f"utfilen är samma fil som indata ({visible(str(source))}) och skrivs aldrig över",
                            file=path, hint="välj en annan utmapp eller ett annat filnamn")


class OutputPlan:
    """Every file one run will write, checked together before the first is
    written: each path made from a safe name inside the output folder, none
    written twice, none an input, none existing unless --force, and --force
    only over regular files."""

    def __init__(self, folder: str | Path, force: bool, inputs: Iterable[str | Path | None] = ()) -> None:
        self.folder, self.force = Path(folder), force
        self.inputs = [Path(i) for i in inputs if i is not None]
        self._claimed: dict[str, str] = {}

    def add(self, name: str, extension: str, owner: str = "") -> Path:
        path = path_in_folder(self.folder, name, extension)
        # Case-insensitive: on Windows and macOS Alvesta.docx and alvesta.docx are one file.
        key = path.name.casefold()
        if key in self._claimed:
            raise UserError(f"två dokument skulle skrivas till samma fil: {_short(self._claimed[key])} och "
                            f"{_short(owner or name)}", file=path,
                            hint="ge kommunerna eller dokumenten olika namn i profilerna")
        self._claimed[key] = owner or name
        check_not_input(path, self.inputs)
        check_writable(path, self.force)
        return path


def write_atomic(path: Path, content: bytes | str, force: bool = False,
                 inputs: Iterable[str | Path | None] = ()) -> None:
    """Write to a temporary file beside `path`, then rename it into place, so a
    crash never leaves a half-written document behind."""
    write_all([(Path(path), content)], force, inputs)


def write_all(files: Sequence[tuple[Path, bytes | str]], force: bool = False,
              inputs: Iterable[str | Path | None] = ()) -> None:
    """Write a set of files all or nothing: every file goes to a temporary file
    beside its target first, and only when all of them are written are they
    renamed into place. A full disk or a read-only folder leaves no partial set."""
    staged = stage_all(files, force, inputs)
    try:
        commit_staged(staged, force)
    finally:
        discard_staged(staged)


# (temporary file, final path): written in full, not yet renamed into place.
Staged = tuple[str, Path]


def stage_all(files: Sequence[tuple[Path, bytes | str]], force: bool = False,
              inputs: Iterable[str | Path | None] = ()) -> list[Staged]:
    """Check every target and write every file to a temporary beside it; on
    any error the temporaries already written are removed and nothing is staged."""
    inputs = list(inputs)
    for path, _ in files:
        check_not_input(path, inputs)
        check_writable(path, force)
    staged: list[Staged] = []
    try:
        for path, content in files:
            staged.append((_write_temporary(path, content), path))
    except BaseException as error:
        discard_staged(staged)
        if isinstance(error, OSError):
            raise _write_error(error, files[0][0]) from None
        raise
    return staged


def commit_staged(staged: Sequence[Staged], force: bool = False) -> None:
    """Rename staged files into place, after checking again that no target has
    appeared (without --force) or become a link or device meanwhile."""
    try:
        for _, path in staged:
            if not force and os.path.lexists(path):
                raise UserError("filen skapades av någon annan medan vi skrev", file=path,
                                hint="ange --force för att skriva över")
            check_writable(path, force)
        # A Ctrl-C waits until the whole set is in place: never half a set.
        with deferred():
            for temporary, path in staged:
                os.replace(temporary, path)
    except OSError as exc:
        raise _write_error(exc, staged[0][1] if staged else Path(".")) from None


def discard_staged(staged: Sequence[Staged]) -> None:
    with deferred():  # no temporary left behind by a second Ctrl-C
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)


def _write_error(exc: OSError, fallback: Path) -> UserError:
    return UserError(f"filen gick inte att skriva ({exc.strerror or exc})", file=exc.filename or fallback,
                     hint="kontrollera att disken inte är full och att du har skrivbehörighet i mappen; "
                          "inga filer har ändrats")


def _write_temporary(path: Path, content: bytes | str) -> str:
    data = content.encode("utf-8", errors="replace") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise UserError(f"kan inte skriva i mappen ({exc.strerror})", file=path.parent,
                        hint="kontrollera att mappen finns och att du har skrivbehörighet") from None
    try:
        # mkstemp makes the file private (0600); give it the mode a normal new
        # file would get, or keep the mode of the regular file it replaces.
        try:
            mode = stat.S_IMODE(os.lstat(path).st_mode)
        except OSError:
            mode = _default_mode()
        os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary
