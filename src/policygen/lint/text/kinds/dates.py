"""Kinds about dates: `giltighet` (a validity date that has passed) and
`datum` (a date that does not exist)."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import cache

from policygen.lint.text.kinds.base import (
    WORDS,
    DraftFacts,
    Kind,
    TextHit,
    Texts,
    label_alternation,
    make_hit,
)

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")
_MONTH = "|".join(MONTHS)

# The ways drafts write a date: 2022-12-31, 31 december 2022, december 2022, 2022.
_DATE = (rf"(?:(?P<iso>(?:19|20)\d\d-\d\d-\d\d)|(?:(?P<day>\d{{1,2}})\s+)?(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)"
         rf"|(?P<bare_year>(?:19|20)\d\d))(?![\d-])")

# Anything shaped like a numeric date, including broken ones ("2015-01--01", "2025-13-40").
_NUMERIC_DATE = re.compile(r"(?<![\w-])((?:19|20)\d\d)(-{1,2})(\d{1,2})(-{1,2})(\d{1,2})(?![\w-])")
_WRITTEN_DATE = re.compile(rf"(?<![\w-])(\d{{1,2}})\s+({_MONTH})\s+((?:19|20)\d\d)(?!\d)", re.IGNORECASE)


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def last_day(match: re.Match) -> date | None:
    """The last day the written date covers ("december 2022" → 2022-12-31), or
    None for a date that does not exist (the `datum` kind reports those)."""
    if match.group("iso"):
        year, month, day = map(int, match.group("iso").split("-"))
    elif match.group("bare_year"):
        year, month, day = int(match.group("bare_year")), 12, 31
    else:
        year, month = int(match.group("year")), MONTHS.index(match.group("month").lower()) + 1
        day = int(match.group("day")) if match.group("day") else calendar.monthrange(year, month)[1]
    return date(year, month, day) if _valid(year, month, day) else None


@cache
def _validity_regex(labels: tuple[str, ...]) -> re.Pattern:
    names = label_alternation(labels)
    return re.compile(rf"(?<![\w-])(?P<label>{names})\s*(?:[:–-]\s*)?(?:(?:den|i|under|år)\s+)?"
                      rf"(?:(?:19|20)\d\d-\d\d-\d\d\s*(?:–|-|till)\s*)?{_DATE}", re.IGNORECASE)


class Validity(Kind):
    name = "giltighet"
    description = "ett giltighets- eller revideringsdatum (”Gäller till: 2022-12-31”) som redan har passerat"
    fields = {"labels": WORDS}
    required = ("labels",)
    message_fields = frozenset({"etikett", "idag"})

    def check(self, rule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        labels = tuple(rule.options["labels"])
        regex = _validity_regex(labels)
        # Only units holding a label's first word: a substring test per unit is far
        # cheaper than the labels' case-insensitive alternation over the whole draft.
        firsts = {label.split()[0].lower() for label in labels}
        hits = []
        for unit in texts.running.units:
            lowered = unit.text.lower()
            if not any(first in lowered for first in firsts):
                continue
            hits += self._expired(rule, unit, regex, facts)
        return hits

    @staticmethod
    def _expired(rule, unit, regex: re.Pattern, facts: DraftFacts) -> list[TextHit]:
        hits = []
        for match in regex.finditer(unit.text):
            last = last_day(match)
            if last is not None and last < facts.today:
                # The finding points at the date; the label is named in the message.
                date_start = min(match.start(g) for g in ("iso", "day", "month", "bare_year") if match.group(g))
                hits.append(make_hit(rule, unit, date_start, match.end(), etikett=match.group("label"),
                                     idag=facts.today.isoformat()))
        return hits

    def details(self, rule) -> tuple[str, ...]:
        return ("uppgifter: " + ", ".join(f"”{label}”" for label in rule.options["labels"]),)


class ImpossibleDate(Kind):
    name = "datum"
    description = "ett datum som inte finns (”2025-13-40”, ”2015-01--01”, ”30 februari 2024”)"
    message_fields = frozenset()

    def check(self, rule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        hits = []
        for unit, start, end, match in texts.everything.finditer(_NUMERIC_DATE):
            year, dash1, month, dash2, day = match.groups()
            if dash1 != "-" or dash2 != "-" or not _valid(int(year), int(month), int(day)):
                hits.append(make_hit(rule, unit, start, end))
        for unit, start, end, match in texts.everything.finditer(_WRITTEN_DATE):
            day, month, year = match.groups()
            if not _valid(int(year), MONTHS.index(month.lower()) + 1, int(day)):
                hits.append(make_hit(rule, unit, start, end))
        return hits
