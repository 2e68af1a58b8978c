"""What policygen prints reaches a terminal. Text in it comes from drafts,
file names and profiles, so a control character in that text must never act
on the terminal (ESC starting a CSI or OSC sequence that recolours, retitles
or hides lines, BEL, a bidi override that reverses what is shown). Every
character of that kind is printed as a visible escape instead, in one place:
the streams the command line writes to."""

from __future__ import annotations

import io
import unicodedata
from typing import TextIO

# Control (C0, DEL and C1 such as the one-byte CSI \x9b), format (bidi
# overrides and isolates, zero-width characters), lone surrogates, private
# use, unassigned, and the Unicode line and paragraph separators.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_KEPT = frozenset("\n\t")


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: str, keep: frozenset[str] = _KEPT) -> str:
    """`text` with every character that could act on a terminal shown as an escape."""
    if text.isascii() and text.isprintable():
        return text  # the common case, without a look at every character
    return "".join(c if c in keep or unicodedata.category(c) not in _HIDDEN else _escape(c) for c in text)


def json_visible(text: str) -> str:
    """JSON text with the same characters as JSON escapes (\\u001b): still valid
    JSON with the same meaning, since JSON's own syntax is plain ASCII."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(c if c in _KEPT or unicodedata.category(c) not in _HIDDEN else
                   "".join(f"\\u{unit:04x}" for unit in _utf16_units(c)) for c in text)


def _utf16_units(character: str) -> list[int]:
    code = ord(character)
    if code <= 0xFFFF:
        return [code]
    code -= 0x10000
    return [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]


class VisibleStream(io.TextIOBase):
    """A text stream that writes through `visible()` to `unfiltered`. A progress
    bar that draws with carriage returns writes to `unfiltered` itself."""

    def __init__(self, unfiltered: TextIO) -> None:
        super().__init__()
        self.unfiltered = unfiltered

    def write(self, text: str) -> int:
        self.unfiltered.write(visible(text))
        return len(text)

    def flush(self) -> None:
        self.unfiltered.flush()

    def isatty(self) -> bool:
        return self.unfiltered.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.unfiltered, "encoding", None) or "utf-8"

    def fileno(self) -> int:
        return self.unfiltered.fileno()


def unfiltered(stream: TextIO) -> TextIO:
    """The stream underneath a VisibleStream (for a progress bar's own control characters)."""
    return getattr(stream, "unfiltered", stream)
