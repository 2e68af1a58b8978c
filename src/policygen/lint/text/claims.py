"""What a sentence claims and of which time: amounts of money, law citations,
paragraph references, shares of people, and whether the sentence states what
applies now or tells what applied before. The fact kinds compare these claims
with the fact registry on the day the check runs.

Swedish marks time mostly by the verb: "gränsen är 615 312 kr" says what
applies now (and is wrong today), "gränsen var 615 312 kr under 2021" tells
history (and is right). The verb nearest the claim in its clause decides;
words such as "tidigare" or "fram till 2021" mark history whatever the verb."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from policygen.lint.text.kinds.base import Texts, TextUnit
from policygen.nlp.lemmas import lemma_table

# Present-tense verbs that state what applies ("är", "gäller", "ska"), and "har"
# (a perfect says the state still holds: "gränsen har sedan 2020 varit …").
PRESENT = frozenset({
    "är", "gäller", "ligger", "uppgår", "får", "ska", "skall", "kan", "måste", "bör", "anges", "regleras",
    "står", "finns", "innebär", "motsvarar", "avses", "används", "tillämpas", "hänvisar", "följer", "omfattar",
    "blir", "har", "kräver", "ger", "gör", "sker", "görs", "sätts", "köper", "direktupphandlar", "tillåter",
    "medger", "säger", "anger", "framgår", "styrs", "reglerar", "utgör", "räknas", "behöver",
    "upphandlar", "ställer", "gälla", "definieras", "beskrivs", "stöder", "erbjuder",
    "avser", "betyder", "ingår", "krävs", "behövs", "bygger", "handlar", "visar", "beskriver", "pekar", "innehåller",
})
# Past tense of strong and irregular verbs; weak verbs are found by their ending.
STRONG_PAST = frozenset({
    "var", "fanns", "låg", "stod", "gav", "angav", "fick", "kom", "blev", "tog", "gick", "sa", "sade", "skrev",
    "höll", "drog", "steg", "sjönk", "föll", "löd", "förelåg", "utgjorde", "hade", "gjorde", "kunde", "skulle",
    "ville", "borde",
})
_WEAK_PAST = ("ade", "ades", "de", "des", "te", "tes", "dde", "ddes")
# Words that mark a statement as history whatever its verb.
HISTORY_WORDS = re.compile(
    r"\b(?:tidigare|dåvarande|förr|fram\s+till|ända\s+till|före|innan|upphävd\w*|upphörde|ersattes|ersatts|"
    r"ersatt|gamla|äldre|numera\s+upphävd\w*|gällde|var\s+gränsen|gränsen\s+var|då\s+gällande)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;()\[\]]|:(?=\s)|,\s+(?:men|medan|och\s+nu|nu|sedan\s+dess)\b|\s–\s|,|\bmedan\b", re.IGNORECASE)
_YEAR = r"(?:19|20)\d\d"
_PERIOD_MARK = re.compile(
    rf"\b(?P<kind>under|år|i|fram\s+till|till\s+och\s+med|t\.?\s?o\.?\s?m\.?|före|innan|sedan|från(?:\s+och\s+med)?|"
    # "Den 1 januari 2022 höjdes …": a day written out is a time of its own
    rf"den(?=\s+\d{{1,2}}\s+(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december))|"
    rf"fr\.?\s?o\.?\s?m\.?)\s+(?:år(?:en|et)?\s+)?(?:(?:den\s+)?\d{{1,2}}\s+)?(?:(?P<month>januari|februari|mars|april|maj|juni|"
    rf"juli|augusti|september|oktober|november|december)\s+)?(?P<year>{_YEAR})(?:-(?P<mm>\d\d)-(?P<dd>\d\d))?"
    rf"(?:\s*[–-]\s*(?P<year2>{_YEAR}))?", re.IGNORECASE)
_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december")


@cache
def is_past_verb(word: str) -> bool:
    """A verb in the past tense: a strong verb's own form, or a weak verb's
    ending on a word whose lemma is an infinitive ("gällde" → "gälla"; but
    "värde" is its own lemma, a noun)."""
    word = word.lower()
    if word in STRONG_PAST:
        return True
    if word in PRESENT or word.endswith(("ande", "ende")) or len(word) < 4 or not word.endswith(_WEAK_PAST):
        return False
    lemma = lemma_table().lemmas([word])[word]
    return lemma != word and lemma.endswith("a")


@dataclass(frozen=True)
class TimeFrame:
    """Whether a claim tells history, and of which period when the text says."""
    historical: bool
    period: tuple[date, date] | None = None

    def covers(self, first: date, last: date) -> bool:
        return self.period is None or (self.period[0] <= last and first <= self.period[1])


def clause_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `text` around [start, end): between the nearest breaks."""
    return _clause(text, start, end)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `text` around [start, end): between the nearest breaks."""
    first, last = 0, len(text)
    for match in _CLAUSE_BREAK.finditer(text):
        if match.end() <= start:
            first = match.end()
        elif match.start() >= end:
            last = match.start()
            break
    return first, last


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


# Words before a participle used as an adjective or noun ("de sysselsatta", "eller missgynnade"):
# a form in -ade/-de/-te after them is no finite verb.
_NOT_BEFORE_FINITE = frozenset({"de", "den", "det", "en", "ett", "eller", "och", "samt", "som", "är", "var", "blir",
                                "mest", "mer", "särskilt", "alla", "flera", "många", "av", "för", "med", "till", "i",
                                "på", "nya", "dessa", "deras", "sina", "våra", "andra", "övriga", "samtliga",
                                # after an infinitive or supine of "vara"/"bli" comes a participle ("vara registrerade")
                                "vara", "varit", "bli", "blivit",
                                # after a subjunction comes the subject ("medan missgynnade inte räknas")
                                "medan", "eftersom", "när", "om", "ifall", "att"})


def _verb_tense(text: str, start: int, end: int, before: int) -> str | None:
    """'past' or 'present' from the verb nearest before the claim in text[start:end]
    (or after it, when none stands before)."""
    nearest: tuple[int, str] | None = None
    # The word before the clause counts too: "…, medan missgynnade inte räknas" (the clause begins after "medan").
    leading = _WORD.findall(text[max(0, start - 20):start])
    previous = leading[-1].lower() if leading else ""
    words = list(_WORD.finditer(text, start, end))
    for index, match in enumerate(words):
        word = match.group().lower()
        weak = word not in STRONG_PAST and previous in _NOT_BEFORE_FINITE
        # An -ade form before a noun and a present verb describes the noun ("publicerade filer ska …").
        following = [w.group().lower() for w in words[index + 1:index + 3]]
        weak = weak or (word not in STRONG_PAST and len(following) == 2 and following[1] in PRESENT
                        and following[0] not in PRESENT)
        previous = word
        tense = "present" if word in PRESENT else "past" if is_past_verb(word) and not weak else None
        if tense is None:
            continue
        distance = before - match.end() if match.end() <= before else 10_000 + match.start() - before
        if nearest is None or distance < nearest[0]:
            nearest = (distance, tense)
    return nearest[1] if nearest else None


_OWN_TIME = re.compile(r"\b(?:innan|efter|då|sedan|samma\s+år|januari|februari|mars|april|maj|juni|juli|augusti|"
                       r"september|oktober|november|december)\b", re.IGNORECASE)


def time_frame(sentence: str, start: int, end: int, today: date) -> TimeFrame:
    """Of which time the claim at sentence[start:end] speaks. The period is the
    claim's own clause's; the sentence's only when the clause names no time of
    its own ("…, innan den höjdes till 700 000 kr den 1 februari" is not January)."""
    first, last = _clause(sentence, start, end)
    clause = sentence[first:last]
    period = _period(clause, today, start - first)
    if period is None and not _OWN_TIME.search(clause):
        period = _period(sentence, today)
    if HISTORY_WORDS.search(clause) or (period is not None and period[1] < today and _marks_past(sentence)):
        return TimeFrame(True, period)
    tense = _verb_tense(sentence, first, last, start) or _verb_tense(sentence, 0, len(sentence), start)
    if tense == "past" or (tense is None and HISTORY_WORDS.search(sentence)):
        return TimeFrame(True, period)
    return TimeFrame(False, period)


def _marks_past(sentence: str) -> bool:
    """'fram till 2021', 'före 2022', 'under 2019': a period given as the past."""
    return any(m.group("kind").lower().split()[0] in ("fram", "till", "t.o.m.", "före", "innan", "under")
               for m in _PERIOD_MARK.finditer(sentence))


def _period(sentence: str, today: date, position: int | None = None) -> tuple[date, date] | None:
    """The period a sentence names ("under 2019", "2014–2016", "fram till januari 2022"). With
    several, the one nearest before `position` dates what stands there ("År 2021 var gränsen
    615 312 kr och i januari 2022 626 284 kr"): a time governs what follows it."""
    marks = list(_PERIOD_MARK.finditer(sentence))
    if position is not None and len(marks) > 1:
        before = [m for m in marks if m.end() <= position]
        if before:
            marks = [before[-1]]
    for match in marks:
        kind = match.group("kind").lower()
        year = int(match.group("year"))
        if match.group("mm"):
            try:
                day = date(year, int(match.group("mm")), int(match.group("dd")))
            except ValueError:
                continue
            first = last = day
        elif match.group("month"):
            month = _MONTHS.index(match.group("month").lower()) + 1
            first, last = date(year, month, 1), date(year, month, 28)
        else:
            first, last = date(year, 1, 1), date(year, 12, 31)
        if match.group("year2"):
            last = date(int(match.group("year2")), 12, 31)
        if kind.startswith(("fram", "till", "t.", "före", "innan")):
            return (date(1900, 1, 1), last if not kind.startswith(("före", "innan")) else first)
        if kind.startswith(("sedan", "från", "fr")):
            return (first, today)
        return (first, last)
    return None


# -- amounts of money ---------------------------------------------------------------------------------------

_SPACE = "[ \u00a0\u202f\u2009.]"
_NUMBER = rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?"
_MONEY = re.compile(
    rf"(?<![\w,.])(?:(?P<pre>SEK|kr(?:\.(?=\s*\d))?)\s?)?(?P<number>{_NUMBER})"
    rf"(?:\s?(?P<unit>miljoner\s+kronor|miljon\s+kronor|miljoner\s+kr|miljoner|miljon|mnkr|mkr|msek|mn\s?kr|"
    rf"tusen\s+kronor|tusen\s+kr|tkr|ksek|kronor|kr(?:\.(?=\s*[a-zåäö\d]))?|sek|:-))?(?![\w])", re.IGNORECASE)
_APPROXIMATE = re.compile(r"\b(?:ca|cirka|ungefär|omkring|runt|drygt|knappt|närmare|kring|c:a)\.?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    kronor: float              # the amount in its currency (kronor, or euro when `euro`)
    approximate: bool
    euro: bool = False

    def tolerance(self) -> float:
        return 0.05 if self.approximate else 0.002


_EURO = re.compile(rf"(?<![\w,.])(?:(?:€|EUR)\s?)?(?P<number>{_NUMBER})\s?(?:(?P<unit>euro|eur|€)|(?P<thousands>tusen\s+euro))(?!\w)",
                   re.IGNORECASE)


def money_in(text: str) -> list[Money]:
    """Every amount of money in `text`: kronor ("615 312 kr", "SEK 615312",
    "586 tkr", "0,7 mnkr", "ca 600 000 kronor") and euro ("216 000 euro", "€140 000")."""
    found = [Money(m.start(), m.end(), float(re.sub(_SPACE, "", m.group("number")).replace(",", ".")) *
                   (1000 if m.group("thousands") else 1),
                   bool(_APPROXIMATE.search(text[max(0, m.start() - 12):m.start()])), euro=True)
             for m in _EURO.finditer(text)]
    for match in _MONEY.finditer(text):
        pre, unit = match.group("pre"), (match.group("unit") or "").lower()
        if not pre and not unit:
            continue
        digits = re.sub(_SPACE, "", match.group("number")).replace(",", ".")
        try:
            value = float(digits)
        except ValueError:
            continue
        if unit.startswith(("miljon", "mn", "mkr", "msek")):
            value *= 1_000_000
        elif unit.startswith(("tusen", "tkr", "ksek")):
            value *= 1_000
        rounded = value >= 1000 and value % 10_000 == 0 and unit.startswith(("miljon", "mn", "mkr", "msek", "tusen", "tkr"))
        approximate = bool(_APPROXIMATE.search(text[max(0, match.start() - 12):match.start()])) or rounded
        found.append(Money(match.start(), match.end(), value, approximate))
    for match in _MONEY_IN_WORDS.finditer(text):   # "sjuhundra tusen kronor", "en miljon kronor"
        if any(m.start < match.end() and match.start() < m.end for m in found):
            continue    # "0,7 miljoner kronor" is read above, with its digits
        in_words = number_from_words(match.group("words"))
        if in_words:
            found.append(Money(match.start(), match.end(), float(in_words), True,
                               euro=match.group("unit").lower() == "euro"))
    return found


# Swedish numbers written in words, as drafts sometimes write an amount ("sjuhundratusen kronor").
NUMBER_WORDS = {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
                 "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16,
                 "sjutton": 17, "arton": 18, "nitton": 19, "tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50,
                 "sextio": 60, "sjuttio": 70, "åttio": 80, "nittio": 90}
_MULTIPLIERS = ("hundra", "tusen", "miljoner", "miljon")
_VOCABULARY = sorted([*NUMBER_WORDS, *_MULTIPLIERS], key=len, reverse=True)
_MONEY_IN_WORDS = re.compile(
    rf"(?<![\wåäö])(?P<words>(?:(?:{'|'.join(_VOCABULARY)})\s*)*(?:hundra|tusen|miljoner|miljon))\s+(?P<unit>kronor|kr\b|SEK|euro)",
    re.IGNORECASE)


def number_from_words(words: str) -> int | None:
    """The value of a Swedish number in words ("sjuhundra tusen" → 700 000); None if it is none."""
    letters = "".join(words.lower().split())
    tokens, at = [], 0
    while at < len(letters):
        token = next((w for w in _VOCABULARY if letters.startswith(w, at)), None)
        if token is None:
            return None
        tokens.append(token)
        at += len(token)
    total = current = 0
    for token in tokens:
        if token in NUMBER_WORDS:
            current += NUMBER_WORDS[token]
        elif token == "hundra":
            current = (current or 1) * 100
        elif token == "tusen":
            total, current = total + (current or 1) * 1000, 0
        else:
            total, current = total + (current or 1) * 1_000_000, 0
    return total + current


# -- sentences ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimSentence:
    """One sentence of a unit, with its place in the unit's text."""
    unit: TextUnit
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.unit.text[self.start:self.end]


_SENTENCE_END = re.compile(r'(?<=[.!?])\s+(?=[A-ZÅÄÖ"”(])')


def sentences(texts: Texts, kinds: tuple[str, ...] = ("stycke", "punkt", "tabell", "metadata", "rubrik")
              ) -> Iterator[ClaimSentence]:
    """The draft's sentences in running text (footnotes cite sources; they claim nothing)."""
    for unit in texts.units:
        if unit.kind not in kinds:
            continue
        if unit.sentences:
            for sentence in unit.sentences:
                yield ClaimSentence(unit, sentence.start, sentence.end)
            continue
        bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(unit.text)] + [len(unit.text)]
        for first, last in zip(bounds, bounds[1:]):
            yield ClaimSentence(unit, first, last)


def words_of(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


NEGATIONS = frozenset({"inte", "ej", "icke", "aldrig", "ingen", "inget", "inga"})


def negated_before(text: str, position: int, window: int = 6) -> bool:
    """Whether a negation stands among the `window` words before `position` in
    its clause: "får inte användas för att kringgå", "är aldrig ett sätt att
    köpa … utan upphandling" (a negation further back belongs to another verb)."""
    first, _ = _clause(text, position, position)
    before = text[first:position]
    if first > 0 and text[first - 1] == "," and re.search(r"\b(?:eller|och|samt)\b", before):
        # A list continued from the clause before ("inga bidrag, lån eller borgen"): its negation reaches here.
        before = text[_clause(text, first - 1, first - 1)[0]:position]
    if any(word in NEGATIONS for word in words_of(before)[-window:]):
        return True
    # A negated modal or copula governs the rest of its clause, however long the verb
    # phrase: "IOP får aldrig användas som ett sätt att köpa tjänster utan upphandling".
    return _NEGATED_PREDICATE.search(before) is not None and not _CONTRAST.search(before)


# A negated modal followed by its own verb ("får aldrig användas", "ska inte ges"); "är inte svårt att …"
# negates an adjective, not the rest of the clause.
_NEGATED_PREDICATE = re.compile(r"\b(?:får|ska|skall|kan|måste|bör|är|blir)\s+(?:\w+\s+)?(?:inte|aldrig|ej)\s+"
                                r"(?!(?:svårt|lätt|ovanligt|omöjligt|konstigt|märkligt|självklart)\b)\w+", re.IGNORECASE)
# "… är inte X utan Y": after the contrast the negation no longer holds. "utan" as a preposition
# ("utan upphandling", "utan att …") is no contrast.
_CONTRAST = re.compile(r"\b(?:inte|aldrig|ej)\b.*(?:,\s*(?:utan|men)\b|\butan\s+(?:ska|måste|är|får|kan|det|den|kommunen)\b"
                       r"|\b(?:men|däremot)\b)", re.IGNORECASE)
# The question's own words, after a label ("F:", "Fråga:", "1.").
_QUESTION_LABEL = re.compile(r"^\W*(?:\d+\.\s*)?(?:(?:F|Fråga|Q)\s*:\s*)?", re.IGNORECASE)
_YES_NO = re.compile(r"(?!(?:hur|var|vem|vilk\w*|när|vad|varför|varifrån|vart)\b)\w+", re.IGNORECASE)


_YES = re.compile(r"^\W*(?:S\s*:\s*|Svar\s*:\s*)?(?:Ja|Jo|Absolut|Visst)\b", re.IGNORECASE)


def _is_yes_no_question(text: str) -> bool:
    """A question that asks whether, not how: "Är IOP ett sätt att slippa LOU?" claims nothing."""
    label = _QUESTION_LABEL.match(text)   # always matches: every part of it is optional
    return text.rstrip().endswith("?") and _YES_NO.match(text, label.end() if label else 0) is not None


def question_before(previous: str) -> str:
    """The sentence before, when it is a question the current sentence answers; else ""."""
    return previous if previous.rstrip().endswith("?") else ""


def only_asking(listed: list[ClaimSentence]) -> set[int]:
    """The ids of the sentences in `listed` that only ask: yes/no questions not answered "Ja"."""
    return {id(sentence) for sentence, answer in zip(listed, [*listed[1:], None])
            if _asks_only(sentence.text, answer.text if answer is not None else "")}


def _asks_only(text: str, answer: str) -> bool:
    """A yes/no question that claims nothing: one not answered "Ja" in the next sentence
    ("F: Får kommunen …? S: Ja, …" says what the question asks)."""
    return _is_yes_no_question(text) and not _YES.match(answer)


def exemption(text: str, rules: re.Pattern, outside: re.Pattern) -> re.Match | None:
    """Where the sentence says that `rules` do not apply to its subject: a word
    of non-application (`outside`: "omfattas inte av", "gäller inte för",
    "undantas från", "faller utanför", "behöver inte följa", "kringgå") with
    the rules named in the same clause, in either order ("IOP omfattas inte av
    LOU", "statsstödsreglerna gäller inte för IOP"), and no negation of its own
    just before it ("är inte undantaget från LOU", "får inte användas för att
    kringgå LOU" say the opposite)."""
    if not rules.search(text):
        return None     # the rules are not named at all: most sentences end here, cheaply
    for match in outside.finditer(text):
        first, last = _clause(text, match.start(), match.end())
        # A word that carries its own negation ("omfattas inte") is not turned by another one
        # further back, which belongs to another verb ("eftersom IOP inte är ett avtal omfattas det inte av …").
        words = words_of(match.group().lower())
        own_negation = any(word in NEGATIONS for word in words)
        # Word order tells a main clause from a subordinate one: "inte omfattas" (negation before
        # the verb) stands in a subordinate clause – inside a condition it names a case; "omfattas
        # samarbetet inte" is a main clause after a fronted one ("När kommunen ingår ett IOP …"), a claim.
        main_clause = own_negation and words[0] not in NEGATIONS
        if rules.search(text[first:last]) and (own_negation or not negated_before(text, match.start())) \
                and (main_clause or not _conditional_before(text, _sentence_start(text, match.start()), match.start())):
            return match
    return None


def _sentence_start(text: str, position: int) -> int:
    """Where the part of the sentence before `position` begins: after the last semicolon (a condition
    may hold commas: "Om det, efter en prövning, kan konstateras att …")."""
    return text.rfind(";", 0, position) + 1


# Words that open a condition; "om" only at the start of a clause or after a conjunction
# ("Om det …", "och om …"): after a noun it is a preposition ("reglerna om statsstöd").
_CONDITION_WORDS = frozenset({"ifall", "när", "såvida"})
_CONDITION_PHRASE = re.compile(r"\b(?:i\s+de\s+fall|i\s+den\s+mån|förutsatt\s+att)\b", re.IGNORECASE)
_BEFORE_CONDITIONAL_OM = frozenset({"och", "men", "att", "eller", "samt", "så"})


def _conditional_before(text: str, first: int, position: int) -> bool:
    """Whether the words just before `position` (in its clause, at most twelve) open a
    condition: "Om det kan konstateras att samarbetet inte omfattas av …" states no
    exemption, it names a case. A concession ("även om") is no condition."""
    words = [w.group().lower() for w in _WORD.finditer(text, first, position)]
    window = words[-20:]
    offset = len(words) - len(window)
    for index, word in enumerate(window):
        previous = words[offset + index - 1] if offset + index > 0 else None
        if word in _CONDITION_WORDS or (word == "om" and (previous is None or previous in _BEFORE_CONDITIONAL_OM)):
            return True
    return bool(_CONDITION_PHRASE.search(" ".join(window)))
