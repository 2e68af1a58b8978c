"""Kind `belopp`: an amount a draft states as a direct-award limit or a
threshold, compared with the fact registry on the day the check runs.

An amount is a claim about the legal limit when the sentence is about direct
awards or thresholds and the amount stands as the limit: after a word of
relation ("under", "högst", "upp till"), or as what the limit "is". It is not
a claim when it is a price, a budget, a grant or the kommun's own lower limit.
A claim that speaks of today must give today's amount, whether the wrong one
was once valid (stale) or never was; a claim about an earlier time must fit
that time (claims.time_frame). Each finding names the fact it rests on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from policygen.facts.registry import Amount, Limit, Registry, load_registry
from policygen.lint.text.claims import ClaimSentence, Money, clause_of, money_in, only_asking, sentences, time_frame
from policygen.lint.text.kinds.base import (
    REGEXES,
    DraftFacts,
    Fail,
    Kind,
    TextHit,
    TextRule,
    Texts,
    compile_alternatives,
    compile_regex,
    make_hit,
)
from policygen.lint.text.kinds.dates import WRITTEN_TIME, differs_as_written

FACT_MESSAGE_FIELDS = frozenset({"förklaring", "källa", "faktum", "kontrollerat"})


def fact_fields(registry: Registry, fact_id: str) -> dict[str, str]:
    """The message fields every fact finding has: its source, the registry id and the check date."""
    fact = next(f for f in registry.facts() if f.id == fact_id)
    return {"källa": fact.source_names(), "faktum": fact.id, "kontrollerat": fact.checked.isoformat()}


@dataclass(frozen=True)
class AmountOptions:
    context: re.Pattern          # the sentence is about direct awards or thresholds
    limit_nouns: re.Pattern      # the limit named as a thing that "is" an amount
    relations: re.Pattern        # just before an amount: it is the limit ("under", "högst")
    values: re.Pattern           # just before an amount: it is a price, a budget, a grant
    own_limit: re.Pattern        # the kommun's own (lower) limit, not the law's
    not_about_limit: re.Pattern  # documentation duty, reporting: amounts that are no limit
    scopes: tuple[tuple[str, re.Pattern], ...]   # limit id → words that make the claim about it
    default_limit: str
    percent_of_threshold: re.Pattern
    duty_amount: str | None = None   # the registry rule whose amount the not_about_limit amounts are (100 000 kr)
    law_words: re.Pattern | None = None   # the sentence gives the amount as the law's ("enligt LOU")


class FactAmounts(Kind[AmountOptions]):
    name = "belopp"
    description = ("ett belopp som texten anger som direktupphandlingsgräns eller tröskelvärde, jämfört med "
                   "faktaregistret den dag granskningen görs (historiska meningar jämförs med sin tid)")
    fields = {
        "context": REGEXES, "limit_nouns": REGEXES, "relations": REGEXES, "values": REGEXES,
        "own_limit": REGEXES, "not_about_limit": REGEXES, "percent_of_threshold": {"type": "string", "minLength": 1},
        "duty_amount": {"type": "string", "minLength": 1}, "law_words": REGEXES,
        "scopes": {"type": "object", "minProperties": 1, "additionalProperties": REGEXES,
                   "description": "faktaregistrets gräns-id → ord som gör att meningen gäller just den gränsen"},
        "default_limit": {"type": "string", "minLength": 1},
    }
    required = ("context", "limit_nouns", "relations", "values", "own_limit", "not_about_limit", "scopes",
                "default_limit", "percent_of_threshold")
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> AmountOptions:
        registry = load_registry()
        known = {limit.id for limit in registry.limits}
        for limit_id in (*entry["scopes"], entry["default_limit"]):
            if limit_id not in known:
                raise fail(f"gränsen {limit_id} finns inte i faktaregistret", ["scopes"],
                           "använd ett id ur limits: i lint_rules/faktaregister.yaml")
        def words(key: str) -> re.Pattern:
            return compile_alternatives(entry[key], fail, [key])

        return AmountOptions(
            context=words("context"), limit_nouns=words("limit_nouns"), relations=words("relations"),
            values=words("values"), own_limit=words("own_limit"), not_about_limit=words("not_about_limit"),
            duty_amount=self._duty_amount(entry, fail),
            law_words=words("law_words") if "law_words" in entry else None,
            scopes=tuple((limit_id, compile_alternatives(terms, fail, ["scopes"])) for limit_id, terms in entry["scopes"].items()),
            default_limit=entry["default_limit"],
            percent_of_threshold=compile_regex(entry["percent_of_threshold"], fail, ["percent_of_threshold"],
                                               ignorecase=True))

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        hits: list[TextHit] = []
        previous = ""
        listed = list(sentences(texts))
        asking = only_asking(listed)
        for sentence in listed:
            text = sentence.text
            if id(sentence) in asking:
                previous = text
                continue    # "Är gränsen 600 000 kr? Nej, …" asks, it does not say
            # An answer speaks of what its question asks ("F: Hur stor får en direktupphandling vara? S: Högst …").
            asked = previous.rstrip().endswith("?") and bool(options.context.search(previous))
            if options.context.search(text) or asked or (options.limit_nouns.search(text) and (
                    options.context.search(previous) or _names_a_registered_amount(registry, text))):
                hits += self._check_sentence(rule, options, registry, sentence, facts.today)
            previous = text
        return hits

    def _check_sentence(self, rule: TextRule, options: AmountOptions, registry: Registry, sentence: ClaimSentence,
                        today: date) -> list[TextHit]:
        text = sentence.text
        if options.own_limit.search(text):
            return []
        hits = []
        for money in money_in(text):
            if _for_duty(options.not_about_limit, text, money, 60):
                # the documentation duty ("uppgår till minst 100 000 kronor ska dokumenteras"): its own amount
                hits += self._duty_amount_hit(rule, options, registry, sentence, money, today)
                continue
            if not self._stated_as_limit(options, text, money):
                continue
            scope = _scope_of(options, registry, text, money)
            if scope is None:
                continue        # a combination the registry has no limit for (LUF's threshold for social services)
            limit = registry.limit(scope)
            frame = time_frame(text, money.start, money.end, today)
            explanation = _judge(registry, limit, money.kronor, money.tolerance(), frame.historical, frame.period,
                                 today, strong=bool(options.limit_nouns.search(text[:money.start])) or (
                                     options.law_words is not None and bool(options.law_words.search(text))),
                                 euro=money.euro)
            if explanation is None:
                hits += self._since_hit(rule, registry, limit, sentence, money, frame.historical)
                continue
            current = limit.at(today)
            replacement = current.shown() if current is not None and current.amount is not None and \
                not frame.historical and not money.euro else None
            hits.append(make_hit(rule, sentence.unit, sentence.start + money.start, sentence.start + money.end,
                                 replacement, fact=limit.id, förklaring=explanation,
                                 **fact_fields(registry, limit.id)))
        if (percent := options.percent_of_threshold.search(text)) and not time_frame(
                text, percent.start(), percent.end(), today).historical:
            limit = registry.limit(options.default_limit)
            current = limit.at(today)
            if current is not None and current.percent_of_threshold is None:
                formula = next((a for a in limit.amounts if a.percent_of_threshold), None)
                until = formula and next((a.period.end for a in reversed(limit.amounts) if a.percent_of_threshold), None)
                explanation = (f"beskriver {limit.name} så som lagen angav den fram till "
                               f"{until.isoformat() if until else 'tidigare'}. Sedan "
                               f"{_since(current)} är gränsen ett fast belopp: {current.shown()}.")
                hits.append(make_hit(rule, sentence.unit, sentence.start + percent.start(),
                                     sentence.start + percent.end(), current.shown() if current.amount else None,
                                     fact=limit.id, förklaring=explanation, **fact_fields(registry, limit.id)))
        return hits

    @staticmethod
    def _since_hit(rule: TextRule, registry: Registry, limit: Limit, sentence: ClaimSentence, money: Money,
                   historical: bool) -> list[TextHit]:
        """A right amount said to apply from the wrong day ("700 000 kr har gällt sedan den 1 januari
        2022"), judged at the precision the day is written."""
        text = sentence.text
        since = _SINCE.search(text)
        if since is None or historical:
            return []
        written = WRITTEN_TIME.match(text, since.end())
        amount = next((a for a in limit.amounts if (v := a.value(money.euro)) is not None
                       and abs(money.kronor - v) <= money.tolerance() * v), None)
        if written is None or amount is None or amount.period.start is None:
            return []
        start = amount.period.start
        if not differs_as_written(written, start, start.year):
            return []
        explanation = f"anger fel startdag: {amount.shown()} gäller sedan {start.isoformat()}."
        return [make_hit(rule, sentence.unit, sentence.start + written.start(), sentence.start + written.end(),
                         start.isoformat(), fact=limit.id, förklaring=explanation, **fact_fields(registry, limit.id))]

    @staticmethod
    def _duty_amount(entry: dict, fail: Fail) -> str | None:
        fact = entry.get("duty_amount")
        if fact is not None and "amount" not in load_registry().rule(fact).values:
            raise fail(f"uppgiften {fact} har inget belopp (amount)", ["duty_amount"],
                       "peka på en regel med amount i faktaregistret")
        return fact

    @staticmethod
    def _duty_amount_hit(rule: TextRule, options: AmountOptions, registry: Registry, sentence: ClaimSentence,
                         money: Money, today: date) -> list[TextHit]:
        """An amount given for the duty itself that is not the registered one."""
        if options.duty_amount is None or money.euro or options.law_words is None:
            return []
        legal = registry.rule(options.duty_amount)
        if not legal.period.covers(today) or time_frame(sentence.text, money.start, money.end, today).historical:
            return []
        amount = int(legal.values["amount"])
        if abs(money.kronor - amount) <= money.tolerance() * amount:
            return []
        # In the kommun's own voice a lower amount is a stricter rule of its own ("vi dokumenterar från
        # 50 000 kr"); a higher one leaves out what the law requires, whoever says it.
        if not options.law_words.search(sentence.text) and money.kronor < amount:
            return []
        shown = f"{amount:,}".replace(",", "\u00a0") + " kr"
        explanation = f"är inte beloppet för {legal.name}: plikten gäller från {shown} ({legal.ref.text() if legal.ref else ''} LOU)."
        return [make_hit(rule, sentence.unit, sentence.start + money.start, sentence.start + money.end, shown,
                         fact=legal.id, förklaring=explanation, **fact_fields(registry, legal.id))]

    @staticmethod
    def _stated_as_limit(options: AmountOptions, text: str, money: Money) -> bool:
        """Whether the amount stands as the limit: a relation word right before it,
        or the limit named before it with no price or grant word in between."""
        before = text[max(0, money.start - 60):money.start]
        near = " ".join(before.split()[-4:])
        # A value word just before it, over small words ("en budget om ca 650 tkr"), makes it a price or a budget.
        close = [w for w in before.split() if w.lower() not in _SMALL_WORDS][-2:]
        if options.values.search(" ".join(before.split()[-2:])) or (close and options.values.search(" ".join(close))
                                                                    and not options.relations.search(near)):
            return False
        if options.relations.search(near):
            return True
        named = options.limit_nouns.search(text, 0, money.start)
        return named is not None and not options.values.search(text[named.end():money.start])

    def details(self, rule: TextRule) -> tuple[str, ...]:
        options = self.options(rule)
        registry = load_registry()
        lines = []
        for limit in registry.limits:
            if limit.id != options.default_limit and limit.id not in dict(options.scopes):
                continue
            periods = ", ".join(f"{a.shown()} ({a.period.describe()})" for a in limit.amounts)
            lines.append(f"{limit.name}: {periods}")
        return tuple(lines)


# A start day given for an amount: "har gällt sedan den 1 januari 2022", "gäller från 1 februari 2022".
_SINCE = re.compile(r"\b(?:gällt|gäller|gälla|började\s+gälla|infördes|höjdes|ändrades)\s+(?:\w+\s+){0,2}?"
                    r"(?:sedan|från(?:\s+och\s+med)?|fr\.\s?o\.\s?m\.)\s+(?:den\s+)?", re.IGNORECASE)
_SMALL_WORDS = frozenset({"om", "på", "ca", "ca.", "cirka", "omkring", "ungefär", "drygt", "knappt", "en", "ett"})
_FOLLOWING_SCOPE = re.compile(r"\s*(?:kr|kronor|sek|euro|eur)?\s*,?\s*(?:för|gäller\s+för|avser|vid|enligt)\s+(?:[\w-]+\s+){0,3}",
                              re.IGNORECASE)


def _for_duty(duty: re.Pattern, text: str, money: Money, window: int) -> bool:
    """Whether the amount is given for the duty ("dokumenteras från 100 000 kr", "Direktupphandlingar
    över 100 000 kronor ska dokumenteras"): a duty word in the amount's clause, within `window`
    characters, and no word of a limit's own ("upp till", "under", "högst") right before the amount."""
    first, last = clause_of(text, money.start, money.end)
    near = duty.search(text, max(first, money.start - window), min(last, money.end + window)) or (
        duty.search(text, first, last) if last - first <= 3 * window else None)
    if near is None:
        return False
    before = " ".join(text[first:money.start].split()[-2:])
    return not _LIMIT_RELATION.search(before)


_LIMIT_RELATION = re.compile(r"\b(?:upp\s+till|under|högst|understig\w*|max\w*|lägre\s+än|mindre\s+än)\b", re.IGNORECASE)


def _whole_sentence(words: re.Pattern) -> bool:
    """A scope anchored at the sentence's start speaks of the whole sentence, not of a place in it."""
    return words.pattern.startswith(("^", "(?:^"))


def _scope_of(options: AmountOptions, registry: Registry, text: str, money: Money) -> str | None:
    """Which limit an amount is given for. With several amounts in a sentence
    ("216 000 euro för varor och tjänster och 5 404 000 euro för byggentreprenader",
    "byggentreprenader 5 404 000 euro, sociala tjänster 750 000 euro") each has its
    own: the scope word nearest before it, or just after it with "för", with no
    other amount in between. Otherwise the first scope named in the sentence.
    None when the sentence also names another law than the chosen limit's ("Inom
    LUF … 1 000 000 euro för sociala tjänster"): no registered limit fits both."""
    amounts = [(m.start, m.end) for m in money_in(text)]
    # A sentence about thresholds only is not about direct awards, and the other way round
    # ("Inom försörjningssektorerna är tröskelvärdet … 1 000 000 euro" is no LUF direct-award limit);
    # bilaga 2's limit is both. The amount's own clause decides when it names either ("… tröskelvärdet
    # … 2 389 585 kr, och för bilaga 2-tjänster var direktupphandlingsgränsen …").
    first, last = clause_of(text, money.start, money.end)
    own = text[first:last] if _THRESHOLD.search(text, first, last) or _DIRECT.search(text, first, last) else text
    threshold, direct = bool(_THRESHOLD.search(own)), bool(_DIRECT.search(own))
    kind = "troskelvarde" if threshold and not direct else "direktupphandling" if direct and not threshold else None
    scopes = [(limit_id, words) for limit_id, words in options.scopes
              if kind is None or registry.limit(limit_id).scope in (kind, "bilaga2")]
    # A law the sentence names by name ("LUF", "försörjningssektorerna") leaves out the other law's limits
    # whose words say nothing of the law ("sociala tjänster" is LUF's in a LUF sentence).
    laws_named = {registry.limit(limit_id).law for limit_id, words in options.scopes
                  if registry.limit(limit_id).scope == "direktupphandling" and words.search(text)} or {
        registry.limit(options.default_limit).law}    # no law named: the default limit's (LOU)
    if len(laws_named) == 1:
        scopes = [(limit_id, words) for limit_id, words in scopes if registry.limit(limit_id).law in laws_named]

    def amount_between(start: int, end: int) -> bool:
        return any(start <= first and last <= end for first, last in amounts if (first, last) != (money.start, money.end))

    best: tuple[int, str] | None = None
    candidates: list[tuple[int, int, str]] = []     # distance, place in the rule file, limit
    for order, (limit_id, words) in enumerate(scopes):
        if _whole_sentence(words):
            continue        # a scope of the whole sentence ("a threshold, not a direct award") has no place
        for match in words.finditer(text):
            if match.end() <= money.start and not amount_between(match.end(), money.start):
                distance = money.start - match.end()
            elif match.start() >= money.end and _FOLLOWING_SCOPE.fullmatch(text, money.end, match.start()) \
                    and not amount_between(money.end, match.start()):
                distance = match.start() - money.end
            else:
                continue
            candidates.append((distance, order, limit_id))
    if candidates:
        nearest = min(candidates)
        # Of one law's limits named close to the amount, the rule file lists the narrower first
        # ("sociala tjänster inom försörjningssektorerna": LUF's social-services threshold, not LUF's own).
        close = [c for c in candidates if c[0] <= _CLOSE and registry.limit(c[2]).law == registry.limit(nearest[2]).law]
        chosen = min(close, key=lambda c: c[1]) if close else nearest
        best = (chosen[0], chosen[2])
    if best is not None:
        named_laws = {registry.limit(limit_id).law for limit_id, words in scopes
                      if not _whole_sentence(words) and words.search(text)}
        # A scope written right at the amount ("högst en miljon kronor enligt LUF") holds whatever else is named.
        return best[1] if best[0] <= _AT_THE_AMOUNT or named_laws <= {registry.limit(best[1]).law} else None
    # Several amounts and none has a scope of its own: the sentence's own scope, not one another amount took.
    ordered = sorted(scopes, key=lambda scope: not _whole_sentence(scope[1])) if len(amounts) > 1 else scopes
    default = options.default_limit if kind is None or registry.limit(options.default_limit).scope == kind else None
    return next((limit_id for limit_id, words in ordered if words.search(own if _whole_sentence(words) else text)), default)


# Characters between an amount and a scope word: "… kronor enligt LUF" is at the amount (a few words),
# "… för sociala tjänster inom försörjningssektorerna …" close to it (a phrase).
_AT_THE_AMOUNT = 15
_CLOSE = 60
_THRESHOLD = re.compile(r"tröskelvärde", re.IGNORECASE)
_DIRECT = re.compile(r"direktupphandl|direkttilldel|\bdirekt\b|direktköp", re.IGNORECASE)


def _names_a_registered_amount(registry: Registry, text: str) -> bool:
    """Whether the sentence gives, to the krona, an amount that is or was a limit
    ("Gränsen är 586 907 kr" needs no other word to be about the direct-award limit)."""
    return any(limit.close_to(money.kronor, 0.002, money.euro) for money in money_in(text)
               if not money.approximate for limit in registry.limits)


def _since(amount: Amount) -> str:
    return amount.period.start.isoformat() if amount.period.start else "tidigare"


def _judge(registry: Registry, limit: Limit, value: float, tolerance: float, historical: bool,
           period: tuple[date, date] | None, today: date, strong: bool, euro: bool = False) -> str | None:
    """Why the claim is wrong, in Swedish, or None when it is right (or cannot be judged).
    `value` is in kronor, or in euro when `euro`; each is compared with the registry's own."""
    close = limit.close_to(value, tolerance, euro)
    if historical:
        if period is None:
            return None     # history without a time: nothing to compare with
        first, last = period
        if any(a.period.overlaps(first, last) for a in close):
            # A span of years the amount held only in part ("586 907 kr gällde under åren 2018–2021").
            whole = [a for a in close if a.period.overlaps(first, last)
                     and (a.period.start is None or a.period.start <= first) and (a.period.end is None or a.period.end >= last)]
            if whole or last.year - first.year < 1 or first.year <= 1900 or last >= today:
                return None     # held throughout, one year, or a period open at one end ("fram till 2022")
            held = next(a for a in close if a.period.overlaps(first, last))
            return f"stämmer bara för en del av tiden: {held.shown()} gällde {held.period.describe()}."
        then = [a for a in limit.amounts if a.period.overlaps(first, last) and a.value(euro) is not None]
        if not then or not (close or strong):
            return None
        return (f"stämmer inte för den tid texten anger: då var {limit.name} "
                + " och ".join(f"{a.shown()} ({a.period.describe()})" for a in then) + ".")
    current = limit.at(today)
    if current is None:
        return None
    in_euro = current.value(True)
    if not euro and in_euro is not None and abs(value - in_euro) <= tolerance * in_euro:
        # "tröskelvärdet är 5 404 000 kronor": the euro figure written as kronor
        return f"anger beloppet i kronor, men {limit.name} är {in_euro:,.0f} euro.".replace(",", "\u00a0")
    known = current.value(euro)
    if known is not None and abs(value - known) <= tolerance * known:
        return None
    now = (f"Sedan {_since(current)} är {limit.name} {current.shown()}." if current.amount is not None else
           f"Sedan {_since(current)} är {limit.name} {current.shown()}; beloppet i kronor har inte bekräftats.")
    stale = [a for a in close if a != current]
    if stale:
        return f"är en gammal gräns: {stale[0].shown()} gällde {stale[0].period.describe()}. {now}"
    for other in registry.limits:
        if other.id == limit.id:
            continue
        matches = other.close_to(value, tolerance, euro)
        if matches:
            return f"är {other.name} ({matches[0].period.describe()}), inte {limit.name}. {now}"
    if known is None:
        return None         # today's value is unverified: only a stale or another limit's amount can be judged
    nearest = min((v for a in limit.amounts if (v := a.value(euro))), key=lambda amount: abs(amount - value))
    if not strong and abs(nearest - value) > 0.2 * nearest:
        return None         # far from any limit, and the limit is not named: the kommun's own amount
    return f"har aldrig varit {limit.name}. {now}"
