"""A municipal Word template contributes styles, page setup, header and footer
art and numbering, and nothing that runs or reaches outside the document:
macros (vbaProject.bin), an attached template, ActiveX controls, custom XML,
embedded objects and every external relationship are dropped before
python-docx sees the package, together with the XML elements that referred
to them, so the generated document never points outside itself."""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

# Relationship types (their last path segment) that carry code, live data or
# another document, never layout.
_CODE_OR_DATA = {
    "vbaProject", "wordVbaData", "attachedTemplate", "control", "activeXControl", "activeXControlBinary",
    "customXml", "customXmlProps", "oleObject", "package", "subDocument", "keyMapCustomizations",
    "attachedToolbars", "frame", "printerSettings",
}
# Parts dropped by name, whether or not a relationship points to them.
_DROPPED_PREFIXES = ("customXml/", "word/activeX/", "word/embeddings/")
_DROPPED_NAMES = {"word/vbaProject.bin", "word/vbaData.xml", "word/attachedToolbars.bin",
                  "word/customizations.xml"}


def _rels_source(rels_name: str) -> str:
    """'word/_rels/document.xml.rels' → 'word/document.xml'."""
    folder, name = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def _dropped(relationship: etree._Element) -> bool:
    return (relationship.get("TargetMode") == "External"
            or relationship.get("Type", "").rsplit("/", 1)[-1] in _CODE_OR_DATA)


def clean_template(data: bytes) -> bytes:
    """The template package without code, live data or external references."""
    parts: dict[str, bytes] = {}
    infos: dict[str, zipfile.ZipInfo] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            parts[info.filename] = archive.read(info)
            infos[info.filename] = info

    dropped_parts = {name for name in parts
                     if name.startswith(_DROPPED_PREFIXES) or name in _DROPPED_NAMES}
    dropped_ids: dict[str, set[str]] = {}  # source part → relationship ids removed from it
    for name in [n for n in parts if n.endswith(".rels")]:
        tree = etree.fromstring(parts[name], _PARSER)
        source = _rels_source(name)
        for relationship in list(tree):
            target = relationship.get("Target", "")
            internal = posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")
            if _dropped(relationship) or (relationship.get("TargetMode") != "External" and internal in dropped_parts):
                dropped_ids.setdefault(source, set()).add(relationship.get("Id", ""))
                if relationship.get("TargetMode") != "External":
                    dropped_parts.add(internal)
                tree.remove(relationship)
        parts[name] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)

    for source, ids in dropped_ids.items():
        if source in parts and source.endswith(".xml") and source not in dropped_parts:
            parts[source] = _without_references(parts[source], ids)
    if "word/settings.xml" in parts:  # an attached template named without a relationship
        parts["word/settings.xml"] = _without_elements(parts["word/settings.xml"], ("attachedTemplate",))

    for name in list(dropped_parts):
        parts.pop(name, None)
        folder, base = posixpath.split(name)
        parts.pop(posixpath.join(folder, "_rels", base + ".rels"), None)
    if "[Content_Types].xml" in parts:
        types = etree.fromstring(parts["[Content_Types].xml"], _PARSER)
        for override in types.findall(f"{{{_TYPES_NS}}}Override"):
            if override.get("PartName", "").lstrip("/") not in parts:
                types.remove(override)
        parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8",
                                                      standalone=True)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as cleaned:
        for name, content in parts.items():
            cleaned.writestr(infos[name], content)
    return out.getvalue()


def _without_references(xml: bytes, ids: set[str]) -> bytes:
    """Remove what referred to a dropped relationship: a hyperlink keeps its
    text and loses its target, a linked picture its link, anything else goes."""
    tree = etree.fromstring(xml, _PARSER)
    for element in list(tree.iter()):
        parent = element.getparent()
        for attribute, value in list(element.attrib.items()):
            if not attribute.startswith(f"{{{_R_NS}}}") or value not in ids:
                continue
            local = etree.QName(element).localname
            if local == "hyperlink" or attribute == f"{{{_R_NS}}}link":
                del element.attrib[attribute]
            elif parent is not None:
                parent.remove(element)
                break
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_elements(xml: bytes, names: tuple[str, ...]) -> bytes:
    tree = etree.fromstring(xml, _PARSER)
    for name in names:
        for element in list(tree.iter(f"{{{_W_NS}}}{name}")):
            parent = element.getparent()
            if parent is not None:  # a part that is only this element keeps it: its relationship is gone
                parent.remove(element)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
