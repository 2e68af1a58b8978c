"""What every kind of text rule shares: the draft's text units, the hit a
check returns, the facts about the draft, the joined views the checks search,
and the Kind object itself (schema fragment, message fields, check and
description in one place)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar, cast

from policygen.errors import UserError
from policygen.kommuner import Kommun
from policygen.lint.text.rule import TextRule
from policygen.model import Location, Span
from policygen.nlp.sentences import Sentence

# Raises a UserError pointing at a key path inside the rule (file and line known to the loader).
Fail = Callable[[str, list, str], UserError]

COMMON_MESSAGE_FIELDS = frozenset({"träff", "ersättning"})


@dataclass(frozen=True)
class TextUnit:
    text: str
    location: Location
    kind: str                          # rubrik | stycke | punkt | tabell | fotnot | metadata
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class TextHit:
    rule: TextRule
    span: Span
    message: str
    severity: str
    replacement: str | None
    context: str                      # the whole unit the span is in
    fact: str | None = None           # the registry fact the finding rests on (fact rules)

    # The engine read these four before Span existed; they stay as views of
    # the span until every caller reads `span`.
    @property
    def location(self) -> Location:
        return self.span.location

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def evidence(self) -> str:
        return self.span.text


@dataclass(frozen=True)
class DraftFacts:
    """What the checks need to know about the draft as a whole."""
    doc_type: str
    own_kommun: Kommun | None
    title_location: Location
    limits: dict[str, int]            # kind of rule (meningslängd, lix) → limit from the configuration
    today: date = field(default_factory=date.today)   # for validity dates; tests set it


def make_hit(rule: TextRule, unit: TextUnit, start: int, end: int, replacement: str | None = None,
             severity: str | None = None, message: str | None = None, fact: str | None = None,
             **values: Any) -> TextHit:
    evidence = unit.text[start:end]
    fields = {"träff": evidence, "ersättning": replacement or "", **values}
    template = message if message is not None else rule.message
    return TextHit(rule, Span(evidence, unit.location, start, end), template.format_map(fields),
                   severity or rule.severity, replacement, unit.text, fact)


class Joined:
    """All units as one string, so each regex runs once per draft instead of once
    per paragraph. NUL separates units: neither \\s nor \\w matches it, so no
    match crosses from one paragraph into the next."""

    def __init__(self, units: list[TextUnit]) -> None:
        self.units = units
        self.text = "\0".join(u.text for u in units)
        self.starts = []
        offset = 0
        for unit in units:
            self.starts.append(offset)
            offset += len(unit.text) + 1

    @cached_property
    def lowered(self) -> str:
        return self.text.lower()

    def finditer(self, regex: re.Pattern) -> Iterable[tuple[TextUnit, int, int, re.Match]]:
        for match in regex.finditer(self.text):
            index = bisect.bisect_right(self.starts, match.start()) - 1
            offset = self.starts[index]
            yield self.units[index], match.start() - offset, match.end() - offset, match


_SENTENCE_END = re.compile(r'(?<=[.!?])\s+(?=[A-ZÅÄÖ"”(])')


def sentence_around(unit: TextUnit, start: int, end: int) -> tuple[int, int]:
    """The sentence holding [start, end): from the parsed sentences where the
    unit has them (footnotes do not), else split at full stops."""
    for sentence in unit.sentences:
        if sentence.start <= start < sentence.end:
            return sentence.start, max(sentence.end, end)
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(unit.text)] + [len(unit.text)]
    index = bisect.bisect_right(bounds, start) - 1
    return bounds[index], max(bounds[min(index + 1, len(bounds) - 1)], end)


def previous_sentence(unit: TextUnit, start: int) -> str:
    """The sentence before the one starting at `start` in the same unit, or ''."""
    if start <= 0:
        return ""
    before_start, before_end = sentence_around(unit, start - 1, start - 1)
    return unit.text[before_start:before_end]


class Texts:
    """The draft's units and their joined views, built once per draft and
    shared by every rule."""

    def __init__(self, units: list[TextUnit]) -> None:
        self.units = units

    @cached_property
    def everything(self) -> Joined:
        return Joined(self.units)

    @cached_property
    def running(self) -> Joined:
        """Without footnotes: sources are cited, not written, by the draft."""
        return Joined([u for u in self.units if u.kind != "fotnot"])

    @cached_property
    def prose(self) -> Joined:
        """Running text without headings and metadata."""
        return Joined([u for u in self.units if u.kind not in ("fotnot", "rubrik", "metadata")])


def compile_regex(text: str, fail: Fail, key: list, ignorecase: bool = False) -> re.Pattern:
    try:
        return re.compile(text, re.IGNORECASE if ignorecase else 0)
    except re.error as exc:
        raise fail(f"mönstret går inte att tolka: {exc}", key,
                   "skriv ett giltigt reguljärt uttryck (inom enkla citattecken)") from None


def compile_alternatives(words: list[str], fail: Fail, key: list) -> re.Pattern:
    """The rule file's list of patterns as one case-insensitive pattern; a bad one is named by `key`."""
    return compile_regex("|".join(f"(?:{w})" for w in words), fail, key, ignorecase=True)


def label_alternation(labels: tuple[str, ...]) -> str:
    """A regex alternative of metadata labels, longest first, any run of spaces
    between their words ("Gäller till|Dnr")."""
    return "|".join(r"\s+".join(map(re.escape, label.split())) for label in sorted(labels, key=len, reverse=True))


def fixed_texts(patterns: list[str]) -> tuple[str, ...] | None:
    """Text (lower case) one of `patterns` must hold wherever any of them matches: each pattern's
    required literal. None when a pattern has none, or one too short to narrow anything down;
    then only the patterns themselves can tell."""
    found = [required_literal(re.compile(pattern, re.IGNORECASE)) for pattern in patterns]
    if any(text is None or len(text) < 3 for text in found):
        return None
    return tuple(text for text in found if text)


def required_literal(regex: re.Pattern) -> str | None:
    """The longest text (lower-cased) every match of `regex` must contain, or None.
    A substring test for it is far cheaper than running the regex over a draft
    that cannot match, which is most drafts for most fact patterns."""
    from re import _constants as constants  # type: ignore[attr-defined]  # the stdlib's own regex parser
    from re import _parser as parser  # type: ignore[attr-defined]

    try:
        parsed = parser.parse(regex.pattern, regex.flags)
    except Exception:          # an exotic pattern: no shortcut, run the regex
        return None

    def letter(op, value) -> str | None:
        """The one (lower-case) letter an item matches: a literal or a class of
        case variants such as [xX]."""
        if op is constants.LITERAL:
            return chr(value).lower()
        if op is constants.IN and all(o is constants.LITERAL for o, _ in value):
            letters = {chr(v).lower() for _, v in value}
            return letters.pop() if len(letters) == 1 else None
        return None

    best, run = "", ""
    for op, value in parsed:
        single = letter(op, value)
        if single is not None:
            run += single
            continue
        if op in (constants.MAX_REPEAT, constants.MIN_REPEAT) and len(value[2]) == 1:
            low, high, (item,) = value[0], value[1], list(value[2])
            single = letter(*item)
            if single is not None and low >= 1:
                run += single * low
                if low == high:
                    continue
        best, run = max(best, run, key=len), ""
    best = max(best, run, key=len)
    return best if len(best) >= 2 else None


WORDS = {"type": "array", "items": {"type": "string", "minLength": 1}}
REGEXES = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}


OptionsT = TypeVar("OptionsT")


@dataclass(frozen=True)
class NoOptions:
    """The options of a kind whose rules have no fields of their own."""


class Kind(Generic[OptionsT]):
    """One kind of text rule. A subclass names the kind as the rule files write
    it, declares the fields a rule of the kind has (a JSON-schema fragment) and
    which of them are required, the {fields} its message may use, turns a
    rule's fields into its typed options (`prepare`, when the file loads), how
    to check a draft and how to describe a rule in the rules reference."""

    name: ClassVar[str]
    description: ClassVar[str]               # one Swedish line for the rules reference and the file header
    fields: ClassVar[dict[str, dict]] = {}
    required: ClassVar[tuple[str, ...]] = ()
    message_fields: ClassVar[frozenset[str]] = frozenset()
    # Extra message templates a rule of this kind may have, besides `message`.
    extra_messages: ClassVar[tuple[str, ...]] = ()

    def prepare(self, entry: dict[str, Any], fail: Fail) -> OptionsT:
        """The rule's options as the check uses them (regexes compiled, tables
        normalised). Raise fail(...) for a value the schema cannot judge."""
        raise NotImplementedError

    def options(self, rule: TextRule) -> OptionsT:
        """The options `prepare` made for this rule (the loader keeps them on the rule)."""
        return cast(OptionsT, rule.options)

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        raise NotImplementedError

    def details(self, rule: TextRule) -> tuple[str, ...]:
        """What the rule looks for, one line each, for the rules reference."""
        return ()

    def all_message_fields(self) -> frozenset[str]:
        return COMMON_MESSAGE_FIELDS | self.message_fields
