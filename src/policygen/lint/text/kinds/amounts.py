"""Kind `belopp`: an old amount presented as a limit that has since changed."""

from __future__ import annotations

import re

from policygen.lint.text.kinds.base import (
    REGEXES,
    DraftFacts,
    Kind,
    TextHit,
    Texts,
    compile_regex,
    make_hit,
    previous_sentence,
    sentence_around,
)

# An amount of money in the spellings drafts use: "586 907 kr", "586907 kronor",
# "615 312 SEK", "534 890:-", "586 tkr", "0,6 miljoner". It starts at a digit so
# the regex engine skips most of the text quickly; "ca" before it is read apart.
_MONEY = re.compile(
    r"(?<![\w,.])(?P<number>\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?![\d])|\d+(?:,\d+)?)\s*"
    r"(?P<unit>kr\b|kronor\b|SEK\b|:-|tkr\b|tusen(?:\s+kronor)?\b|mkr\b|miljon(?:er)?(?:\s+kronor)?\b)",
    re.IGNORECASE)
_APPROX = re.compile(r"(?<!\w)(?:ca|c:a|cirka|ungefär|omkring|runt|drygt|knappt)\.?\s+$", re.IGNORECASE)

_SCALE = {"tkr": 1_000, "tusen": 1_000, "mkr": 1_000_000, "miljon": 1_000_000}


def parse_money(match: re.Match, approximate: bool) -> tuple[float, bool]:
    """The amount in kronor, and whether the text gives it only roughly
    (ca …, in tkr or miljoner): then it may stand for a nearby exact limit."""
    number = match.group("number")
    if "," in number:
        value = float(number.replace(",", "."))
    else:
        value = float(re.sub(r"\D", "", number))
    unit = match.group("unit").lower()
    scale = next((factor for prefix, factor in _SCALE.items() if unit.startswith(prefix)), 1)
    return value * scale, approximate or scale > 1


class Amounts(Kind):
    name = "belopp"
    description = ("gamla beloppsgränser när texten anger dem som gränsen (ord som ”direktupphandling” eller "
                   "”gräns” i meningen); belopp i historiska meningar räknas inte")
    fields = {
        "amounts": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["belopp", "period"],
            "properties": {"belopp": {"type": "integer", "minimum": 1}, "period": {"type": "string"}}}},
        "current": {"type": "string"},
        "current_amount": {"type": "integer", "minimum": 1},
        "replacement": {"type": "string", "minLength": 1},
        # How close a rough amount ("ca 600 000 kr") must be to an old limit, in percent.
        "tolerance_percent": {"type": "number", "minimum": 0, "maximum": 20},
        # Words (regexes) in the sentence, or the one before, that make an amount a limit.
        "limit_words": REGEXES,
        # Words (regexes) in the sentence that make it history, not the rule in force.
        "historical_words": REGEXES,
        # Words (regexes) just before the amount that make it a price or a cost, not a limit.
        "value_words": REGEXES,
        # Old ways of stating the limit without an amount ("28 procent av tröskelvärdet").
        "phrases": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["regex", "period"],
            "properties": {"regex": {"type": "string", "minLength": 1}, "period": {"type": "string"}}}},
    }
    required = ("amounts", "current", "current_amount", "limit_words")
    message_fields = frozenset({"period", "nu", "gammal"})

    def prepare(self, entry: dict, fail) -> dict:
        def regexes(key: str, suffix: str = "") -> re.Pattern | None:
            """The key's regexes as one alternation; each is checked on its own first,
            so an error names the one that is wrong."""
            items = entry.get(key, [])
            for index, text in enumerate(items):
                compile_regex(text, fail, [key, index], ignorecase=True)
            if not items:
                return None
            try:
                return re.compile("(?:" + "|".join(f"(?:{t})" for t in items) + ")" + suffix, re.IGNORECASE)
            except re.error as exc:
                raise fail(f"uttrycken går inte att köra tillsammans: {exc}", [key],
                           "ta bort (?i) och namngivna grupper (?P<…>); alla jämförs utan skillnad på "
                           "stora och små bokstäver") from None

        phrases = tuple((compile_regex(p["regex"], fail, ["phrases", i, "regex"], ignorecase=True), p["period"])
                        for i, p in enumerate(entry.get("phrases", [])))
        return {"amounts": {item["belopp"]: item["period"] for item in entry["amounts"]},
                "current": entry["current"], "replacement": entry.get("replacement"),
                "current_amount": entry["current_amount"],
                "tolerance": entry.get("tolerance_percent", 5) / 100,
                "limit_words": regexes("limit_words"), "historical_words": regexes("historical_words"),
                "value_words": regexes("value_words", r"\s*$"),
                "phrases": phrases}

    @staticmethod
    def _stale_amount(options: dict, value: float, rough: bool) -> int | None:
        """The old limit the amount states: itself, or for a rough amount the
        old limit within the tolerance (never when it is as near the current one)."""
        stale = options["amounts"]
        if not rough:
            return int(value) if value == int(value) and int(value) in stale else None
        tolerance = options["tolerance"]
        if abs(value - options["current_amount"]) <= tolerance * options["current_amount"]:
            return None
        nearest = min(stale, key=lambda amount: abs(amount - value))
        return nearest if abs(nearest - value) <= tolerance * nearest else None

    def check(self, rule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = rule.options
        found: list[tuple] = []
        for unit, start, end, match in texts.everything.finditer(_MONEY):
            approx = _APPROX.search(unit.text, max(0, start - 12), start)
            if approx is not None:
                start = approx.start()
            value, rough = parse_money(match, approx is not None)
            amount = self._stale_amount(options, value, rough)
            if amount is not None:
                period = options["amounts"][amount]
                found.append((unit, start, end, period, f"{amount:,} kr, {period}".replace(",", " "), True))
        for regex, period in options["phrases"]:
            for unit, start, end, _ in texts.everything.finditer(regex):
                found.append((unit, start, end, period, period, False))
        hits = []
        for unit, start, end, period, old, needs_limit_word in found:
            first, last = sentence_around(unit, start, end)
            sentence = unit.text[first:last]
            if options["historical_words"] is not None and options["historical_words"].search(sentence):
                continue
            if options["value_words"] is not None and options["value_words"].search(unit.text, first, start):
                continue
            if needs_limit_word and not (options["limit_words"].search(sentence)
                                         or options["limit_words"].search(previous_sentence(unit, first))):
                continue
            hits.append(make_hit(rule, unit, start, end, options["replacement"],
                                 period=period, gammal=old, nu=options["current"]))
        hits.sort(key=lambda h: (h.span.location.paragraph, h.span.start))
        return hits

    def details(self, rule) -> tuple[str, ...]:
        options = rule.options
        return tuple(f"{amount:,} kr ({period})".replace(",", " ") for amount, period in options["amounts"].items()) \
            + tuple(f"`{regex.pattern}` ({period})" for regex, period in options["phrases"])
