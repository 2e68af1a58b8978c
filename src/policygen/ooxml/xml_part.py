"""One XML part of a DOCX, as bytes and as a tree: parsed without ever
fetching or expanding what it points to, its elements counted before any
tree is built, Strict Open XML read under the transitional names, written
back as a standalone part, and elements taken out (also those that refer to
a relationship that is gone)."""

from __future__ import annotations

from typing import Any

from lxml import etree

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Elements one file may hold in the parts read as trees: a 500-page draft from
# Word has well under a million (some 50 a paragraph); this many take about
# 250 MB as a tree.
MAX_XML_ELEMENTS = 1_000_000
# Never fetch or expand anything a part points to (XXE, billion laughs).
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

# Word's "Strict Open XML" names the same vocabulary with other namespaces.
# Every other tag and attribute a reader needs is the same, so a strict part is
# read (and a commented copy written) under the transitional names, which
# Word, LibreOffice and python-docx all read.
STRICT_TO_TRANSITIONAL = tuple((strict.encode(), transitional.encode()) for strict, transitional in (
    ("http://purl.oclc.org/ooxml/wordprocessingml/main", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    ("http://purl.oclc.org/ooxml/officeDocument/relationships",
     "http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    ("http://purl.oclc.org/ooxml/drawingml/main", "http://schemas.openxmlformats.org/drawingml/2006/main"),
    ("http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
     "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    ("http://purl.oclc.org/ooxml/drawingml/picture", "http://schemas.openxmlformats.org/drawingml/2006/picture"),
    ("http://purl.oclc.org/ooxml/officeDocument/math", "http://schemas.openxmlformats.org/officeDocument/2006/math"),
    ("http://purl.oclc.org/ooxml/officeDocument/sharedTypes",
     "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes"),
    ("http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
     "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    ("http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
     "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
    ("http://purl.oclc.org/ooxml/officeDocument/customProperties",
     "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"),
))
_STRICT_MARK = b"http://purl.oclc.org/ooxml/"


def transitional(data: bytes) -> bytes:
    """A part's XML with Strict Open XML namespaces under their transitional names."""
    if _STRICT_MARK not in data:
        return data
    for strict, transitional_name in STRICT_TO_TRANSITIONAL:
        data = data.replace(strict, transitional_name)
    return data


_PICTURES = ("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}drawing",
             "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pict")


def count_elements(data: bytes) -> int:
    """Start tags in raw XML: every "<" that does not close an element or begin
    a declaration, comment or processing instruction. Counted in C, before any tree."""
    return data.count(b"<") - data.count(b"</") - data.count(b"<?") - data.count(b"<!")


def parse_part(data: bytes) -> Any:
    """A part's XML tree, or None when it is not well-formed XML."""
    try:
        return etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError:
        return None


def xml_error_place(error: etree.XMLSyntaxError) -> str:
    """Where a part's XML breaks, in words: 'rad 2, tecken 305'."""
    line, column = error.position if error.position else (error.lineno, None)
    return f"rad {line}" + (f", tecken {column}" if column else "")


def remove_keeping_tail(element: Any) -> None:
    """Take `element` out of its parent; the text that followed it stays."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def serialise(root: Any) -> bytes:
    """The tree as a standalone part. An entity reference the parser left
    unresolved would name a declaration the part no longer carries, so it goes."""
    for entity in list(root.iter(etree.Entity)):
        remove_keeping_tail(entity)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def referenced_ids(tree: Any) -> set[str]:
    """The relationship ids a part's XML refers to (r:id, r:embed, r:link …)."""
    return {value for element in tree.iter() if isinstance(element.tag, str)
            for attribute, value in element.attrib.items() if attribute.startswith(f"{{{R_NS}}}")}


def remove_references(tree: Any, ids: set[str]) -> None:
    """Remove what refers to a relationship that is gone: a hyperlink keeps its
    text and loses its target, a linked picture its link, a picture whose image
    is gone goes whole, anything else (a header reference, an embedded object) goes."""
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction; inside a removed picture, changes are harmless
        for attribute, value in list(element.attrib.items()):
            if not attribute.startswith(f"{{{R_NS}}}") or value not in ids:
                continue
            local = etree.QName(element).localname
            if local == "hyperlink" or attribute == f"{{{R_NS}}}link":
                del element.attrib[attribute]
                continue
            remove_keeping_tail(next(element.iterancestors(*_PICTURES), element))
            break
