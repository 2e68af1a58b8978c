"""Totals per län and for the whole country: how many kommuner were linted,
have all parts, meet each of SKR's three goals, and have each part."""

from __future__ import annotations

from dataclasses import dataclass

from policygen.kommuner import all_kommuner
from policygen.overview.model import GOALS, Overview, goal_status


@dataclass(frozen=True)
class Totals:
    namn: str               # the län's name, or "Hela landet"
    kommuner: int           # kommuner in the län
    granskade: int          # of them with at least one document linted
    alla: int               # with every part present
    mal: list[int]          # meeting each goal in GOALS
    delar: list[int]        # with each part present, in the overview's order


def _totals(overview: Overview, codes: list[str], name: str) -> Totals:
    linted = [overview.entities[c] for c in codes if c in overview.entities]
    return Totals(name, len(codes), len(linted), sum(e.count() == len(overview.parts) for e in linted),
                  [sum(goal_status(e, parts) == "present" for e in linted) for _, _, parts in GOALS],
                  [sum(e.parts[p.id].status == "present" for e in linted) for p in overview.parts])


def lan_totals(overview: Overview) -> tuple[list[Totals], Totals]:
    """One row per län (in länskod order) and the country's row. Regions are
    not counted: the figures are about kommuner."""
    by_lan: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for kommun in all_kommuner():
        by_lan.setdefault(kommun.lanskod, []).append(kommun.kod)
        names[kommun.lanskod] = kommun.lan
    rows = [_totals(overview, codes, names[lanskod]) for lanskod, codes in sorted(by_lan.items())]
    return rows, _totals(overview, [k.kod for k in all_kommuner()], "Hela landet")
