"""What changed between two runs: which kommuner moved on which part."""

from __future__ import annotations

from dataclasses import dataclass

from policygen.overview.model import STATUS_NAMES, STATUS_RANK, Overview


@dataclass(frozen=True)
class Change:
    kod: str
    namn: str
    part: str          # the part's name
    before: str        # finns | delvis | saknas
    after: str
    better: bool


@dataclass(frozen=True)
class Comparison:
    earlier: str                 # the earlier run's date and time
    earlier_run: int | None
    changes: list[Change]
    added: list[str]             # kommuner linted now but not then
    dropped: list[str]           # kommuner linted then but not now

    @property
    def improved(self) -> int:
        return sum(c.better for c in self.changes)

    @property
    def worsened(self) -> int:
        return sum(not c.better for c in self.changes)


def compare(current: Overview, earlier: Overview) -> Comparison:
    changes = []
    names = {p.id: p.name for p in current.parts}
    for kod, entity in sorted(current.entities.items()):
        before = earlier.entities.get(kod)
        if before is None:
            continue
        for part in current.parts:
            old, new = before.parts.get(part.id), entity.parts[part.id]
            if old is not None and old.status != new.status:
                changes.append(Change(kod, entity.namn, names[part.id], STATUS_NAMES[old.status],
                                      STATUS_NAMES[new.status], STATUS_RANK[new.status] > STATUS_RANK[old.status]))
    added = [e.namn for k, e in sorted(current.entities.items()) if k not in earlier.entities]
    dropped = [e.namn for k, e in sorted(earlier.entities.items()) if k not in current.entities]
    return Comparison(earlier.created, earlier.run_id, changes, added, dropped)
