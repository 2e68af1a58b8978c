"""Readers: a draft file (DOCX, PDF, TXT, Markdown) → the shared Document model."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from policygen.errors import UserError
from policygen.infra.inputs import MAX_FILE_BYTES, check_regular_file
from policygen.model import Document
from policygen.read.docx import read_docx
from policygen.read.limits import check_document_limits
from policygen.read.text import read_text_file

SUPPORTED = (".docx", ".pdf", ".txt", ".md", ".markdown")


def find_drafts(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The drafts to lint: files given by name, and the supported files inside
    folders given, with the folders that could not be read as (folder, Swedish
    message) pairs so they are reported rather than skipped in silence.

    A folder is walked with an explicit stack (a 1 500-deep tree is no problem),
    symbolic links to folders are not entered, and a link to a file counts only
    if the file it points to lies inside the folder given: linting a folder never
    reads, say, /etc/hostname through a link."""
    files: list[Path] = []
    unreadable: list[tuple[str, str]] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        root = path.resolve()
        found: list[Path] = []
        stack = [path]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError as exc:
                unreadable.append((str(folder), f"{folder}: mappen går inte att läsa ({exc.strerror}); "
                                                "utkasten i den har inte granskats"))
                continue
            for entry in entries:
                name = entry.name
                if name.startswith(("~$", ".")):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    elif Path(name).suffix.lower() in SUPPORTED and entry.is_file():
                        if entry.is_symlink() and root not in Path(entry.path).resolve().parents:
                            continue  # a link out of the folder
                        found.append(Path(entry.path))
                except (OSError, RuntimeError):  # a link loop or a vanished entry
                    continue
        files += sorted(found)
    return files, unreadable


def read_document(path: str | Path) -> Document:
    path = Path(path)
    try:
        # A regular file, measured before anything reads it: /dev/zero or a FIFO
        # behind a .txt name is refused at once.
        size = check_regular_file(path, "utkastet", MAX_FILE_BYTES)
    except UserError:
        if path.is_dir():
            raise UserError("det här är en mapp", file=path,
                            hint="ange en fil, eller granska hela mappen med 'policygen lint MAPP'") from None
        raise
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UserError(f"filtypen '{path.suffix or '(ingen)'}' stöds inte", file=path,
                        hint="spara utkastet som .docx, .pdf, .txt eller .md")
    if size == 0:
        raise UserError("filen är tom", file=path, hint="kontrollera att du valt rätt fil")
    try:
        document = _read_by_type(path, suffix)
    except PermissionError:
        raise UserError("utkastet går inte att läsa (behörighet saknas)", file=path,
                        hint="be den som äger filen om läsrätt, eller kopiera den till en egen mapp") from None
    except OSError as exc:
        # A file that vanished, a network share that went away, a disk error.
        raise UserError(f"utkastet går inte att läsa ({exc.strerror or exc.__class__.__name__})", file=path,
                        hint="kontrollera att filen finns och går att öppna, och försök igen") from None
    check_document_limits(document, path)
    return document


def _read_by_type(path: Path, suffix: str) -> Document:
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".pdf":
        # Start-up time: the PDF libraries are loaded only for a PDF.
        from policygen.read.pdf.reader import read_pdf
        return read_pdf(path)
    return read_text_file(path)
