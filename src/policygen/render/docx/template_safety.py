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
from pathlib import Path

from lxml import etree

from policygen.errors import UserError
from policygen.ooxml.raw_package import MAIN_PART, RawPackage, resolve_target
from policygen.ooxml.xml_part import (
    MAX_XML_ELEMENTS,
    SAFE_PARSER,
    count_elements,
    referenced_ids,
    remove_references,
    serialise,
    transitional,
    xml_error_place,
)

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NUMBERING = f"{_R_NS}/numbering"

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


def clean_template(data: bytes, path: Path | None = None) -> bytes:
    """The template package without code, live data or external references,
    every XML part checked and in the form python-docx reads.

    Beyond what a template must not carry, real templates vary: a .dotx or
    .docm main part becomes a plain document's, Strict Open XML is read under
    the transitional names, a DOCTYPE (never part of a Word file; an XXE
    attack's vehicle) is dropped unread, a reference to a relationship the
    part does not have is removed as if its target had been dropped, and a
    template without list definitions gets an empty numbering part (python-docx
    cannot add one). A part that is not well-formed XML is a clear error naming
    the part (and the template, `path`)."""
    parts: dict[str, bytes] = {}
    infos: dict[str, zipfile.ZipInfo] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            parts[info.filename] = archive.read(info)
            infos[info.filename] = info
    dropped_parts = {name for name in parts
                     if name.startswith(_DROPPED_PREFIXES) or name in _DROPPED_NAMES}
    # The relationships first: what they drop is never parsed.
    trees = {name: _parse(name, parts[name], path) for name in parts
             if name.endswith(".rels") and name not in dropped_parts}
    dropped_ids: dict[str, set[str]] = {}  # source part → relationship ids removed from it
    kept_ids: dict[str, set[str]] = {}
    for name in list(trees):
        tree = trees[name]
        source = _rels_source(name)
        if source in dropped_parts:
            continue
        for relationship in list(tree):
            target = relationship.get("Target", "")
            internal = posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")
            if _dropped(relationship) or (relationship.get("TargetMode") != "External" and internal in dropped_parts):
                dropped_ids.setdefault(source, set()).add(relationship.get("Id", ""))
                if relationship.get("TargetMode") != "External":
                    dropped_parts.add(internal)
                tree.remove(relationship)
            else:
                kept_ids.setdefault(source, set()).add(relationship.get("Id", ""))

    trees.update((name, _parse(name, parts[name], path)) for name in parts
                 if name.endswith(".xml") and name not in dropped_parts)
    for source, tree in trees.items():
        if source.endswith(".rels") or source in dropped_parts:
            continue
        missing = referenced_ids(tree) - kept_ids.get(source, set())
        if missing | dropped_ids.get(source, set()):
            remove_references(tree, missing | dropped_ids.get(source, set()))
    if "word/settings.xml" in trees:  # an attached template named without a relationship
        # …and no request to update fields on opening: the generated document asks
        # for that itself only when it has a table of contents of its own.
        _remove_elements(trees["word/settings.xml"], ("attachedTemplate", "updateFields"))
    for name, tree in trees.items():
        if name.startswith("word/") and name.endswith(".xml") and name not in dropped_parts:
            remove_reaching_fields(tree)

    for name in list(dropped_parts):
        parts.pop(name, None)
        trees.pop(name, None)
        folder, base = posixpath.split(name)
        parts.pop(posixpath.join(folder, "_rels", base + ".rels"), None)
        trees.pop(posixpath.join(folder, "_rels", base + ".rels"), None)
    if "[Content_Types].xml" in trees:
        types = trees["[Content_Types].xml"]
        for override in types.findall(f"{{{_TYPES_NS}}}Override"):
            if override.get("PartName", "").lstrip("/") not in parts:
                types.remove(override)
    for name, tree in trees.items():
        parts[name] = serialise(tree)
    package = RawPackage([infos[name] for name in parts], parts)
    # A .dotx or .docm main part serves as a plain document's; missing package
    # relationships or content types are supplied.
    types = package.content_types()
    _with_numbering_part(package)
    package.make_main_part_openable(types)
    package.put("[Content_Types].xml", serialise(types))
    return package.to_bytes()


def _with_numbering_part(package: RawPackage) -> None:
    relationships = package.relationships(MAIN_PART)
    for relationship in relationships:
        if (relationship.get("Type", "").endswith("/numbering") and relationship.get("TargetMode") != "External"
                and resolve_target(MAIN_PART, relationship.get("Target", "")) in package.parts):
            return
    name = "word/numbering.xml"
    existing = package.xml(name)  # a part no relationship led to
    if existing is None or existing.tag != f"{{{_W_NS}}}numbering":
        package.put(name, serialise(etree.Element(f"{{{_W_NS}}}numbering", nsmap={"w": _W_NS})))
    package.add_relationship(relationships, _NUMBERING, "numbering.xml")
    package.set_relationships(MAIN_PART, relationships)


def _parse(name: str, data: bytes, path: Path | None) -> etree._Element:
    if count_elements(data) > MAX_XML_ELEMENTS:
        raise UserError(f"Word-mallen är för stor (delen {name} har över {MAX_XML_ELEMENTS:,} XML-element)"
                        .replace(",", " "), file=path, hint="en mall ska bara innehålla layout; kontrollera att det "
                        "är rätt fil, eller spara en mall utan text")
    try:
        return etree.fromstring(transitional(data), SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise UserError(f"Word-mallen har trasig XML i delen {name} ({xml_error_place(exc)})", file=path,
                        hint="öppna mallen i Word och spara den igen som .docx eller .dotx") from None


# Field codes a template may keep: page numbers, dates, document properties,
# references inside the document. Every other field (INCLUDEPICTURE,
# INCLUDETEXT, INCLUDE, LINK, DDE, DDEAUTO, IMPORT, DATABASE, MACROBUTTON …)
# may fetch a file or a URL (a UNC path leaks the reader's password hash),
# start a program or run a macro: it is replaced by the text it showed.
SAFE_FIELDS = {
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "CREATEDATE", "SAVEDATE", "PRINTDATE",
    "TITLE", "SUBJECT", "AUTHOR", "LASTSAVEDBY", "KEYWORDS", "COMMENTS", "DOCPROPERTY", "STYLEREF", "REF",
    "PAGEREF", "NOTEREF", "SEQ", "TOC", "TC", "HYPERLINK", "NUMWORDS", "NUMCHARS", "=", "IF", "QUOTE",
    "SYMBOL", "FILENAME", "TEMPLATE", "EDITTIME", "REVNUM", "LISTNUM", "AUTONUM", "AUTONUMLGL", "AUTONUMOUT",
    "BIDIOUTLINE", "ADVANCE", "EQ", "USERNAME", "USERINITIALS", "USERADDRESS", "DOCVARIABLE", "INFO",
}


def _field_name(instruction: str) -> str:
    words = instruction.strip().split(None, 1)
    name = words[0].upper() if words else ""
    return "=" if name.startswith("=") else name


def remove_reaching_fields(tree: etree._Element) -> int:
    """Flatten every field whose code is not in SAFE_FIELDS to its shown
    result; returns how many were flattened. Simple fields (w:fldSimple) give
    up their runs; complex ones (w:fldChar begin … separate … end) lose the
    runs of the code and keep those of the result. Nested fields are judged
    each on its own."""
    w = f"{{{_W_NS}}}"
    flattened = 0
    for simple in list(tree.iter(f"{w}fldSimple")):
        if _field_name(simple.get(f"{w}instr", "")) not in SAFE_FIELDS and (parent := simple.getparent()) is not None:
            index = parent.index(simple)
            for offset, child in enumerate(list(simple)):
                parent.insert(index + offset, child)
            parent.remove(simple)
            flattened += 1
    # Complex fields: walk the runs in document order with a stack of open fields.
    stack: list[dict] = []
    doomed: list[etree._Element] = []
    for element in tree.iter(f"{w}fldChar", f"{w}instrText", f"{w}delInstrText"):
        run = element.getparent()
        kind = element.get(f"{w}fldCharType") if element.tag == f"{w}fldChar" else "code"
        if kind == "begin":
            stack.append({"code": "", "runs": [run], "in_code": True})
        elif not stack:
            continue
        elif kind == "code":
            if stack[-1]["in_code"]:
                stack[-1]["code"] += element.text or ""
                stack[-1]["runs"].append(run)
        elif kind == "separate":
            stack[-1]["in_code"] = False
            stack[-1]["runs"].append(run)
        elif kind == "end":
            field = stack.pop()
            field["runs"].append(run)
            if _field_name(field["code"]) not in SAFE_FIELDS:
                doomed += field["runs"]
                flattened += 1
    for run in dict.fromkeys(doomed):
        if run is not None and (parent := run.getparent()) is not None:
            parent.remove(run)
    return flattened


def _remove_elements(tree: etree._Element, names: tuple[str, ...]) -> None:
    for name in names:
        for element in list(tree.iter(f"{{{_W_NS}}}{name}")):
            if (parent := element.getparent()) is not None:
                parent.remove(element)
