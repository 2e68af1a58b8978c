"""What an overview holds: per kommun (or region) one status per SKR part,
with the document and the sentence that decided it. Plain values, so the
page, the open data and the archive are pure functions of them."""

from __future__ import annotations

from dataclasses import dataclass, field

# Ranked: the best status over a kommun's documents wins.
STATUSES = ("missing", "partial", "present")
STATUS_NAMES = {"present": "finns", "partial": "delvis", "missing": "saknas"}
STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}

# SKR's development network set three goals for every participating kommun;
# each is met by two of the twelve parts.
GOALS: tuple[tuple[str, str, tuple[str, str]], ...] = (
    ("mal-styrning", "Policy och handlingsplan", ("styrdokument", "handlingsplan")),
    ("mal-struktur", "Intern och extern samverkansstruktur", ("intern-samordning", "extern-samverkan")),
    ("mal-affarer", "Affärer och partnerskap", ("upphandling", "iop")),
)


@dataclass(frozen=True)
class Part:
    id: str          # the coverage id, as in lint_rules/skr.yaml
    name: str        # its Swedish name


@dataclass(frozen=True)
class PartStatus:
    status: str               # present | partial | missing
    document: str = ""        # the document that decided it (path within the folder)
    evidence: str = ""        # the sentence that shows it
    place: str = ""           # where in the document: the section's heading

    @property
    def name(self) -> str:
        return STATUS_NAMES[self.status]


@dataclass(frozen=True)
class DocumentRef:
    file: str                 # path within the folder given
    title: str
    doc_type: str
    attributed_by: str        # "filnamnet", "texten", "kommunlistan (CSV)", "mappen"


@dataclass
class Entity:
    """A kommun, or a region (its code is then the länskod, two digits)."""

    kod: str
    namn: str
    kind: str                 # kommun | region
    lanskod: str
    lan: str
    documents: list[DocumentRef] = field(default_factory=list)
    parts: dict[str, PartStatus] = field(default_factory=dict)

    def count(self, status: str = "present") -> int:
        return sum(p.status == status for p in self.parts.values())


@dataclass
class Overview:
    created: str                                   # the run's date and time, ISO 8601 (local, minutes)
    source: str                                    # what was linted: the folder's name
    parts: list[Part]
    entities: dict[str, Entity]                    # keyed on kommunkod (region: länskod)
    unattributed: list[tuple[str, str]] = field(default_factory=list)   # (file, why)
    errors: list[tuple[str, str]] = field(default_factory=list)         # (file, Swedish message)
    run_id: int | None = None                      # its number in an archive, once stored

    @property
    def kommuner(self) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.kind == "kommun"), key=lambda e: e.kod)

    @property
    def regions(self) -> list[Entity]:
        return sorted((e for e in self.entities.values() if e.kind == "region"), key=lambda e: e.kod)

    @property
    def date(self) -> str:
        return self.created[:10]


def goal_status(entity: Entity, parts: tuple[str, str]) -> str:
    """A goal is met (present) when both its parts are present, begun (partial)
    when either is at least partly there, and missing otherwise."""
    statuses = [entity.parts[p].status if p in entity.parts else "missing" for p in parts]
    if all(s == "present" for s in statuses):
        return "present"
    if any(s != "missing" for s in statuses):
        return "partial"
    return "missing"
