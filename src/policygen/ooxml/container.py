"""The DOCX zip container, checked before any XML is read: what is no DOCX
(an encrypted file, an old .doc, a damaged zip) is refused with a Swedish
message, and every member is unpacked against one budget (total size, ratio,
size of one XML part) so a zip bomb stops early. Shared by the draft reader,
the commented copy and the Word templates of the generator."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from policygen.errors import UserError
from policygen.ooxml.xml_part import MAX_XML_ELEMENTS, count_elements

MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200
# One XML part held in memory and parsed; lxml needs several times this.
MAX_XML_PART_BYTES = 60 * 1024 * 1024
# What zipfile and zlib raise for a damaged archive or compressed stream.
UNPACK_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_docx_container(path: Path, what: str = "filen", verify_all: bool = False) -> None:
    """Refuse what is no DOCX, or would unpack to far too much, before any XML is read.

    The sizes in a zip's directory are claims. They are checked here as a quick
    first answer, and the real number of bytes is counted while a part is
    unpacked (read_member). With `verify_all` every part is unpacked and counted
    now, for a file handed whole to python-docx (a --reference-docx template, the
    source of --annotate) that would otherwise read parts no one checked."""
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic == _OLE_MAGIC:
        raise UserError(f"{what} är ett lösenordsskyddat (krypterat) dokument eller ett dokument i det gamla .doc-formatet",
                        file=path, hint="ta bort lösenordet i Word (Arkiv › Info › Skydda dokument) och spara som .docx")
    if not zipfile.is_zipfile(path):
        raise UserError(f"{what} är inte en giltig .docx (den är inte ett zip-arkiv)", file=path,
                        hint="öppna filen i Word och spara den som 'Word-dokument (*.docx)'")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_claims(members, path, what)
            if verify_all:
                budget = UnpackBudget(path)
                for member in members:
                    try:
                        read_member(archive, member, path, budget, keep=False)
                    except UNPACK_ERRORS:
                        raise UserError(f"{what} är en skadad .docx (delen {member.filename} går inte att packa upp)",
                                        file=path, hint="öppna filen i Word och spara den igen") from None
    except UNPACK_ERRORS:
        raise UserError(f"{what} är en skadad .docx (zip-arkivet går inte att läsa)", file=path,
                        hint="öppna filen i Word och spara den igen") from None


def _check_claims(members: list[zipfile.ZipInfo], path: Path, what: str) -> None:
    names = [m.filename for m in members]
    if len(set(names)) != len(names):
        duplicate = next(n for n in names if names.count(n) > 1)
        raise UserError(f"{what} är en skadad .docx (delen {duplicate} finns två gånger)", file=path,
                        hint="öppna filen i Word och spara den igen")
    unpacked = sum(m.file_size for m in members)
    # The file's real size, not the packed sizes it claims: a claim of a large
    # packed size would hide a high ratio.
    packed = max(1, path.stat().st_size)
    if unpacked > MAX_UNPACKED_BYTES or (unpacked > 20 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
        raise UserError(f"{what} packas upp till orimligt mycket data ({unpacked / 1e6:.0f} MB)", file=path,
                        hint="filen kan vara skadad eller skadlig; be avsändaren om en ny kopia")
    if "word/document.xml" not in names:
        raise UserError(f"{what} är ett zip-arkiv men inget Word-dokument", file=path,
                        hint="spara utkastet som .docx i Word")


class UnpackBudget:
    """How many more bytes one file may unpack to, counted from what the
    decompressor really returns, whatever the zip's directory claims."""

    def __init__(self, path: Path, total: int = MAX_UNPACKED_BYTES) -> None:
        self.path, self.left = path, total
        self.elements_left = MAX_XML_ELEMENTS  # over all the parts read into trees

    def spend_elements(self, name: str, data: bytes) -> None:
        """Count a part's elements before a tree is built: a million empty runs
        pack into kilobytes but take some 250 MB as a tree."""
        self.elements_left -= count_elements(data)
        if self.elements_left < 0:
            raise UserError(f"dokumentet är för stort att granska (över {MAX_XML_ELEMENTS:,} XML-element, "
                            f"räknat till och med delen {name})".replace(",", " "), file=self.path,
                            hint="granska dokumentet i delar, eller kontrollera att det är rätt fil")

    def spend(self, name: str, count: int, so_far: int) -> None:
        self.left -= count
        if self.left < 0 or (name.endswith((".xml", ".rels")) and so_far > MAX_XML_PART_BYTES):
            raise UserError(f"filen packas upp till orimligt mycket data (delen {name})", file=self.path,
                            hint="filen kan vara skadad eller skadlig; be avsändaren om en ny kopia")


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo | str, path: Path, budget: UnpackBudget,
                keep: bool = True) -> bytes:
    """One part of the zip, unpacked a megabyte at a time and counted against `budget`."""
    name = member if isinstance(member, str) else member.filename
    chunks: list[bytes] = []
    size = 0
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            budget.spend(name, len(chunk), size)
            if keep:
                chunks.append(chunk)
    return b"".join(chunks)
