"""A kommun's own Word template, built for the tests the way real ones look:
its own margins and body font, a logo in the header, a different first page
with a bigger logo, light grey body text, a footnotes part of its own, sample text in the body, and
heading and list styles that exist only as latent styles (Word defines them
the first time someone uses them)."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
from docx.shared import Cm, Pt, RGBColor

# Styles removed from the template's styles.xml so that only their latent entries remain.
LATENT_ONLY = {"Title", "List Bullet", "TOC Heading", "Table Grid", *(f"heading {n}" for n in range(1, 10))}
TEMPLATE_FONT = "Georgia"
TEMPLATE_GREY = "777777"
FIRST_PAGE_TEXT = "Logotyp och adress på första sidan"
SAMPLE_BODY_TEXT = "Skriv brödtexten här"

_FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


def logo_png(width: int = 40, height: int = 20) -> bytes:
    """A small solid-colour PNG (the kommun's 'logo')."""
    row = b"\x00" + bytes([0x1F, 0x4E, 0x79]) * width
    raw = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def municipal_template(path: Path) -> Path:
    word = docx.Document()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(3.5), Cm(2.5)
    word.styles["Normal"].font.name = TEMPLATE_FONT
    word.styles["Normal"].font.size = Pt(11)
    # A fashionable grey that is just too light to read (4.48:1 on white).
    word.styles["Normal"].font.color.rgb = RGBColor.from_string(TEMPLATE_GREY)

    section.header.paragraphs[0].add_run().add_picture(io.BytesIO(logo_png()), width=Cm(1.5))
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    first.add_run().add_picture(io.BytesIO(logo_png()), width=Cm(4))
    section.first_page_header.add_paragraph(FIRST_PAGE_TEXT)
    word.add_paragraph(SAMPLE_BODY_TEXT)

    buffer = io.BytesIO()
    word.save(buffer)
    path.write_bytes(_with_own_footnotes(_latent_only(buffer.getvalue())))
    return path


def _latent_only(package: bytes) -> bytes:
    def keep(match: re.Match) -> str:
        name = re.search(r'<w:name w:val="([^"]+)"', match.group(0))
        return "" if name and name.group(1) in LATENT_ONLY else match.group(0)

    return edit_package(package, {"word/styles.xml": lambda xml: re.sub(r"<w:style .*?</w:style>", keep, xml,
                                                                 flags=re.DOTALL)})


def _with_own_footnotes(package: bytes) -> bytes:
    rel = ('<Relationship Id="rIdTemplateNotes" '
           'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" '
           'Target="footnotes.xml"/>')
    override = ('<Override PartName="/word/footnotes.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>')
    package = edit_package(package, {
        "word/_rels/document.xml.rels": lambda xml: xml.replace("</Relationships>", rel + "</Relationships>"),
        "[Content_Types].xml": lambda xml: xml.replace("</Types>", override + "</Types>"),
    })
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/footnotes.xml", _FOOTNOTES)
    return out.getvalue()


def edit_package(package: bytes, edits: dict, parts: dict[str, bytes] | None = None) -> bytes:
    """A copy of a DOCX package with parts edited (name → function of the XML
    text) and new parts added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in edits:
                data = edits[item.filename](data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
        for name, data in (parts or {}).items():
            target.writestr(name, data)
    return out.getvalue()
