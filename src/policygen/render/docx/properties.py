"""The DOCX package around the text: core, extended (app.xml) and custom
properties, and removal of parts a template leaves behind.

A case system (Public 360°, Platina, Lex, W3D3 …) files a document by reading
these properties, and a published file must not carry the thumbnail or
metadata of the template it was made from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from policygen import __version__
from policygen.model import Document
from policygen.render.docx.wordml import xml_escape, xml_safe

# Metadata labels (as the assembler writes them) that become custom document
# properties, in this order; absent labels are left out.
CUSTOM_PROPERTY_LABELS = ("Diarienummer", "Dokumenttyp", "Beslutad av", "Beslutsdatum",
                          "Dokumentansvarig", "Giltig till", "Version")

DRAFT_MARK = "UTKAST"
# The metadata table's header row (DOCX and Markdown).
METADATA_HEADER = ("Uppgift", "Värde")

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
# The format id every custom property carries (fixed by the OOXML spec).
_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def prepare_package_parts(word: Any) -> None:
    """Template leftovers removed, and the core, extended and custom property
    parts present (the writer fills them per document), so the base's content
    types and relationships already name them."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    _remove_leftovers(word)
    word.core_properties.title = ""   # creates docProps/core.xml when the template has none
    _replace_package_part(word, RT.EXTENDED_PROPERTIES, "/docProps/app.xml", CT.OFC_EXTENDED_PROPERTIES,
                          b"<Properties/>")
    _replace_package_part(word, RT.CUSTOM_PROPERTIES, "/docProps/custom.xml", CT.OFC_CUSTOM_PROPERTIES,
                          b"<Properties/>")


def property_parts(document: Document, now: dt.datetime | None = None) -> dict[str, bytes]:
    """docProps/core.xml, app.xml and custom.xml for `document`."""
    now = now or dt.datetime.now(dt.UTC)
    return {"docProps/core.xml": core_properties_xml(document, now),
            "docProps/app.xml": _app_xml(document),
            "docProps/custom.xml": custom_properties_xml(custom_properties(document))}


def document_title(document: Document) -> str:
    """The title as shown in properties and the PDF window: marked when it is a draft."""
    return f"{DRAFT_MARK} – {document.title}" if document.draft else document.title


def custom_properties(document: Document) -> list[tuple[str, str]]:
    values = []
    for label in CUSTOM_PROPERTY_LABELS:
        value = document.metadata_value(label)
        if value is None and label == "Dokumenttyp" and document.doc_type:
            value = document.doc_type.capitalize()
        value = xml_safe(value or "").strip()
        if value:
            values.append((label, value))
    return values


def custom_properties_xml(properties: list[tuple[str, str]]) -> bytes:
    items = "".join(
        f'<property fmtid="{_CUSTOM_FMTID}" pid="{pid}" name="{xml_escape(name)}">'
        f"<vt:lpwstr>{xml_escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties, start=2)  # pid 0 and 1 are reserved
    )
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{items}</Properties>').encode()


def _app_xml(document: Document) -> bytes:
    company = f"<Company>{xml_escape(xml_safe(document.kommun))}</Company>" if document.kommun else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{_EXTENDED_NS}" xmlns:vt="{_VT_NS}">'
            f"<Application>policygen {xml_escape(__version__)}</Application>{company}"
            f"<DocSecurity>0</DocSecurity></Properties>").encode()


def _property(text: str) -> str:
    """A document property as Word allows it: at most 255 characters (the
    document's own text keeps the whole value)."""
    text = xml_safe(text)
    return text if len(text) <= 255 else text[:254] + "…"


_CORE_NS = ('xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')


def core_properties_xml(document: Document, now: dt.datetime) -> bytes:
    """Title, subject, author, keywords, language, category and status, as a
    case system and the PDF export read them."""
    # A template says when it was made; the document is made now.
    moment = now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = [("dc:title", _property(document_title(document))),
              ("dc:subject", _property(document.subject or "")),
              ("dc:creator", _property(document.author or document.kommun or "")),
              ("cp:keywords", _property("; ".join(document.keywords))),
              ("dc:description", "Skapad med policygen"),
              ("cp:lastModifiedBy", "policygen"),
              ("cp:revision", "1"),
              ("cp:category", _property(document.doc_type or "")),
              ("cp:contentStatus", "Utkast" if document.draft else ""),
              ("dc:language", "sv-SE")]
    items = "".join(f"<{tag}>{xml_escape(value)}</{tag}>" for tag, value in fields if value)
    dates = "".join(f'<dcterms:{tag} xsi:type="dcterms:W3CDTF">{moment}</dcterms:{tag}>'
                    for tag in ("created", "modified"))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<cp:coreProperties {_CORE_NS}>{items}{dates}</cp:coreProperties>").encode()


def _remove_leftovers(word: Any) -> None:
    # Parts that describe the template rather than the generated document.
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    leftovers = {RT.THUMBNAIL, RT.CUSTOM_XML, _STYLES_WITH_EFFECTS}
    package = word.part.package
    for source in (package, *package.iter_parts()):
        for rel_id, rel in list(source.rels.items()):
            if rel.reltype in leftovers:
                del source.rels[rel_id]


def _replace_package_part(word: Any, reltype: str, partname: str, content_type: str, blob: bytes) -> None:
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = word.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == reltype:
            del package.rels[rel_id]
    package.relate_to(Part(PackURI(partname), content_type, blob, package), reltype)
