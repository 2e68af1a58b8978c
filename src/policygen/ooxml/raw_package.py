"""A user's DOCX as its zip parts, edited as XML and written back with every
other part byte for byte as it was.

The linter reads word/document.xml straight from the zip, so it accepts files
python-docx refuses or misreads: no relationships part, a comments part
without its content type, a main part typed as a template. A commented copy
of such a draft is made here, and the copy is repaired just enough that Word
(and python-docx) open it."""

from __future__ import annotations

import posixpath
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

from lxml import etree

from policygen.ooxml.container import UnpackBudget, read_member
from policygen.ooxml.xml_part import (
    MAX_XML_ELEMENTS,
    R_NS,
    count_elements,
    parse_part,
    referenced_ids,
    remove_references,
    serialise,
    transitional,
)

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = f"{R_NS}/officeDocument"
MAIN_PART = "word/document.xml"
MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# The content type of a part, known from the last segment of the relationship
# type that leads to it; used when a package does not say.
_TYPE_BY_RELATIONSHIP = {
    **{name: f"{_WML}{name}+xml" for name in ("styles", "numbering", "settings", "webSettings", "fontTable",
                                              "footnotes", "endnotes", "header", "footer", "comments")},
    "theme": "application/vnd.openxmlformats-officedocument.theme+xml",
    "stylesWithEffects": "application/vnd.ms-word.stylesWithEffects+xml",
    "core-properties": "application/vnd.openxmlformats-package.core-properties+xml",
    "extended-properties": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    "custom-properties": "application/vnd.openxmlformats-officedocument.custom-properties+xml",
}
_TYPE_BY_EXTENSION = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
                      "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff", "emf": "image/x-emf",
                      "wmf": "image/x-wmf", "svg": "image/svg+xml"}
_DEFAULT_TYPES = (("rels", "application/vnd.openxmlformats-package.relationships+xml"),
                  ("xml", "application/xml"))


def rels_name(part: str) -> str:
    """'word/document.xml' → 'word/_rels/document.xml.rels'; '' (the package) → '_rels/.rels'."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    """A relationship's target as a part name in the zip."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target)).lstrip("/")


class RawPackage:
    """The parts of a DOCX in zip order. The caller has checked the container
    (read.docx.check_docx_container with verify_all), so every part fits the limits."""

    def __init__(self, infos: list[zipfile.ZipInfo], parts: dict[str, bytes]) -> None:
        self.infos = infos
        self.parts = parts

    @classmethod
    def read(cls, path: Path) -> RawPackage:
        budget = UnpackBudget(path)
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            parts = {info.filename: transitional(read_member(archive, info, path, budget))
                     if info.filename.endswith((".xml", ".rels")) else read_member(archive, info, path, budget)
                     for info in infos}
        return cls(infos, parts)

    def xml(self, name: str) -> Any:
        """The part's XML tree, or None when it is missing, not well-formed, or
        has more elements than the linter reads from a whole file (never built:
        it could take gigabytes)."""
        data = self.parts.get(name)
        if data is None or count_elements(data) > MAX_XML_ELEMENTS:
            return None
        return parse_part(data)

    def put(self, name: str, data: bytes) -> None:
        if name not in self.parts:
            self.infos.append(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)))
        self.parts[name] = data

    def remove(self, name: str) -> None:
        if self.parts.pop(name, None) is not None:
            self.infos = [info for info in self.infos if info.filename != name]

    # -- relationships -------------------------------------------------------

    def relationships(self, part: str) -> Any:
        """The relationships of `part` ('' for the package); an empty set when
        the part has none or they cannot be read."""
        root = self.xml(rels_name(part))
        if root is None or root.tag != f"{{{RELS_NS}}}Relationships":
            root = etree.Element(f"{{{RELS_NS}}}Relationships", nsmap={None: RELS_NS})
        return root

    def set_relationships(self, part: str, root: Any) -> None:
        self.put(rels_name(part), serialise(root))

    @staticmethod
    def add_relationship(root: Any, reltype: str, target: str) -> str:
        ids = {rel.get("Id") for rel in root}
        number = len(ids) + 1
        while f"rIdPg{number}" in ids:
            number += 1
        rel_id = f"rIdPg{number}"
        etree.SubElement(root, f"{{{RELS_NS}}}Relationship", Id=rel_id, Type=reltype, Target=target)
        return rel_id

    # -- content types -------------------------------------------------------

    def content_types(self) -> Any:
        root = self.xml("[Content_Types].xml")
        if root is None or root.tag != f"{{{TYPES_NS}}}Types":
            root = etree.Element(f"{{{TYPES_NS}}}Types", nsmap={None: TYPES_NS})
        present = {default.get("Extension", "").lower() for default in root.iter(f"{{{TYPES_NS}}}Default")}
        for extension, content_type in _DEFAULT_TYPES:
            if extension not in present:
                root.insert(0, etree.Element(f"{{{TYPES_NS}}}Default", Extension=extension,
                                             ContentType=content_type))
        return root

    @staticmethod
    def set_override(types: Any, part: str, content_type: str | None) -> None:
        """Give `part` this content type (None: remove its override)."""
        for override in list(types.iter(f"{{{TYPES_NS}}}Override")):
            if override.get("PartName", "").lstrip("/").lower() == part.lower():
                types.remove(override)
        if content_type is not None:
            etree.SubElement(types, f"{{{TYPES_NS}}}Override", PartName="/" + part, ContentType=content_type)

    def complete_content_types(self, types: Any) -> None:
        """Every part a relationship leads to gets a content type: the one its
        relationship implies, or its extension's (a package that lost its
        [Content_Types].xml, or never listed a header or a picture)."""
        present = {name.lower() for name in self.parts}
        for override in list(types.iter(f"{{{TYPES_NS}}}Override")):
            if override.get("PartName", "").lstrip("/").lower() not in present:
                types.remove(override)  # a part left out, or never there
        overrides = {o.get("PartName", "").lstrip("/").lower() for o in types.iter(f"{{{TYPES_NS}}}Override")}
        defaults = {d.get("Extension", "").lower() for d in types.iter(f"{{{TYPES_NS}}}Default")}
        for name in [n for n in self.parts if n.endswith(".rels")]:
            folder, base = posixpath.split(name)
            source = posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])
            for relationship in self.relationships(source if base != ".rels" else ""):
                if relationship.get("TargetMode") == "External":
                    continue
                target = resolve_target(source if base != ".rels" else "", relationship.get("Target", ""))
                if target not in self.parts or target.lower() in overrides:
                    continue
                by_relationship = _TYPE_BY_RELATIONSHIP.get(relationship.get("Type", "").rsplit("/", 1)[-1])
                extension = target.rsplit(".", 1)[-1].lower()
                if by_relationship:
                    self.set_override(types, target, by_relationship)
                    overrides.add(target.lower())
                elif extension not in defaults and extension in _TYPE_BY_EXTENSION:
                    etree.SubElement(types, f"{{{TYPES_NS}}}Default", Extension=extension,
                                     ContentType=_TYPE_BY_EXTENSION[extension])
                    defaults.add(extension)

    def leave_out_broken_parts(self) -> list[str]:
        """Leave out of the copy every part that is not well-formed XML (or too
        big to read), with the
        relationships that lead to it, so Word opens the copy without a repair;
        returns their names. The main document is never one (the linter read
        it), and unreadable content types are rebuilt, not lost (content_types)."""
        broken = sorted(name for name in self.parts if name.endswith((".xml", ".rels"))
                        and name not in (MAIN_PART, "[Content_Types].xml") and self.xml(name) is None)
        for name in broken:
            self.remove(name)
            self.remove(rels_name(name))
        for name in [n for n in self.parts if n.endswith(".rels")]:
            folder, base = posixpath.split(name)
            source = "" if base == ".rels" else posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])
            relationships = self.relationships(source)
            leading = [rel for rel in relationships if rel.get("TargetMode") != "External"
                       and resolve_target(source, rel.get("Target", "")) in broken]
            for rel in leading:
                relationships.remove(rel)
            if leading:
                self.set_relationships(source, relationships)
        return broken

    def drop_dangling_references(self, part: str, tree: Any) -> None:
        """Remove from `tree` (the XML of `part`) what refers to a relationship the part does not have."""
        present = {rel.get("Id") for rel in self.relationships(part)}
        missing = referenced_ids(tree) - present
        if missing:
            remove_references(tree, missing)

    def make_main_part_openable(self, types: Any) -> None:
        """The package points to word/document.xml as a Word document, the part
        the linter read, whatever the source said or left out, and every part
        has a content type."""
        package_rels = self.relationships("")
        mains = [rel for rel in package_rels if rel.get("Type", "").endswith("/officeDocument")]
        if [resolve_target("", rel.get("Target", "")) for rel in mains] != [MAIN_PART]:
            for rel in mains:
                package_rels.remove(rel)
            self.add_relationship(package_rels, OFFICE_DOCUMENT, MAIN_PART)
            self.set_relationships("", package_rels)
        self.set_override(types, MAIN_PART, MAIN_CONTENT_TYPE)
        self.complete_content_types(types)

    def to_bytes(self) -> bytes:
        out = BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            # The content types come first, as Word writes them.
            ordered = sorted(self.infos, key=lambda info: info.filename != "[Content_Types].xml")
            for info in ordered:
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                copy.external_attr = info.external_attr
                archive.writestr(copy, self.parts[info.filename], compress_type=zipfile.ZIP_DEFLATED)
        return out.getvalue()
