"""Hand-built DOCX packages for reader tests: only the parts a test needs, so
what the reader must cope with is visible in the test itself."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""


def p(text: str, style: str | None = None, bold: bool = False, size: int | None = None,
      numbered: bool = False, outline: int | None = None) -> str:
    ppr = ""
    if style or numbered or outline is not None:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + \
              ('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if numbered else "") + \
              (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "") + "</w:pPr>"
    rpr = ""
    if bold or size:
        rpr = "<w:rPr>" + ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "") + "</w:rPr>"
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def table(rows: list[list[str]]) -> str:
    cells = "".join("<w:tr>" + "".join(f"<w:tc>{p(c)}</w:tc>" for c in row) + "</w:tr>" for row in rows)
    return f"<w:tbl>{cells}</w:tbl>"


def style(style_id: str, name: str, based_on: str | None = None, bold: bool = False,
          outline: int | None = None) -> str:
    return (f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
            + (f'<w:pPr><w:outlineLvl w:val="{outline}"/></w:pPr>' if outline is not None else "")
            + ("<w:rPr><w:b/></w:rPr>" if bold else "") + "</w:style>")


def write_docx(path: Path, body: str, styles: str = "", footnotes: str = "", title: str | None = None,
               prolog: str = "") -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml",
                         f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W_NS}">'
                         f"<w:body>{body}</w:body></w:document>")
        if styles:
            archive.writestr("word/styles.xml", f'<w:styles xmlns:w="{W_NS}">{styles}</w:styles>')
        if footnotes:
            archive.writestr("word/footnotes.xml", f'<w:footnotes xmlns:w="{W_NS}">{footnotes}</w:footnotes>')
        if title is not None:
            archive.writestr("docProps/core.xml",
                             '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                             'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                             f"<dc:title>{escape(title)}</dc:title></cp:coreProperties>")
    return path


# -- pieces for the edge cases of a real Word file -----------------------------------

def r(text: str, rpr: str = "") -> str:
    """One run; `rpr` is the inner XML of its w:rPr (e.g. '<w:vanish/>')."""
    properties = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*content: str, style: str | None = None, mark_rpr: str = "") -> str:
    """A paragraph of ready-made content (runs, wrappers); `mark_rpr` formats its paragraph mark."""
    ppr = ""
    if style or mark_rpr:
        ppr = ("<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "")
               + (f"<w:rPr>{mark_rpr}</w:rPr>" if mark_rpr else "") + "</w:pPr>")
    return f"<w:p>{ppr}{''.join(content)}</w:p>"


def tracked(kind: str, content: str, change_id: int = 1) -> str:
    """Content inside a tracked change: kind is ins, del, moveFrom or moveTo.
    Deleted runs hold w:delText, as Word writes them."""
    if kind == "del":
        content = content.replace("<w:t ", "<w:delText ").replace("</w:t>", "</w:delText>")
    return f'<w:{kind} w:id="{change_id}" w:author="Handläggare" w:date="2026-11-01T10:00:00Z">{content}</w:{kind}>'


def character_style(style_id: str, name: str, rpr: str) -> str:
    return f'<w:style w:type="character" w:styleId="{style_id}"><w:name w:val="{name}"/><w:rPr>{rpr}</w:rPr></w:style>'


def paragraph_style(style_id: str, name: str, rpr: str, based_on: str | None = None) -> str:
    return (f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "") + f"<w:rPr>{rpr}</w:rPr></w:style>")


def rewrite_parts(path: Path, parts: dict[str, bytes | str | None]) -> Path:
    """The package at `path` with parts replaced or added (None: removed)."""
    with zipfile.ZipFile(path) as source:
        kept = {info.filename: source.read(info) for info in source.infolist() if info.filename not in parts}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in kept.items():
            archive.writestr(name, data)
        for name, data in parts.items():
            if data is not None:
                archive.writestr(name, data)
    return path


def damage_deflate(data: bytes, part: str) -> bytes:
    """The package with bytes in the middle of `part`'s compressed stream
    flipped; the zip's directory stays intact, so only unpacking the part fails."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(part)
    damaged = bytearray(data)
    start = info.header_offset + 30 + len(info.filename.encode("utf-8")) + len(info.extra)
    middle = start + info.compress_size // 2
    for offset in range(max(start, middle - 4), min(start + info.compress_size, middle + 4)):
        damaged[offset] ^= 0x55
    return bytes(damaged)


def duplicate_part(data: bytes, part: str, second: bytes) -> bytes:
    """The package with a second zip entry of the same name holding `second`."""
    import io
    import warnings

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate name, which is the point
            target.writestr(part, second)
    return out.getvalue()


STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def as_strict(data: bytes) -> bytes:
    """The package as Word saves 'Strict Open XML': the same tags under other namespaces."""
    import io

    pairs = [(W_NS, STRICT_W_NS),
             ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
              "http://purl.oclc.org/ooxml/officeDocument/relationships"),
             ("http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main")]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                text = content.decode("utf-8")
                for transitional, strict in pairs:
                    text = text.replace(transitional, strict)
                content = text.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()
