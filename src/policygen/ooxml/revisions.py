"""Word tracked changes written into a draft's raw XML: a replacement as one
w:del of the runs that held the old words and one w:ins of a run with the
new words, and whole paragraphs inserted with their paragraph mark marked as
inserted, so Reject all removes them without leaving an empty paragraph.

The runs at either end of a change are split at the character where it
begins and ends, and each part keeps its run properties; a change that spans
runs (a bold word inside the phrase) deletes all of them and inserts one run
with the properties of the first. Where a change would have to reach into a
structure whose meaning a deletion would break (a field's result, someone
else's tracked change, a footnote reference, a picture), `replace_text`
declines and the caller leaves a comment instead."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from policygen.ooxml.anchors import W
from policygen.ooxml.raw_package import RawPackage

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_ID = re.compile(rb":id=\"(-?[0-9]{1,9})\"")
# What a run may hold for its text to be deleted and retyped: text, tabs and
# breaks and the marks Word leaves in runs. Anything else (a field character,
# a note reference, a picture, a symbol) has a meaning of its own.
_PLAIN = frozenset({f"{W}rPr", f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen",
                    f"{W}softHyphen", f"{W}lastRenderedPageBreak"})
_ONE_CHARACTER = frozenset({f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"})
# Containers a change may sit in: the paragraph itself, and wrappers whose
# runs Word lets a reviewer delete and retype (a hyperlink keeps its target).
_OPEN_CONTAINERS = frozenset({f"{W}p", f"{W}hyperlink", f"{W}sdtContent", f"{W}smartTag", f"{W}customXml"})
# Containers that decline: someone else's tracked change or move, and a
# simple field (an update would overwrite the change).
_CLOSED_CONTAINERS = frozenset({f"{W}ins", f"{W}del", f"{W}moveTo", f"{W}moveFrom", f"{W}fldSimple"})
# What may lie between the runs of one change and move into its deletion.
_BETWEEN = frozenset({f"{W}proofErr"})


def first_free_id(package: RawPackage) -> int:
    """One more than every w:id in every XML part of the package (comments,
    bookmarks, revisions, notes, headers): Word refuses a copy in which a new
    revision or comment repeats an id. Counted on the raw bytes, which can only
    overcount, never miss one."""
    highest = -1
    for name, data in package.parts.items():
        if name.endswith(".xml"):
            for match in _ID.finditer(data):
                highest = max(highest, int(match.group(1)))
    return highest + 1


class Revisions:
    """Tracked changes by one author at one date. `take_id` is the package's
    single id counter (the comment writer's), so revisions and comments never
    share an id."""

    def __init__(self, author: str, date: str, take_id: Callable[[], int]) -> None:
        self.author, self.date, self.take_id = author, date, take_id

    def mark(self, tag: str) -> Any:
        """An empty w:ins or w:del of this author and date, with the next id."""
        return etree.Element(f"{W}{tag}", {f"{W}id": str(self.take_id()), f"{W}author": self.author,
                                           f"{W}date": self.date})

    # -- a replacement inside a paragraph -------------------------------------

    def replace_text(self, paragraph: Any, runs: list[Any], start: int, end: int,
                     new_text: str) -> tuple[Any, Any] | None:
        """Replace characters [start, end) of the text of `runs` (the
        paragraph's shown runs, in order) by `new_text`, as a tracked change.
        Returns the first and last element of the change, or None (nothing
        written) where it cannot be made safely."""
        if start >= end:
            return None
        chosen = _runs_between(runs, start, end)
        if not chosen or not _changeable(paragraph, [run for run, _ in chosen]):
            return None
        first_run, first_offset = chosen[0]
        last_run, last_offset = chosen[-1]
        if start > first_offset:
            right = split_run(first_run, start - first_offset)
            if last_run is first_run:
                last_run, last_offset = right, start
            first_run = right
        if end < last_offset + len(_text(last_run)):
            split_run(last_run, end - last_offset)
        deletion = self.mark("del")
        first_run.addprevious(deletion)
        node = deletion.getnext()
        while node is not None:
            following = node.getnext()
            deletion.append(node)
            if node is last_run:
                break
            node = following
        for text in deletion.iter(f"{W}t"):
            text.tag = f"{W}delText"
        if not new_text:
            return deletion, deletion
        insertion = self.mark("ins")
        insertion.append(new_run(first_run.find(f"{W}rPr"), new_text))
        deletion.addnext(insertion)
        return deletion, insertion

    # -- whole paragraphs -----------------------------------------------------

    def inserted_paragraph(self, properties: Any, pieces: list[tuple[str, Any]]) -> Any:
        """A new paragraph whose mark and runs are tracked insertions.
        `properties` is a w:pPr to copy (its own revisions and section left
        out), `pieces` the (text, w:rPr or None) of its runs."""
        paragraph = etree.Element(f"{W}p")
        ppr = copy.deepcopy(properties) if properties is not None else etree.Element(f"{W}pPr")
        for child in list(ppr):
            if child.tag in (f"{W}rPr", f"{W}sectPr", f"{W}pPrChange"):
                ppr.remove(child)
        mark = etree.SubElement(ppr, f"{W}rPr")
        mark.append(self.mark("ins"))
        paragraph.append(ppr)
        insertion = self.mark("ins")
        for text, rpr in pieces:
            if text:
                insertion.append(new_run(rpr, text))
        paragraph.append(insertion)
        return paragraph


def new_run(rpr: Any, text: str) -> Any:
    run = etree.Element(f"{W}r")
    if rpr is not None:
        properties = copy.deepcopy(rpr)
        for child in list(properties):
            if child.tag in (f"{W}rPrChange", f"{W}ins", f"{W}del", f"{W}vanish"):
                properties.remove(child)
        run.append(properties)
    node = etree.SubElement(run, f"{W}t")
    node.text = text
    node.set(_XML_SPACE, "preserve")
    return run


def _text(run: Any) -> str:
    return "".join(_child_text(child) for child in run)


def _child_text(child: Any) -> str:
    if child.tag == f"{W}t":
        return child.text or ""
    if child.tag in _ONE_CHARACTER:
        return "-" if child.tag == f"{W}noBreakHyphen" else " "
    return ""


def _runs_between(runs: list[Any], start: int, end: int) -> list[tuple[Any, int]]:
    """The runs that hold characters [start, end), each with the offset of its first character."""
    chosen, offset = [], 0
    for run in runs:
        length = len(_text(run))
        if offset < end and start < offset + length:
            chosen.append((run, offset))
        offset += length
    return chosen


def _changeable(paragraph: Any, runs: list[Any]) -> bool:
    parent = runs[0].getparent()
    if parent is None or parent.tag not in _OPEN_CONTAINERS:
        return False
    for run in runs:
        if run.getparent() is not parent:
            return False  # the change would cross a hyperlink's or a control's edge
        if any(child.tag not in _PLAIN or (child.tag == f"{W}t" and len(child)) for child in run):
            return False
        ancestor = parent
        while ancestor is not None and ancestor is not paragraph:
            if ancestor.tag in _CLOSED_CONTAINERS:
                return False
            ancestor = ancestor.getparent()
    node = runs[0].getnext()
    members = set(runs[1:])
    while members:
        if node is None or (node not in members and node.tag not in _BETWEEN):
            return False  # something else (a hidden run, a bookmark) lies inside the change
        members.discard(node)
        node = node.getnext()
    return not any(run in _field_result_runs(paragraph) for run in runs)


def _field_result_runs(paragraph: Any) -> set[Any]:
    """Runs between a complex field's begin and end: an update of the field rewrites them."""
    inside: set[Any] = set()
    depth = 0
    for run in paragraph.iter(f"{W}r"):
        characters = [node.get(f"{W}fldCharType") for node in run.iter(f"{W}fldChar")]
        if "begin" in characters:
            depth += 1
        if depth > 0:
            inside.add(run)
        if "end" in characters:
            depth = max(0, depth - 1)
    return inside


def split_run(run: Any, offset: int) -> Any:
    """Split `run` after `offset` characters of its text; the new right-hand
    run follows it, with the same properties, and is returned."""
    right = etree.Element(run.tag, dict(run.attrib))
    properties = run.find(f"{W}rPr")
    if properties is not None:
        right.append(copy.deepcopy(properties))
    position = 0
    for child in list(run):
        if child.tag == f"{W}rPr":
            continue
        length = len(_child_text(child))
        if position >= offset:
            right.append(child)
        elif child.tag == f"{W}t" and position + length > offset:
            cut = offset - position
            tail = etree.SubElement(right, f"{W}t")
            tail.text = (child.text or "")[cut:]
            tail.set(_XML_SPACE, "preserve")
            child.text = (child.text or "")[:cut]
            child.set(_XML_SPACE, "preserve")
        position += length
    run.addnext(right)
    return right

