"""Word comments written into a draft's raw XML: the comments part (the
draft's own when Word could read it, else a new one), ids that clash with
nothing already in the document, and the range markers around the runs a
comment is about."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from lxml import etree

from policygen.ooxml.anchors import W
from policygen.ooxml.raw_package import MAIN_PART, RawPackage, resolve_target
from policygen.ooxml.xml_part import remove_keeping_tail, serialise

COMMENTS_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
NEW_PART = "word/comments.xml"
_MARKERS = (f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}commentReference")
_NUMBER = re.compile(r"-?[0-9]{1,9}")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters XML 1.0 forbids. A comment quotes rule texts and evidence; lxml
# refuses these rather than write a part Word cannot open. (The document
# writer has its own copy of this filter; this module does not import the
# writer's python-docx stack.)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class CommentWriter:
    """Adds comments to the main document of `package`; `finish` stores them."""

    def __init__(self, package: RawPackage, document: Any, author: str, initials: str) -> None:
        self.package, self.document = package, document
        self.author, self.initials = author, initials
        self.date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.relationships = package.relationships(MAIN_PART)
        self.left_out: list[str] = []  # an unreadable comments part of the draft's own
        self.part, self.root = self._comments_part()
        known = {comment.get(f"{W}id") for comment in self.root.iter(f"{W}comment")}
        self._drop_markers_without_comment(known)
        numbers = [int(value) for value in known | self._marker_ids() if value and _NUMBER.fullmatch(value)]
        self.next_id = max([-1, *numbers]) + 1

    def _comments_part(self) -> tuple[str, Any]:
        """The comments part's name and its w:comments tree."""
        for relationship in list(self.relationships):
            if not relationship.get("Type", "").endswith("/comments") or relationship.get("TargetMode") == "External":
                continue
            name = resolve_target(MAIN_PART, relationship.get("Target", ""))
            root = self.package.xml(name)
            if root is not None and root.tag == f"{W}comments":
                return name, root
            # Not well-formed, or not a comments part: Word could not show its
            # comments either. A new part takes its place.
            self.relationships.remove(relationship)
            if name in self.package.parts:
                self.left_out.append(name)
            self.package.remove(name)
        self.package.remove(NEW_PART)  # a part no relationship leads to: Word ignores it
        self.package.add_relationship(self.relationships, COMMENTS_RELATIONSHIP, "comments.xml")
        return NEW_PART, etree.Element(f"{W}comments", nsmap={"w": W[1:-1]})

    def _marker_ids(self) -> set[str]:
        return {marker.get(f"{W}id", "") for tag in _MARKERS for marker in self.document.iter(tag)}

    def _drop_markers_without_comment(self, known: set[str | None]) -> None:
        """Markers of comments the comments part does not hold (it was dropped,
        or never related) would make Word repair the copy."""
        for tag in _MARKERS:
            for marker in list(self.document.iter(tag)):
                if marker.get(f"{W}id") in known:
                    continue
                run = marker.getparent()
                remove_keeping_tail(marker)
                if (tag == _MARKERS[2] and run is not None and run.tag == f"{W}r"
                        and all(child.tag == f"{W}rPr" for child in run)):
                    remove_keeping_tail(run)

    def _comment(self, text: str) -> str:
        comment_id = str(self.next_id)
        self.next_id += 1
        comment = etree.SubElement(self.root, f"{W}comment", {f"{W}id": comment_id, f"{W}author": self.author,
                                                             f"{W}initials": self.initials, f"{W}date": self.date})
        for index, line in enumerate(text.split("\n")):
            paragraph = etree.SubElement(comment, f"{W}p")
            if index == 0:  # Word's mark that ties the comment's text to its place
                etree.SubElement(etree.SubElement(paragraph, f"{W}r"), f"{W}annotationRef")
            node = etree.SubElement(etree.SubElement(paragraph, f"{W}r"), f"{W}t")
            node.text = _XML_ILLEGAL.sub("", line)
            node.set(_XML_SPACE, "preserve")
        return comment_id

    def _marker(self, tag: str, comment_id: str) -> Any:
        return etree.Element(f"{W}{tag}", {f"{W}id": comment_id})

    def _reference_run(self, comment_id: str) -> Any:
        run = etree.Element(f"{W}r")
        run.append(self._marker("commentReference", comment_id))
        return run

    def on_runs(self, paragraph: Any, first: Any, last: Any, text: str) -> None:
        """A comment on the runs from `first` to `last` of `paragraph`. The runs
        may sit in hyperlinks, fields, insertions or content controls; the
        comment's reference goes after the outermost of these, where a field
        update or a rejected insertion cannot remove it."""
        comment_id = self._comment(text)
        first.addprevious(self._marker("commentRangeStart", comment_id))
        end = self._marker("commentRangeEnd", comment_id)
        last.addnext(end)
        outermost = last
        while outermost.getparent() is not None and outermost.getparent() is not paragraph:
            outermost = outermost.getparent()
        (end if outermost is last else outermost).addnext(self._reference_run(comment_id))

    def on_paragraph_end(self, paragraph: Any, text: str) -> None:
        """A comment at the end of a paragraph that has no shown text to hold it."""
        comment_id = self._comment(text)
        paragraph.append(self._marker("commentRangeStart", comment_id))
        paragraph.append(self._marker("commentRangeEnd", comment_id))
        paragraph.append(self._reference_run(comment_id))

    def finish(self) -> None:
        package = self.package
        types = package.content_types()
        package.make_main_part_openable(types)
        package.set_override(types, self.part, COMMENTS_CONTENT_TYPE)
        package.put("[Content_Types].xml", serialise(types))
        package.set_relationships(MAIN_PART, self.relationships)
        package.put(self.part, serialise(self.root))
        package.put(MAIN_PART, serialise(self.document))
