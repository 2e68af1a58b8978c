"""Splitting a Word run in two at a character, so a comment can cover exactly
the words it is about ("skall", a law's name, an amount) and not the whole run
they happen to sit in – most paragraphs are a single run.

Characters are counted as visible.run_text counts them (a tab or a line break
is one), so an offset into a paragraph's shown text maps onto a run and a
place inside it. Both halves keep the run's properties; nothing is shown
differently after the split."""

from __future__ import annotations

import copy
from typing import Any

from policygen.ooxml.anchors import W

_ONE_CHARACTER = frozenset({f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"})
_PRESERVE = "{http://www.w3.org/XML/1998/namespace}space"


def _length(child: Any) -> int | None:
    """How many characters of run_text a child of a run gives; None for text
    that cannot be cut (an unresolved entity inside w:t)."""
    if child.tag == f"{W}t":
        return None if len(child) else len(child.text or "")
    return 1 if child.tag in _ONE_CHARACTER else 0


def split_run(run: Any, offset: int) -> Any | None:
    """Keep the first `offset` characters in `run` and move the rest into a new
    run right after it, with the same properties; returns the new run, or None
    when the offset is at an edge of the run or the run cannot be cut there."""
    content = [child for child in run if child.tag != f"{W}rPr"]
    lengths = [_length(child) for child in content]
    position = 0
    for index, (child, length) in enumerate(zip(content, lengths)):
        if length is None:
            return None
        if position + length <= offset:
            position += length
            continue
        if offset <= 0 or position == offset and index == 0:
            return None
        moved = content[index:]
        head = None
        if position < offset:   # the cut falls inside this w:t
            text = child.text or ""
            cut = offset - position
            child.text = text[:cut]
            child.set(_PRESERVE, "preserve")
            head = copy.deepcopy(child)
            head.text = text[cut:]
            moved = content[index + 1:]
        second = copy.deepcopy(run)
        for node in [node for node in second if node.tag != f"{W}rPr"]:
            second.remove(node)
        if head is not None:
            second.append(head)
        for node in moved:
            second.append(node)   # appending moves the node out of the first run
        run.addnext(second)
        return second
    return None
