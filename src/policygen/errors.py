"""User-facing errors: every message names the file, the place and a remedy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class UserError(Exception):
    """An error the user can fix. The CLI prints it in Swedish and exits with 2."""

    message: str
    file: str | Path | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def place(self) -> str:
        return format_place(self.file, self.line, self.column)

    def __str__(self) -> str:
        place = self.place()
        text = f"{place}: {self.message}" if place else self.message
        if self.hint:
            text += f"\n  Gör så här: {self.hint}"
        return text


def format_place(file, line: int | None = None, column: int | None = None) -> str:
    """"fil.yaml:12:5" – the place of a problem as editors and terminals link it."""
    if file is None:
        return ""
    place = str(file)
    if line is not None:
        place += f":{line}"
        if column is not None:
            place += f":{column}"
    return place


class LimitExceeded(UserError):
    """Input beyond a budget (pages, characters, findings, time, memory): the
    message names the limit. The web page answers it with 413, the CLI with 2."""
