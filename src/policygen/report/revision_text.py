"""The revised copy of a text or Markdown draft, and a diff a reviewer can
read: the plan's replacements made in the file's own lines (its line breaks,
markup and spacing kept), the inserted clauses as sections of their own, and
a unified diff with, before it, one line per change saying what and why."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from policygen.model import Document, Location
from policygen.report.revision_plan import Insertion, Replacement, RevisionPlan


@dataclass(frozen=True)
class RevisedText:
    text: str
    diff: str
    changes: int
    insertions: int
    left: int            # findings the copy does not fix


def revise_text(original: str, name: str, document: Document, plan: RevisionPlan, markdown: bool) -> RevisedText:
    line_starts = [0] + [m.end() for m in re.finditer("\n", original)]
    edits: list[tuple[int, int, str, str]] = []   # (start, end, new text, why) in the original
    declined = 0
    for replacement in plan.replacements:
        found = _find(original, line_starts, document, replacement)
        if found is None:
            declined += 1
            continue
        edits.append((found[0], found[1], replacement.new_text, replacement.comment.splitlines()[0]))
    for insertion in plan.insertions:
        at = _insertion_offset(original, line_starts, document, insertion)
        edits.append((at, at, _section(insertion, markdown, at, original), _insertion_line(insertion)))
    edits.sort(key=lambda e: (e[0], e[1]))
    kept: list[tuple[int, int, str, str]] = []
    for edit in edits:
        if kept and edit[0] < kept[-1][1]:
            declined += 1  # overlaps a change already made
            continue
        kept.append(edit)
    revised = original
    for start, end, new_text, _ in reversed(kept):
        revised = revised[:start] + new_text + revised[end:]
    reasons = [f"Rad {original.count(chr(10), 0, start) + 1}: {why}" for start, _, _, why in kept]
    header = [f"Reviderat av policygen: {len(kept)} ändringar i {name}.", *reasons,
              *([f"{declined + len(plan.comments_only)} anmärkningar är inte ändrade; se granskningsrapporten."]
                if declined + len(plan.comments_only) else []), ""]
    diff = "".join(difflib.unified_diff(original.splitlines(keepends=True), revised.splitlines(keepends=True),
                                        fromfile=name, tofile=f"{name} (reviderad)"))
    inserted = sum(1 for e in kept if e[0] == e[1])
    return RevisedText(revised, "\n".join(header) + "\n" + diff, len(kept) - inserted, inserted,
                       declined + len(plan.comments_only))


def _unit_text(document: Document, location: Location) -> str | None:
    return next((text for text, where in document.text_units() if where == location), None)


def _find(original: str, line_starts: list[int], document: Document, replacement: Replacement) -> tuple[int, int] | None:
    """The evidence in the file: the same occurrence as in the block's text,
    searched from the line where the block begins, whatever line breaks or
    spaces lie between its words."""
    span = replacement.finding.span
    line = span.location.line
    block = _unit_text(document, span.location)
    if line is None or block is None or not 0 < line <= len(line_starts):
        return None
    occurrence = block[:span.start].count(span.text) if block[span.start:span.end] == span.text else 0
    pattern = re.compile(r"\s+".join(re.escape(word) for word in span.text.split()))
    end_of_block = _next_block_start(document, span.location, line_starts, len(original))
    matches = list(pattern.finditer(original, line_starts[line - 1], end_of_block))
    if occurrence >= len(matches):
        return None
    return matches[occurrence].start(), matches[occurrence].end()


def _next_block_start(document: Document, location: Location, line_starts: list[int], size: int) -> int:
    lines = sorted({where.line for _, where in document.text_units() if where.line is not None})
    later = [n for n in lines if location.line is not None and n > location.line]
    return line_starts[later[0] - 1] if later and later[0] - 1 < len(line_starts) else size


def _insertion_offset(original: str, line_starts: list[int], document: Document, insertion: Insertion) -> int:
    heading = insertion.before
    if insertion.under is not None:
        headings = [h for h in document.headings() if h.level >= 1]
        index = headings.index(insertion.under) if insertion.under in headings else -1
        heading = next((h for h in headings[index + 1:] if h.level <= insertion.under.level), None) \
            if index >= 0 else None
    line = heading.location.line if heading is not None else None
    if line is None or not 0 < line <= len(line_starts):
        return len(original)
    return line_starts[line - 1]


def _section(insertion: Insertion, markdown: bool, at: int, original: str) -> str:
    lines = []
    for paragraph in insertion.paragraphs:
        if paragraph.kind == "heading":
            if insertion.under is not None:
                continue
            lines.append(("#" * (insertion.level + 1) + " " if markdown else "") + paragraph.text)
        elif paragraph.kind == "bullet":
            lines.append(("- " if markdown else "• ") + paragraph.text)
        else:
            lines.append(paragraph.text)
    text = ""
    for index, line in enumerate(lines):
        if index:  # list items follow each other; everything else has an empty line between
            text += "\n" if line.startswith(("- ", "• ")) and lines[index - 1].startswith(("- ", "• ")) else "\n\n"
        text += line
    text += "\n\n"
    if 0 < at < len(original) and not original[:at].endswith("\n\n"):
        text = "\n" + text  # an empty line between the draft's text and the new section
    if at == len(original):  # at the end: one empty line after the draft's last line
        text = ("" if original.endswith("\n\n") else "\n" if original.endswith("\n") else "\n\n") + text.rstrip("\n") + "\n"
    return text


def _insertion_line(insertion: Insertion) -> str:
    rules = ", ".join(f.rule for f in insertion.findings)
    placeholders = f" Fyll i {', '.join(insertion.placeholders)}." if insertion.placeholders else ""
    return (f"infogat avsnittet ”{insertion.clause.title}” ur policygens bibliotek ({rules}: "
            f"{insertion.findings[0].message}).{placeholders}")
