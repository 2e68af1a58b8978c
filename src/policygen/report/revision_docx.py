"""The revised copy of a DOCX draft: the plan's replacements and inserted
clauses as Word tracked changes by "policygen", each with a comment that
says which rule, why and on what source; every other finding as the same
comment the commented copy gives it, and the summary on the title. The
draft itself is only read.

The copy is made from the draft's raw parts like the commented copy
(word_comments.open_copy), so drafts with fields, hyperlinks, content
controls, earlier comments and tracked changes of their own are revised on
their accepted text, and their own revisions stay as they were."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from policygen.lint.results import Finding, LintResult
from policygen.model import BulletList, Document, Paragraph
from policygen.ooxml.anchors import W, body_paragraphs
from policygen.ooxml.comment_part import CommentWriter
from policygen.ooxml.revisions import Revisions, first_free_id
from policygen.ooxml.visible import Visibility, run_text
from policygen.report.revision_plan import InsertedParagraph, Insertion, Replacement, RevisionPlan
from policygen.report.word_comments import (
    AUTHOR,
    INITIALS,
    _comment_findings,
    _comment_summary,
    _normalised_map,
    _paragraph_for,
    _summary_text,
    _text_runs,
    open_copy,
)

# Run properties that come after w:highlight in a w:rPr (the schema's order).
_AFTER_HIGHLIGHT = frozenset(f"{W}{name}" for name in (
    "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath", "rPrChange"))
BULLET = "• "


@dataclass(frozen=True)
class RevisedCopy:
    """What a revision made: tracked replacements, inserted clauses and the findings left as comments."""
    changes: int
    insertions: int
    comments: int


def write_revised_docx(source: Path, result: LintResult, document_model: Document,
                       plan: RevisionPlan) -> tuple[bytes, RevisedCopy]:
    """The revised copy's bytes, and what it holds."""
    package, document, body, left_out = open_copy(source)
    visibility = Visibility.from_styles(package.xml("word/styles.xml"))
    writer = CommentWriter(package, document, AUTHOR, INITIALS)
    writer.next_id = max(writer.next_id, first_free_id(package))

    def take_id() -> int:
        value = writer.next_id
        writer.next_id += 1
        return value

    revisions = Revisions(AUTHOR, writer.date, take_id)
    paragraphs = body_paragraphs(body)
    declined = _replace_all(writer, revisions, paragraphs, plan.replacements, visibility)
    inserted = 0
    carriers: set[Any] = set()
    for insertion in plan.insertions:
        if _insert(writer, revisions, body, paragraphs, document_model, insertion, carriers):
            inserted += 1
        else:
            declined += insertion.findings
    placed, unplaced = _comment_findings(writer, paragraphs, plan.comments_only + declined, visibility)
    changes = len(plan.replacements) - sum(1 for f in declined if f.coverage_id is None)
    summary = _summary_text(result, unplaced, left_out + writer.left_out)
    summary += (f"\nReviderat av policygen: {changes} ändringar och {inserted} infogade avsnitt som spårade "
                f"ändringar; {placed + len(unplaced)} anmärkningar står kvar som kommentarer. Godkänn eller "
                "avvisa varje ändring under Granska › Spåra ändringar.")
    _comment_summary(writer, paragraphs, summary, visibility)
    writer.finish()
    return package.to_bytes(), RevisedCopy(changes, inserted, placed + len(unplaced))


# -- replacements ------------------------------------------------------------------


def _replace_all(writer: CommentWriter, revisions: Revisions, paragraphs: list[Any],
                 replacements: list[Replacement], visibility: Visibility) -> list[Finding]:
    """Make every replacement that can be made safely; returns the findings of the rest."""
    declined: list[Finding] = []
    by_paragraph: dict[Any, list[Replacement]] = defaultdict(list)
    for replacement in replacements:
        paragraph = _paragraph_for(paragraphs, replacement.finding, visibility)
        if paragraph is None:
            declined.append(replacement.finding)
        else:
            by_paragraph[paragraph].append(replacement)
    for paragraph, in_paragraph in by_paragraph.items():
        # From the end of the paragraph backward: a change never moves the text of one still to come.
        in_paragraph.sort(key=lambda r: r.finding.span.start, reverse=True)
        taken_from: int | None = None
        for replacement in in_paragraph:
            made = None
            place = _place_in(paragraph, replacement, visibility)
            if place is not None and (taken_from is None or place[1] <= taken_from):
                runs, start, end = place[2], place[3], place[4]
                made = revisions.replace_text(paragraph, runs, start, end, replacement.new_text)
            if made is None:
                declined.append(replacement.finding)
                continue
            taken_from = place[0] if place is not None else taken_from
            writer.on_runs(paragraph, made[0], made[1], replacement.comment)
    return declined


def _place_in(paragraph: Any, replacement: Replacement, visibility: Visibility) -> tuple[int, int, list[Any], int, int] | None:
    """(start, end) of the evidence in the paragraph's normalised text, the
    shown runs, and the evidence's raw offsets in their text; None when the
    evidence is not there exactly once where the finding says."""
    runs = _text_runs(paragraph, visibility)
    raw = "".join(run_text(run) for run in runs)
    normalised = " ".join(raw.split())
    evidence = replacement.finding.span.text
    start, end = replacement.finding.span.start, replacement.finding.span.end
    if normalised[start:end] != evidence:
        if normalised.count(evidence) != 1:
            return None  # a table row's offsets, or text that moved: only an unambiguous place will do
        start = normalised.find(evidence)
        end = start + len(evidence)
    positions = _normalised_map(raw)
    if end == 0 or end > len(positions):
        return None
    return start, end, runs, positions[start], positions[end - 1] + 1


# -- inserted clauses ----------------------------------------------------------------


def _insert(writer: CommentWriter, revisions: Revisions, body: Any, paragraphs: list[Any],
            model: Document, insertion: Insertion, carriers: set[Any]) -> bool:
    """Insert the clause; `carriers` are new paragraphs that hold a draft
    paragraph's own mark (a later clause at the same place goes after them)."""
    anchor_before = _position(insertion, model)
    before = _block_of(body, paragraphs[anchor_before]) if anchor_before is not None \
        and 0 <= anchor_before < len(paragraphs) else None
    heading_props, heading_run = _looks(paragraphs, _heading_like(model, insertion.level))
    body_props, body_run = _looks(paragraphs, _body_like(model, anchor_before))
    bullet_props, bullet_run = _looks(paragraphs, _bullet_like(model))
    if body_props is not None:
        body_props = _without_numbering(body_props)
    if heading_props is None:
        heading_props = etree.Element(f"{W}pPr")
        heading_run = _bold(body_run)
    new = []
    for inserted in insertion.paragraphs:
        if inserted.kind == "heading":
            if insertion.under is not None:
                continue  # the part extends a section the draft already has
            new.append(revisions.inserted_paragraph(heading_props, _pieces(inserted, heading_run)))
        elif inserted.kind == "bullet" and bullet_props is not None:
            new.append(revisions.inserted_paragraph(bullet_props, _pieces(inserted, bullet_run)))
        elif inserted.kind == "bullet":
            pieces = InsertedParagraph(((BULLET, False), *inserted.pieces), "bullet")
            new.append(revisions.inserted_paragraph(body_props, _pieces(pieces, body_run)))
        else:
            new.append(revisions.inserted_paragraph(body_props, _pieces(inserted, body_run)))
    if not new:
        return False
    previous = before.getprevious() if before is not None else _last_block(body)
    if previous in carriers or _can_carry_mark(previous):
        _take_over_mark(previous, new[-1], revisions)
        carriers.add(new[-1])
        for paragraph in reversed(new):
            previous.addnext(paragraph)
    else:
        for paragraph in new:
            if before is not None:
                before.addprevious(paragraph)
            else:
                _append_to_body(body, paragraph)
    first = new[0].find(f"{W}ins")
    last = new[-1].find(f"{W}ins")
    writer.on_runs(new[-1], first, last, insertion.comment)
    return True


def _position(insertion: Insertion, model: Document) -> int | None:
    """The anchor of the draft paragraph the clause goes before; None: at the end of the body."""
    if insertion.under is not None:
        headings = [h for h in model.headings() if h.level >= 1]
        index = headings.index(insertion.under) if insertion.under in headings else -1
        following = next((h for h in headings[index + 1:] if h.level <= insertion.under.level), None) \
            if index >= 0 else None
        return following.location.anchor if following is not None else None
    return insertion.before.location.anchor if insertion.before is not None else None


def _block_of(body: Any, paragraph: Any) -> Any:
    """The body-level element that holds `paragraph` (itself, a table, a content control)."""
    node = paragraph
    while node.getparent() is not None and node.getparent() is not body:
        node = node.getparent()
    return node


def _last_block(body: Any) -> Any:
    last = body[-1] if len(body) else None
    return last.getprevious() if last is not None and last.tag == f"{W}sectPr" else last


def _can_carry_mark(previous: Any) -> bool:
    """Whether the new paragraphs can follow `previous` with its paragraph mark
    as the inserted one: a paragraph of the body whose mark holds no section
    break and no tracked change (of text or look) of its own."""
    if previous is None or previous.tag != f"{W}p":
        return False
    properties = previous.find(f"{W}pPr")
    return properties is None or (properties.find(f"{W}sectPr") is None
                                  and properties.find(f"{W}pPrChange") is None
                                  and properties.find(f"{W}rPr/{W}ins") is None
                                  and properties.find(f"{W}rPr/{W}del") is None)


def _take_over_mark(previous: Any, last_new: Any, revisions: Revisions) -> None:
    """Insert after `previous` as Word does when Enter is pressed at its end:
    the mark that ends `previous` becomes the inserted one, and the draft's own
    mark moves to the end of the last new paragraph. Reject all then joins the
    new paragraphs back into `previous` and leaves exactly its text and look,
    in Word and in LibreOffice alike."""
    properties = previous.find(f"{W}pPr")
    original = copy.deepcopy(properties) if properties is not None else None
    if properties is None:
        properties = etree.Element(f"{W}pPr")
        previous.insert(0, properties)
    mark = properties.find(f"{W}rPr")
    if mark is None:
        mark = etree.SubElement(properties, f"{W}rPr")
        change = properties.find(f"{W}pPrChange")
        if change is not None:
            change.addprevious(mark)
    mark.insert(0, revisions.mark("ins"))
    # The last new paragraph ends with the draft's own mark: it keeps its own
    # look, and the look the mark had is recorded as a tracked property change,
    # so rejecting it restores `previous` exactly.
    own = last_new.find(f"{W}pPr")
    own.remove(own.find(f"{W}rPr"))
    original_mark = original.find(f"{W}rPr") if original is not None else None
    if original_mark is not None:
        own.append(copy.deepcopy(original_mark))
    earlier = original.find(f"{W}pPrChange/{W}pPr") if original is not None else None
    if earlier is not None:  # `previous` is itself a carrier: the draft's look is the one recorded there
        before = copy.deepcopy(earlier)
    else:
        before = copy.deepcopy(original) if original is not None else etree.Element(f"{W}pPr")
    for child in list(before):
        if child.tag in (f"{W}rPr", f"{W}sectPr", f"{W}pPrChange"):
            before.remove(child)
    now = [etree.tostring(child) for child in own if child.tag != f"{W}rPr"]
    if now != [etree.tostring(child) for child in before]:
        change = revisions.mark("pPrChange")
        change.append(before)
        own.append(change)


def _append_to_body(body: Any, paragraph: Any) -> None:
    last = body[-1] if len(body) else None
    if last is not None and last.tag == f"{W}sectPr":
        last.addprevious(paragraph)
    else:
        body.append(paragraph)


def _heading_like(model: Document, level: int) -> int | None:
    heading = next((h for h in model.headings() if h.level == level and h.location.anchor is not None), None)
    return heading.location.anchor if heading is not None else None


def _body_like(model: Document, before: int | None) -> int | None:
    """A running-text paragraph near the place: the last one before it, else the first."""
    candidates = [b.location.anchor for b in model.blocks if isinstance(b, Paragraph) and b.location.anchor is not None]
    earlier = [a for a in candidates if before is None or a < before]
    return earlier[-1] if earlier else (candidates[0] if candidates else None)


def _bullet_like(model: Document) -> int | None:
    for block in model.blocks:
        if isinstance(block, BulletList) and block.items and block.items[0].location.anchor is not None:
            return block.items[0].location.anchor
    return None


def _looks(paragraphs: list[Any], anchor: int | None) -> tuple[Any, Any]:
    """The paragraph properties, and the run properties of its main text, of the paragraph at `anchor`."""
    if anchor is None or not 0 <= anchor < len(paragraphs):
        return None, None
    paragraph = paragraphs[anchor]
    if next(paragraph.iterancestors(f"{W}tbl"), None) is not None:
        return None, None  # a table cell's look does not suit running text
    # The run with the most text: a bold lead-in ("Syfte:") does not set the look of a whole clause.
    runs = [r for r in paragraph.iter(f"{W}r") if run_text(r).strip()]
    run = max(runs, key=lambda r: len(run_text(r)), default=None)
    return paragraph.find(f"{W}pPr"), run.find(f"{W}rPr") if run is not None else None


def _without_numbering(properties: Any) -> Any:
    properties = copy.deepcopy(properties)
    for child in list(properties):
        if child.tag == f"{W}numPr":
            properties.remove(child)
    return properties


def _bold(rpr: Any) -> Any:
    properties = copy.deepcopy(rpr) if rpr is not None else etree.Element(f"{W}rPr")
    if properties.find(f"{W}b") is None:
        properties.insert(1 if properties.find(f"{W}rStyle") is not None else 0, etree.Element(f"{W}b"))
    return properties


def _pieces(paragraph: InsertedParagraph, rpr: Any) -> list[tuple[str, Any]]:
    return [(text, _highlighted(rpr) if marked else rpr) for text, marked in paragraph.pieces]


def _highlighted(rpr: Any) -> Any:
    """The run properties with a yellow highlight: a placeholder the reviewer must fill in."""
    properties = copy.deepcopy(rpr) if rpr is not None else etree.Element(f"{W}rPr")
    for old in properties.findall(f"{W}highlight"):
        properties.remove(old)
    mark = etree.Element(f"{W}highlight", {f"{W}val": "yellow"})
    later = next((child for child in properties if child.tag in _AFTER_HIGHLIGHT), None)
    if later is not None:
        later.addprevious(mark)
    else:
        properties.append(mark)
    return properties

