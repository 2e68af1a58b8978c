"""Judging one coverage id: present, partial or missing, with the sentences
that show it and, for partial, which of the rubric's specifics is missing."""

from __future__ import annotations

from dataclasses import dataclass, replace

from policygen.lint.coverage.rules import CoverageRule
from policygen.lint.statements import METADATA, OWN, Statement
from policygen.model import Span

MAX_EVIDENCE = 3


@dataclass(frozen=True)
class Coverage:
    status: str                      # present | partial | missing
    evidence: tuple[Span, ...]
    reason: str                      # Swedish, says what is missing when partial
    name: str = ""                   # the part's Swedish name, as reports show it


@dataclass(frozen=True)
class _Candidate:
    statement: Statement
    status: str
    found: tuple[str, ...]           # names of the specifics found
    reason: str


def judge(rule: CoverageRule, statements: list[Statement], on_topic: bool, titled: bool = True) -> Coverage:
    """`titled`: the title names what kind of document it is ("Policy för …",
    "Bidragsbestämmelser …"); a purpose can then be read from it."""
    return replace(_judge(rule, statements, on_topic, titled), name=rule.name)


def _judge(rule: CoverageRule, statements: list[Statement], on_topic: bool, titled: bool = True) -> Coverage:
    if not on_topic and not rule.document_property:
        return Coverage("missing", (), "Utkastet handlar inte om sociala företag, så delen räknas inte.")
    by_block: dict[int, frozenset[str]] = {}
    if rule.paragraph_scope:
        for statement in statements:
            by_block[statement.block] = by_block.get(statement.block, frozenset()) | statement.concepts
    candidates = [c for s in statements if (c := _candidate(rule, s, by_block)) is not None]
    # A sentence that makes the statement on its own is better evidence than one
    # that leans on its heading; then see evidence_rank; otherwise the draft's order decides.
    present = sorted((c for c in candidates if c.status == "present"),
                     key=lambda c: (not any(a.test.holds(c.statement.own_concepts) and not a.at_most_partial
                                            for a in rule.anchors), *evidence_rank(c.statement, c.found)))
    if present:
        return Coverage("present", tuple(c.statement.span for c in present[:MAX_EVIDENCE]), present[0].reason)
    if candidates:
        # The most specific partial statement explains best what is still missing.
        best = min(candidates, key=lambda c: (-len(c.found), c.statement.voice == METADATA,
                                              *evidence_rank(c.statement, c.found)))
        others = [c for c in candidates if c is not best]
        return Coverage("partial", tuple(c.statement.span for c in [best, *others][:MAX_EVIDENCE]), best.reason)
    # On topic, the subject itself hints at a purpose; off topic, only a title that names the document does.
    if rule.partial_if_on_topic and (on_topic or titled):
        return Coverage("partial", (), rule.partial_if_on_topic)
    return Coverage("missing", (), rule.message)


# What a reader takes as proof, best first: a sentence of running text, a list item,
# a metadata field, a table row (an activity table's "Ansvar" cell is not where the
# draft states who is responsible when a sentence says it).
_SHOWN_FIRST = {"stycke": 0, "punkt": 1, "metadata": 2, "tabell": 3}


def evidence_rank(statement: Statement, found: tuple[str, ...]) -> tuple[int, int]:
    """Which of two statements that show the same verdict is shown as its proof:
    running text before list items and table rows, then the one naming more of
    the part's specifics. Orders evidence only; it never changes a verdict."""
    return _SHOWN_FIRST.get(statement.kind, 1), -len(found)


def _candidate(rule: CoverageRule, statement: Statement, by_block: dict[int, frozenset[str]]) -> _Candidate | None:
    if statement.voice == METADATA:
        if rule.metadata == "nej":
            return None
    elif statement.voice not in rule.voices | rule.partial_voices:
        return None
    concepts = statement.concepts
    denial = False
    anchor = next((a for a in rule.anchors if a.test.holds(concepts)), None)
    if rule.denial_counts and statement.negated:
        # "Kommunen ingår inte IOP", "ger inte bidrag": the part's subject, denied.
        denied = next((a for a in rule.anchors if a.test.holds(concepts | statement.negated)
                       and any(group & statement.negated for group in a.test.groups)), None)
        if denied is not None:
            anchor, denial = denied, True
    if anchor is None:
        return None
    scope = by_block.get(statement.block, concepts) | concepts
    found = tuple(s.name for s in rule.specifics if s.test.holds(scope))
    if denial and statement.voice == OWN:
        # An explicit "kommunen ger inte bidrag" is a position the reader can act on.
        return _Candidate(statement, "present", found, f"Uppfyllt: utkastet säger uttryckligen vad kommunen inte gör ({rule.name.lower()}).")
    if not _meets(rule.present_when, rule.present_at_least, found):
        if rule.partial_when and not any(all(n in found for n in alt) for alt in rule.partial_when):
            return None
        return _Candidate(statement, "partial", found, _missing_reason(rule, found))
    if statement.voice in rule.partial_voices:
        return _Candidate(statement, "partial", found,
                          f"{rule.name} beskrivs bara allmänt, inte som kommunens eget ställningstagande.")
    if anchor.at_most_partial:
        return _Candidate(statement, "partial", found,
                          anchor.reason or f"{rule.name} nämns bara i förbigående.")
    if statement.voice == METADATA and rule.metadata != "finns":
        return _Candidate(statement, "partial", found,
                          f"{rule.name} framgår bara av dokumentets uppgifter (”{statement.text}”), "
                          "inte av texten om hur arbetet ska gå till.")
    named = [s.text for s in rule.specifics if s.name in found]
    return _Candidate(statement, "present", found,
                      "Uppfyllt: " + (", ".join(named) if named else rule.name.lower()) + ".")


def _meets(alternatives: tuple[tuple[str, ...], ...], at_least: int | None, found: tuple[str, ...]) -> bool:
    if at_least is not None:
        return len(found) >= at_least
    return any(all(name in found for name in alternative) for alternative in alternatives)


def _missing_reason(rule: CoverageRule, found: tuple[str, ...]) -> str:
    texts = {s.name: s.text for s in rule.specifics}
    if rule.present_at_least is not None:
        missing = [texts[s.name] for s in rule.specifics if s.name not in found]
        needed = rule.present_at_least - len(found)
        which = " eller ".join(missing)
        more = "" if needed <= 1 else f" (minst {needed} av dem)"
        return f"{rule.name} nämns, men det står inte {which}{more}."
    closest = min(rule.present_when, key=lambda alt: sum(n not in found for n in alt))
    missing = [texts[n] for n in closest if n not in found]
    return f"{rule.name} nämns, men det står inte {' eller '.join(missing)}."
