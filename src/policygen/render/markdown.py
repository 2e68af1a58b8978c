"""Document model → Markdown preview (same content as the DOCX)."""

from __future__ import annotations

from policygen.model import BulletList, Document, Heading, Paragraph, Table, Text
from policygen.render.docx.properties import DRAFT_MARK, METADATA_HEADER


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(document: Document) -> str:
    numbers: dict[str, int] = {}
    lines: list[str] = []

    def inline(paragraph: Paragraph) -> str:
        parts = []
        for run in paragraph.runs:
            if isinstance(run, Text):
                parts.append(run.text)
            else:
                numbers.setdefault(run.footnote_id, len(numbers) + 1)
                parts.append(f"[^{numbers[run.footnote_id]}]")
        return "".join(parts)

    for block in document.blocks:
        if isinstance(block, Heading):
            lines += [f"{'#' * (block.level + 1)} {block.text}", ""]
            if block.level == 0 and document.draft:
                lines += [f"**{DRAFT_MARK}** – inte färdigt för beslut", ""]
            if block.level == 0 and document.metadata:
                lines += ["| " + " | ".join(METADATA_HEADER) + " |", "|---|---|"]
                lines += [f"| {_escape_cell(m.label)} | {_escape_cell(m.value)} |" for m in document.metadata]
                lines.append("")
        elif isinstance(block, Paragraph):
            lines += [inline(block), ""]
        elif isinstance(block, BulletList):
            if block.intro is not None:
                lines += [inline(block.intro), ""]
            lines += [f"- {inline(item)}" for item in block.items]
            lines.append("")
        elif isinstance(block, Table):
            lines.append("| " + " | ".join(map(_escape_cell, block.header)) + " |")
            lines.append("|" + "---|" * len(block.header))
            lines += ["| " + " | ".join(map(_escape_cell, row)) + " |" for row in block.rows]
            lines.append("")

    for footnote_id, number in numbers.items():
        note = document.footnotes[footnote_id]
        lines.append(f"[^{number}]: {note.text}" + (f" <{note.url}>" if note.url else ""))
    return "\n".join(lines).rstrip() + "\n"
