"""Rule examples as tests: every rule file carries Swedish sentences with the
verdict they must get. pytest runs them, and so does `policygen rules test`
for an expert who edits a rule file without Python."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ExampleOutcome:
    file: Path
    line: int | None          # line of the example in the rule file
    rule_id: str
    text: str
    expected: str             # coverage: present | partial | missing; text rules: flags | passes
    got: str

    @property
    def passed(self) -> bool:
        return self.expected == self.got
