"""What of a Word paragraph a reader of the printed document sees.

Not seen, and so not linted: deleted text (w:del), text moved away
(w:moveFrom; its copy at the new place, w:moveTo, counts), hidden text (the
w:vanish property on the run, its character style or its paragraph style),
text boxes that float beside the paragraph, and the fallback copy of
alternate content. Inserted text (w:ins) is shown and counts.

The DOCX reader and the comment writer both take a paragraph's text from
here, so the offsets of a finding's evidence map back onto exactly the runs
that produced them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policygen.ooxml.anchors import W

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Containers whose runs are not part of the paragraph's shown text.
_NOT_SHOWN = frozenset({f"{W}del", f"{W}moveFrom", f"{W}txbxContent", _MC_FALLBACK})
_OFF = frozenset({"0", "false", "off", "none"})
_SPACE = frozenset({f"{W}br", f"{W}cr"})  # line breaks


def _toggle(rpr: Any) -> bool | None:
    """The w:vanish setting of a run-properties element: on, off or not set."""
    if rpr is None:
        return None
    node = rpr.find(f"{W}vanish")
    if node is None:
        return None
    return node.get(f"{W}val", "true").strip().lower() not in _OFF


@dataclass(frozen=True)
class Visibility:
    """Which styles hide their text, read from a document's styles part."""

    hidden_by_style: dict[str, bool] = field(default_factory=dict)  # style id → vanish, inherited
    hidden_by_default: bool = False

    @classmethod
    def from_styles(cls, root: Any) -> Visibility:
        if root is None:
            return cls()
        own: dict[str, tuple[bool | None, str | None]] = {}
        for style in root.iter(f"{W}style"):
            based = style.find(f"{W}basedOn")
            own[style.get(f"{W}styleId", "")] = (_toggle(style.find(f"{W}rPr")),
                                                 based.get(f"{W}val") if based is not None else None)

        def inherited(style_id: str) -> bool | None:
            seen: set[str] = set()
            current: str | None = style_id
            while current is not None and current in own and current not in seen:
                seen.add(current)
                value, current = own[current][0], own[current][1]
                if value is not None:
                    return value
            return None

        resolved = {sid: value for sid in own if (value := inherited(sid)) is not None}
        default = _toggle(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
        return cls(resolved, bool(default))

    def run_is_hidden(self, run: Any, paragraph_style: str) -> bool:
        rpr = run.find(f"{W}rPr")
        own = _toggle(rpr)
        if own is not None:
            return own
        if rpr is not None and (run_style := rpr.find(f"{W}rStyle")) is not None:
            by_run_style = self.hidden_by_style.get(run_style.get(f"{W}val", ""))
            if by_run_style is not None:
                return by_run_style
        by_paragraph_style = self.hidden_by_style.get(paragraph_style)
        return self.hidden_by_default if by_paragraph_style is None else by_paragraph_style


def paragraph_style_id(paragraph: Any) -> str:
    node = paragraph.find(f"{W}pPr/{W}pStyle")
    return node.get(f"{W}val", "") if node is not None else ""


def shown_runs(paragraph: Any, visibility: Visibility) -> list[Any]:
    """The paragraph's runs that are shown, in document order (inside
    hyperlinks, fields, content controls, smart tags and insertions too)."""
    style_id = paragraph_style_id(paragraph)
    runs = []
    for run in paragraph.iter(f"{W}r"):
        parent = run.getparent()
        shown = True
        while parent is not None and parent is not paragraph:
            if parent.tag in _NOT_SHOWN or parent.tag == f"{W}p":
                shown = False  # a nested paragraph belongs to a text box
                break
            parent = parent.getparent()
        if shown and not visibility.run_is_hidden(run, style_id):
            runs.append(run)
    return runs


def run_text(run: Any, line_break: str = " ") -> str:
    """The run's text; a manual line break (Shift+Enter) reads as `line_break`,
    one character either way, so offsets stay the same."""
    parts = []
    for child in run:
        tag = child.tag
        if tag == f"{W}t":
            parts.append(child.text or "")
            # An entity reference the parser left unresolved splits the text;
            # what follows it is still the run's text.
            parts.extend(node.tail or "" for node in child)
        elif tag == f"{W}tab":
            parts.append(" ")
        elif tag in _SPACE:
            parts.append(line_break)
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def paragraph_text(paragraph: Any, visibility: Visibility, line_break: str = " ") -> str:
    return "".join(run_text(run, line_break) for run in shown_runs(paragraph, visibility))
