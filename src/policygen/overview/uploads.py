"""An overview from uploaded bytes (the web page): a zip of documents, or an
archive file. Everything is unpacked into a private temporary folder that is
removed before the call returns; only a server started with an archive keeps
the run, in that archive."""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path, PurePosixPath

from policygen.errors import UserError
from policygen.overview.attribution import parse_mapping
from policygen.overview.build import build_overview, check_not_empty
from policygen.overview.report import OverviewFiles, overview_files

SUFFIXES = (".docx", ".pdf", ".txt", ".md", ".markdown")
MAPPING_NAME = "kommunlista.csv"     # a list beside the documents, as the CLI's --kommunlista
MAX_FILES = 2000
MAX_FILE_BYTES = 50 * 1024 * 1024   # the CLI's limit for one draft
MAX_TOTAL_BYTES = 400 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
SQLITE_MAGIC = b"SQLite format 3\x00"


def kind_of_upload(content: bytes) -> str:
    if content.startswith(ZIP_MAGIC):
        return "zip"
    if content.startswith(SQLITE_MAGIC):
        return "arkiv"
    raise UserError("filen är varken en zip-fil eller ett policygen-arkiv",
                    hint="packa dokumenten i en zip-fil (i Utforskaren: Skicka till → Komprimerad mapp) "
                         "eller välj en arkivfil (.sqlite) som policygen har skapat")


def _unpack(content: bytes, name: str, folder: Path) -> str | None:
    """Write the zip's documents into `folder` (sub-folders kept, every name
    checked) and return the text of its kommunlista.csv if it has one."""
    try:
        archive = zipfile.ZipFile(BytesIO(content))
    except zipfile.BadZipFile as error:
        raise UserError("zip-filen går inte att öppna", file=name, hint="packa dokumenten på nytt") from error
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_FILES:
        raise UserError(f"zip-filen har {len(members)} filer; sidan tar emot högst {MAX_FILES}", file=name,
                        hint="dela upp dokumenten i flera zip-filer, till exempel per län")
    mapping, total, written = None, 0, 0
    for member in members:
        path = PurePosixPath(member.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or any(part.startswith(".") for part in path.parts) \
                or path.parts[:1] == ("__MACOSX",):
            continue  # never outside the folder; no hidden files or macOS resource forks
        is_mapping = path.name.casefold() == MAPPING_NAME
        if not is_mapping and path.suffix.casefold() not in SUFFIXES:
            continue
        if member.file_size > MAX_FILE_BYTES:
            raise UserError(f"{path} är större än {MAX_FILE_BYTES // (1024 * 1024)} MB", file=name,
                            hint="ta bort inbäddade bilder eller dela upp dokumentet")
        try:
            with archive.open(member) as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as error:
            raise UserError(f"{path} i zip-filen går inte att packa upp ({error})", file=name,
                            hint="packa dokumenten på nytt utan lösenord") from error
        total += len(data)
        if len(data) > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
            raise UserError("zip-filens innehåll är för stort uppackat", file=name,
                            hint=f"högst {MAX_TOTAL_BYTES // (1024 * 1024)} MB uppackat; dela upp dokumenten")
        if is_mapping:
            mapping = data.decode("utf-8-sig", errors="replace")
            continue
        target = folder.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    if not written:
        raise UserError("zip-filen innehåller inga dokument", file=name,
                        hint="lägg .docx-, .pdf-, .txt- eller .md-filer i zip-filen")
    return mapping


def overview_from_upload(content: bytes, name: str, archive: Path | None = None) -> OverviewFiles:
    """The page, CSV and JSON for an uploaded zip or archive. A zip's run is
    stored only in `archive` (the server's own, when it was started with one)."""
    kind = kind_of_upload(content)
    with tempfile.TemporaryDirectory(prefix="policygen-oversikt-") as temporary:
        folder = Path(temporary)
        if kind == "arkiv":
            uploaded = folder / "arkiv.sqlite"
            uploaded.write_bytes(content)
            try:
                return overview_files(None, uploaded, with_downloads=True)
            except sqlite3.DatabaseError as error:
                raise UserError(f"arkivet går inte att läsa ({error})", file=name,
                                hint="välj en arkivfil som policygen har skapat") from error
        documents = folder / (Path(name).stem or "dokument")
        documents.mkdir()
        mapping_text = _unpack(content, name, documents)
        mapping = parse_mapping(mapping_text, f"{name}/{MAPPING_NAME}") if mapping_text is not None else None
        # One process: the web's worker pool already bounds the work running at once.
        overview = build_overview([documents], mapping, jobs=1, show_progress=False, source=Path(name).name)
        check_not_empty(overview)
        return overview_files(overview, archive, store=archive is not None, with_downloads=True)
