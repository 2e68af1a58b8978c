"""Kinds about dates: `giltighet` (a validity date that has passed) and
`datum` (a date that does not exist)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from policygen.lint.text.claims import NUMBER_WORDS, STRONG_PAST, is_past_verb, number_from_words
from policygen.lint.text.kinds.base import (
    WORDS,
    DraftFacts,
    Fail,
    Kind,
    NoOptions,
    TextHit,
    TextRule,
    Texts,
    TextUnit,
    label_alternation,
    make_hit,
    sentence_around,
)

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")
_MONTH = "|".join(MONTHS)

# The ways drafts write a date: 2022-12-31, 31 december 2022, december 2022, 2022.
_DATE = (rf"(?:(?P<iso>(?:19|20)\d\d-\d\d-\d\d)|(?:(?P<day>\d{{1,2}})\s+)?(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)"
         # day/month year, as in "31/8 2026" or "31/8/2026"
         rf"|(?P<slash>(?P<sday>\d{{1,2}})/(?P<smonth>\d{{1,2}})(?:\s+|/)(?P<syear>(?:19|20)\d\d))"
         rf"|(?P<bare_year>(?:19|20)\d\d))(?![\d-])")

# Ordinal days in words: "den trettioförsta december", "den första juli".
_ORDINAL_DAYS = {"första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "femte": 5, "sjätte": 6, "sjunde": 7, "åttonde": 8,
                 "nionde": 9, "tionde": 10, "elfte": 11, "tolfte": 12, "trettonde": 13, "fjortonde": 14, "femtonde": 15,
                 "sextonde": 16, "sjuttonde": 17, "artonde": 18, "nittonde": 19, "tjugonde": 20, "trettionde": 30}
_ORDINAL_DAYS.update({f"tjugo{word}": 20 + n for word, n in list(_ORDINAL_DAYS.items()) if n < 10})
_ORDINAL_DAYS["trettioförsta"] = 31
_WORD_DATE = re.compile(rf"(?:den\s+)?(?P<wday>{'|'.join(sorted(_ORDINAL_DAYS, key=len, reverse=True))})\s+(?P<wmonth>{_MONTH})\s+"
                        r"(?P<wyear>(?:tjugohundra|tvåtusen|nittonhundra)[a-zåäö]*)", re.IGNORECASE)


def word_date(match: re.Match) -> date | None:
    """The day a date in words names ("den trettionde juni tjugohundratjugosex" → 2026-06-30)."""
    year = number_from_words(match.group("wyear").lower().replace("tvåtusen", "tjugohundra"))
    day = _ORDINAL_DAYS[match.group("wday").lower()]
    month = MONTHS.index(match.group("wmonth").lower()) + 1
    return date(year, month, day) if year and 1900 < year < 2100 and _valid(year, month, day) else None


# A time as a draft writes it, at any precision: 2019-12-12, 12 december 2019, december 2019, 2019.
WRITTEN_TIME = re.compile(rf"(?P<iso>(?:19|20)\d\d-\d\d-\d\d)|(?:(?P<day>\d{{1,2}})\s+)?(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)"
                          rf"|(?<![\d:/-])(?P<bare>(?:19|20)\d\d)(?![\d:/-])", re.IGNORECASE)


def differs_as_written(written: re.Match, day: date | None, year: int | None) -> bool:
    """Whether a WRITTEN_TIME disagrees with a known `day` (or only `year`) at the precision it is
    written: a year against the year, a month against year and month, a full date against the day."""
    if written.group("iso"):
        try:
            said = date.fromisoformat(written.group("iso"))
        except ValueError:
            return False     # no such date: the `datum` kind reports it
        return said != day if day else said.year != year
    if written.group("month"):
        said_year, month = int(written.group("year")), MONTHS.index(written.group("month").lower()) + 1
        if day is None:
            return said_year != year
        if written.group("day"):
            if not _valid(said_year, month, int(written.group("day"))):
                return False
            return date(said_year, month, int(written.group("day"))) != day
        return (said_year, month) != (day.year, day.month)
    return int(written.group("bare")) != year


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
    elif match.group("slash"):
        year, month, day = int(match.group("syear")), int(match.group("smonth")), int(match.group("sday"))
    elif match.group("bare_year"):
        year, month, day = int(match.group("bare_year")), 12, 31
    else:
        year, month = int(match.group("year")), MONTHS.index(match.group("month").lower()) + 1
        day = int(match.group("day")) if match.group("day") else calendar.monthrange(year, month)[1]
    return date(year, month, day) if _valid(year, month, day) else None


@cache
def _validity_regex(labels: tuple[str, ...]) -> re.Pattern:
    names = label_alternation(labels)
    # After a label and its colon a table cell may repeat the "until" ("Giltighetstid: t.o.m. …").
    return re.compile(rf"(?<![\w-])(?P<label>{names})\s*(?:[:|–-]\s*)?"
                      # "Nästa revidering ska vara klar senast i juni 2026"
                      rf"(?:(?:ska|skall|bör)\s+(?:vara\s+)?(?:klar|genomförd|gjord|ske|göras|ha\s+skett)\s+)?(?:senast\s+)?"
                      rf"(?:(?:till(?:\s+och\s+med)?|fram\s+till(?:\s+och\s+med)?|t\.\s?o\.\s?m\.|tom)\s+)?"
                      rf"(?:(?:den|i|under|år|utgången\s+av|slutet\s+av)\s+)?"
                      rf"(?:(?:19|20)\d\d-\d\d-\d\d\s*(?:–|-|till)\s*)?{_DATE}", re.IGNORECASE)


@cache
def _label_regex(labels: tuple[str, ...]) -> re.Pattern:
    """A label and the "until" after it, where a date in words may follow ("gäller till och med den
    trettionde juni tjugohundratjugosex")."""
    return re.compile(rf"(?<![\w-])(?P<label>{label_alternation(labels)})\s*:?\s*"
                      rf"(?:till\s+och\s+med\s+|till\s+|t\.\s?o\.\s?m\.\s+)?", re.IGNORECASE)


@dataclass(frozen=True)
class ValidityOptions:
    labels: tuple[str, ...]          # labels followed by the last day ("gäller till", "revideras senast")
    period_labels: tuple[str, ...]   # labels followed by a period ("gäller", "under perioden")
    document_words: tuple[str, ...]  # what a document calls itself ("policyn", "planen", "denna")


# A period written out: 2015-01-01 – 2018-12-31, 2017–2019, 2017 till 2019, januari 2020–december 2022.
# The start may be mistyped ("2015-01--01"): the datum rule reports that; the period still ends.
_PERIOD = (rf"(?P<first>(?:19|20)\d\d(?:-{{1,2}}\d\d-{{1,2}}\d\d)?|(?:\d{{1,2}}\s+)?(?:{_MONTH})\s+(?:19|20)\d\d)\s*(?:–|—|-|till(?:\s+och\s+med)?|t\.?\s?o\.?\s?m\.?)\s*"
           rf"(?:den\s+)?(?:(?P<day>\d{{1,2}})\s+)?(?:(?P<month>{_MONTH})\s+)?(?P<last>(?:19|20)\d\d(?:-\d\d-\d\d)?)(?![\d-])")


@cache
def _period_regex(labels: tuple[str, ...]) -> re.Pattern:
    names = label_alternation(labels)
    return re.compile(rf"(?<![\w-])(?P<label>{names})\s*(?:[:|]\s*)?(?:(?:för|under|i)\s+)?"
                      rf"(?:(?:perioden|åren|tiden|\w*perioden)\s+)?(?:från(?:\s+och\s+med)?\s+)?(?:den\s+)?{_PERIOD}", re.IGNORECASE)


@cache
def _year_regex(labels: tuple[str, ...]) -> re.Pattern:
    """The years the document is valid for, one or a list: "Handlingsplanen gäller under
    2024", "Överenskommelsen gäller för åren 2023, 2024 och 2025"."""
    names = label_alternation(labels)
    year = r"(?:19|20)\d\d"
    return re.compile(rf"(?<![\w-])(?P<label>{names})\s+(?:(?:under|för)\s+(?:år(?:en|et)?\s+)?|(?:verksamhets|budget|kalender)?året\s+)"
                      rf"(?P<first>{year})"
                      rf"(?:\s*,\s*{year})*(?:\s*,?\s+(?:och|samt)\s+(?P<last>{year}))?"
                      rf"(?!\s*(?:–|—|-|till)\s*\d)(?![\d-])", re.IGNORECASE)


# "Policyn gäller i fyra år från antagandet den 12 juni 2019": a validity given as a duration.
_YEARS = (rf"(?P<label>gäller|löper|giltig\w*|längst)\s*:?\s+(?:i\s+|under\s+)?(?P<count>\d{{1,2}}|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"
          rf"\s+(?P<unit>år|månader)")
_DURATION = re.compile(rf"{_YEARS}\s+"
                       rf"(?:från|efter)\s+(?:[\w,]+\s+){{0,4}}?(?:den\s+)?{_DATE}", re.IGNORECASE)
# "Revideras vartannat år, första gången senast två år efter antagandet den 14 februari 2024": a revision
# due a time after a date.
_REVISION_DUE = re.compile(rf"(?P<label>revider\w*|ses\s+över|översyn\w*)[^.;]{{0,60}}?senast\s+"
                           rf"(?P<count>\d{{1,2}}|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})\s+(?P<unit>år|månader)\s+"
                           rf"(?:från|efter)\s+(?:[\w,]+\s+){{0,3}}?(?:den\s+)?{_DATE}", re.IGNORECASE)


# "Riktlinjen träder i kraft 2019-03-01 och gäller i fyra år från detta datum": counted from a
# date earlier in the sentence.
_DURATION_BACK = re.compile(rf"{_YEARS}\s*"
                            r"(?:(?:från|efter|räknat\s+från)\s+(?:detta|det\s+här|det|samma|den)\s+(?:datum\w*|dag\w*)"
                            r"|från\s+dess|därefter|från\s+ikraftträdandet|(?:från|efter)\s+(?:beslutet|antagandet|beslutsdatum\w*|beslutsdag\w*|"
                            r"antagandedag\w*|ikraftträdande\w*)"
                            # … or nothing: "Riktlinjen, som beslutades 2020-09-01, gäller i fem år."
                            r"|(?=\s*(?:[.;]|$))|(?=\s+och\b))", re.IGNORECASE)
_ANY_DATE = re.compile(_DATE, re.IGNORECASE)


def _date_before(text: str, position: int) -> date | None:
    """The last full date written before `position` in its sentence."""
    sentence_start = max(text.rfind(". ", 0, position), text.rfind("\n", 0, position)) + 1
    dates = [m for m in _ANY_DATE.finditer(text, sentence_start, position) if not m.group("bare_year")]
    return last_day(dates[-1]) if dates else None


def _past_after(text: str, position: int) -> bool:
    """Whether the verb right after a period is in the past tense ("… 2024–2025 var …")."""
    following = re.match(r"\s*,?\s*(\w+)", text[position:])
    return following is not None and (following.group(1).lower() in STRONG_PAST or is_past_verb(following.group(1).lower()))


def _adoption_date(text: str, position: int) -> date | None:
    """The date the text gave the decision before `position` ("Antagen av kommunfullmäktige
    2022-04-25. Giltighetstid: fyra år från antagandet.")."""
    said = list(_ADOPTED.finditer(text, 0, position))
    return last_day(said[-1]) if said else None


_ADOPTED = re.compile(rf"(?:antagen|antaget|antagna|antogs|beslutad\w*|beslutades|fastställ\w*)[^.;]{{0,60}}?{_DATE}",
                      re.IGNORECASE)


def _add_time(day: date, count: int, unit: str) -> date:
    if unit.lower().startswith("m"):
        months = day.month - 1 + count
        year, month = day.year + months // 12, months % 12 + 1
        return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return _add_years(day, count)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:           # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _period_end(match: re.Match) -> date | None:
    """The last day of a period's end ("2018-12-31", "2019", "december 2022")."""
    last = match.group("last")
    if "-" in last:
        year, month, day = map(int, last.split("-"))
    elif match.group("month"):
        year, month = int(last), MONTHS.index(match.group("month").lower()) + 1
        day = int(match.group("day")) if match.group("day") else calendar.monthrange(year, month)[1]
    else:
        year, month, day = int(last), 12, 31
    return date(year, month, day) if _valid(year, month, day) else None


class Validity(Kind[ValidityOptions]):
    name = "giltighet"
    description = ("ett giltighets- eller revideringsdatum (”Gäller till: 2022-12-31”) eller en giltighetsperiod "
                   "för dokumentet (”Policyn gäller 2017–2019”) som redan har passerat")
    fields = {"labels": WORDS, "period_labels": WORDS, "document_words": WORDS}
    required = ("labels",)
    message_fields = frozenset({"etikett", "idag"})

    def prepare(self, entry: dict, fail: Fail) -> ValidityOptions:
        return ValidityOptions(tuple(entry["labels"]), tuple(entry.get("period_labels", ())),
                               tuple(w.lower() for w in entry.get("document_words", ())))

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        labels = options.labels
        regex = _validity_regex(labels)
        # Only units holding a label's first word: a substring test per unit is far
        # cheaper than the labels' case-insensitive alternation over the whole draft.
        firsts = {label.split()[0].lower() for label in labels}
        period_firsts = {label.split()[0].lower() for label in options.period_labels} | set(options.document_words) | {
            "revider", "översyn", "ses över"}
        hits = []
        for unit in texts.running.units:
            lowered = unit.text.lower()
            if any(first in lowered for first in firsts):
                hits += self._expired(rule, unit, regex, facts, labels)
            if options.period_labels and any(first in lowered for first in period_firsts) \
                    and re.search(r"(?:19|20)\d\d", lowered):
                hits += self._expired_periods(rule, options, unit, facts)
        return _without_overlaps(hits)

    @staticmethod
    def _expired_periods(rule: TextRule, options: ValidityOptions, unit: TextUnit, facts: DraftFacts) -> list[TextHit]:
        """A period the document itself is valid for that has ended ("Policyn gäller
        2017–2019", "Giltighetstid: 2015-01-01 – 2018-12-31"). The document must be
        the subject: a metadata label, or the document's own word before the label
        in the sentence; "Under 2019 genomfördes …" is history, not validity."""
        hits = []
        matches = [*_period_regex(options.period_labels).finditer(unit.text),
                   *_year_regex(options.period_labels).finditer(unit.text)]
        for match in matches:
            single_year = match.re is _year_regex(options.period_labels)
            last = date(int(match.group("last") or match.group("first")), 12, 31) if single_year \
                else _period_end(match)
            if last is None or last >= facts.today:
                continue
            if not Validity._about_document(options, unit, match):
                continue
            if _past_after(unit.text, match.end()):
                continue    # "Under perioden 2024–2025 var tröskelvärdet …": history, not the document's validity
            hits.append(make_hit(rule, unit, match.start("first"), match.end(), etikett=match.group("label"),
                                 idag=facts.today.isoformat()))
        durations = [(match, last_day(match)) for match in _DURATION.finditer(unit.text)]
        durations += [(match, last_day(match)) for match in _REVISION_DUE.finditer(unit.text)]
        # Counted from a date earlier in the sentence, or from the decision the text gave before
        # ("Beslutad av kommunfullmäktige 2022-12-01. Giltighetstid: fyra år.").
        durations += [(match, _date_before(unit.text, match.start()) or _adoption_date(unit.text, match.start()))
                      for match in _DURATION_BACK.finditer(unit.text)]
        for match, start in durations:
            count = match.group("count").lower()
            number = int(count) if count.isdigit() else NUMBER_WORDS[count]
            if start is None or _add_time(start, number, match.group("unit")) >= facts.today:
                continue
            if match.re is not _REVISION_DUE and not Validity._about_document(options, unit, match):
                continue    # "ett hyresavtal som gäller i fem år": not the document's own validity
            # The evidence starts after the label, which the message names itself ("”gäller i fem år …”").
            begin = match.end("label") if match.re is not _REVISION_DUE else \
                match.start() + match.group().lower().index("senast")
            while unit.text[begin] in " ,:":
                begin += 1
            hits.append(make_hit(rule, unit, begin, match.end(), etikett=match.group("label"),
                                 idag=facts.today.isoformat()))
        hits += Validity._named_periods(rule, options, unit, facts)
        return hits

    @staticmethod
    def _about_document(options: ValidityOptions, unit: TextUnit, match: re.Match) -> bool:
        """The document must be the subject: a metadata label, or the document's own word before
        the label in the sentence; "Under 2019 genomfördes …" is history, not validity."""
        first, _ = sentence_around(unit, match.start(), match.end())
        before = unit.text[first:match.start()].lower()
        if unit.kind in ("metadata", "tabell") or not before.strip():
            return True
        if re.match(r"\s*(?:gäller|giltig\w*|löper)\b", before, re.IGNORECASE):
            return True     # "Gäller tills vidare, dock längst i sju år": the label opens the sentence
        return any(re.search(rf"(?<!\w)\w*{re.escape(w)}(?!\w)", before) for w in options.document_words)

    @staticmethod
    def _named_periods(rule: TextRule, options: ValidityOptions, unit: TextUnit, facts: DraftFacts) -> list[TextHit]:
        """A period in the document's own name: "Handlingsplanen för samverkan med
        sociala företag 2019–2022 gäller för …" at the start of a sentence."""
        hits = []
        words = "|".join(re.escape(w) for w in options.document_words if " " not in w)
        regex = re.compile(rf"(?:^|(?<=[.!?]\s))\w*(?:{words})(?:\s+(?:för|mellan|om|med)\s+[^.;:()\d]{{0,90}}?)?\s+{_PERIOD}",
                           re.IGNORECASE)
        for match in regex.finditer(unit.text):
            last = _period_end(match)
            if last is not None and last < facts.today:
                hits.append(make_hit(rule, unit, match.start("first"), match.end(), etikett="perioden",
                                     idag=facts.today.isoformat()))
        return hits

    @staticmethod
    def _expired(rule: TextRule, unit: TextUnit, regex: re.Pattern, facts: DraftFacts,
                 labels: tuple[str, ...] = ()) -> list[TextHit]:
        hits = []
        for match in _label_regex(labels).finditer(unit.text):
            said = _WORD_DATE.match(unit.text, match.end())
            if said is not None and (last := word_date(said)) is not None and last < facts.today:
                hits.append(make_hit(rule, unit, said.start(), said.end(), etikett=match.group("label"),
                                     idag=facts.today.isoformat()))
        for match in regex.finditer(unit.text):
            last = last_day(match)
            if last is not None and last < facts.today:
                # The finding points at the date; the label is named in the message.
                date_start = min(match.start(g) for g in ("iso", "day", "month", "slash", "bare_year") if match.group(g))
                hits.append(make_hit(rule, unit, date_start, match.end(), etikett=match.group("label"),
                                     idag=facts.today.isoformat()))
        return hits

    def details(self, rule: TextRule) -> tuple[str, ...]:
        options = self.options(rule)
        return ("uppgifter: " + ", ".join(f"”{label}”" for label in options.labels),) + (
            ("perioder efter: " + ", ".join(f"”{label}”" for label in options.period_labels),)
            if options.period_labels else ())


def _without_overlaps(hits: list[TextHit]) -> list[TextHit]:
    """One finding per place: a date found both as "gäller till …" and as the end of a period is one finding."""
    kept: list[TextHit] = []
    for hit in sorted(hits, key=lambda h: (h.location.paragraph, h.start, -h.end)):
        if kept and kept[-1].location == hit.location and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


class ImpossibleDate(Kind[NoOptions]):
    name = "datum"
    description = "ett datum som inte finns (”2025-13-40”, ”2015-01--01”, ”30 februari 2024”)"
    message_fields = frozenset()

    def prepare(self, entry: dict, fail: Fail) -> NoOptions:
        return NoOptions()

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
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
