"""What a revision of a draft changes, decided once for every format: which
findings become replacements, which parts of the policy get a clause from
the library and where, and the comment that explains each change. The DOCX
writer (revision_docx) and the text writer (revision_text) only carry it out.

A replacement is made only where the finding has one safe replacement: a
klarspråk word with its plain form, a fact with its correction. A
placeholder or another kommun's name is never guessed at; those findings
stay comments. A missing or partial part of the policy gets the clause the
report already suggests, written with the kommun's name and the profile's
values, or with a visible placeholder such as [ansvarig nämnd] for each
value the draft cannot supply."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policygen.errors import UserError
from policygen.facts.registry import load_registry
from policygen.generate.assemble import clause_preview
from policygen.generate.clauses import Clause, load_library
from policygen.lint.catalog import RuleInfo, rule_catalog
from policygen.lint.results import Finding, LintResult
from policygen.model import BulletList, Document, Heading, Paragraph
from policygen.profile.load import Profile

# Fact findings that need a person's judgement: a placeholder has no value to
# guess, and another kommun's name may be a quotation or a copying error.
NEVER_REPLACED = frozenset({"platshållare", "annan_kommun"})
# The order in which a reader of a Swedish policy expects its parts: purpose
# and terms first, responsibility and coordination, support and procurement,
# then plan and follow-up. A new part goes before the first part of the
# draft that comes later in this order.
READING_ORDER = ("syfte", "definition", "styrdokument", "politisk-placering", "ansvarig-funktion",
                 "intern-samordning", "extern-samverkan", "vagar-till-stod", "upphandling", "iop",
                 "handlingsplan", "uppfoljning")
KOMMUN_PLACEHOLDER = "[kommunens namn]"
# Words for the profile values a clause needs, shown as the placeholder
# [ansvarig nämnd] when neither a profile nor the draft gives the value.
PLACEHOLDER_WORDS = {
    "ansvar.namnd": "ansvarig nämnd",
    "ansvar.forvaltning": "ansvarig förvaltning",
    "ansvar.enhet": "ansvarig enhet",
    "ansvar.roll": "kontaktperson för sociala företag",
    "intern_samordning.namn": "samordningsgruppens namn",
    "intern_samordning.sammankallande": "sammankallande för samordningsgruppen",
    "intern_samordning.deltagare": "förvaltningar som deltar",
    "intern_samordning.motesfrekvens": "hur ofta gruppen träffas",
    "extern_samverkan.forum": "samverkansforumets namn",
    "extern_samverkan.sammankallande": "sammankallande för forumet",
    "extern_samverkan.motesfrekvens": "hur ofta forumet träffas",
    "uppfoljning.ansvarig": "den som följer upp",
    "uppfoljning.frekvens": "hur ofta arbetet följs upp",
    "uppfoljning.rapporteras_till": "den som tar emot uppföljningen",
    "dokument.policy.beslutad_av": "beslutande organ",
    "dokument.riktlinje.beslutad_av": "beslutande organ",
    "dokument.handlingsplan.beslutad_av": "beslutande organ",
}
_BRACKETED = re.compile(r"\[[^\[\]]{2,60}\]")


@dataclass(frozen=True)
class Replacement:
    finding: Finding
    new_text: str
    comment: str


@dataclass(frozen=True)
class InsertedParagraph:
    pieces: tuple[tuple[str, bool], ...]   # (text, is a placeholder to fill in)
    kind: str = "body"                     # heading | body | bullet

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


@dataclass
class Insertion:
    """A clause inserted for one or more coverage findings."""
    findings: list[Finding]
    clause: Clause
    paragraphs: tuple[InsertedParagraph, ...]
    before: Heading | None            # the draft's heading it goes before; None: at the end
    under: Heading | None             # the section it extends (a partial part); None: a section of its own
    level: int
    comment: str = ""

    @property
    def placeholders(self) -> list[str]:
        return sorted({text for p in self.paragraphs for text, marked in p.pieces if marked})


@dataclass
class RevisionPlan:
    replacements: list[Replacement] = field(default_factory=list)
    insertions: list[Insertion] = field(default_factory=list)
    comments_only: list[Finding] = field(default_factory=list)   # findings left as comments


def plan_revision(result: LintResult, document: Document, profile: Profile | None = None,
                  catalog: list[RuleInfo] | None = None) -> RevisionPlan:
    """Decide every change for the draft read as `document` and linted as `result`."""
    rules = {rule.id: rule for rule in (catalog or rule_catalog())}
    plan = RevisionPlan()
    by_clause: dict[str, Insertion] = {}
    library = None
    for finding in result.findings:
        rule = rules.get(finding.rule)
        if _replaceable(finding, rule):
            new_text = finding.replacement or ""
            plan.replacements.append(Replacement(finding, new_text, _change_comment(finding, rule, new_text)))
            continue
        if finding.coverage_id and finding.suggestions and result.coverage.get(finding.coverage_id) is not None \
                and result.coverage[finding.coverage_id].status in ("missing", "partial"):
            library = library or load_library()
            insertion = _insertion(finding, result, document, profile, library, by_clause)
            if insertion is not None:
                if insertion not in plan.insertions:
                    plan.insertions.append(insertion)
                continue
        plan.comments_only.append(finding)
    order = {cid: index for index, cid in enumerate(READING_ORDER)}
    # Clauses that go to the same place follow the order a reader expects them in.
    # An addition to an existing section comes before new sections that go to the same place.
    plan.insertions.sort(key=lambda i: (i.under is None, min(order.get(f.coverage_id or "", 99) for f in i.findings)))
    for insertion in plan.insertions:
        insertion.comment = _insertion_comment(insertion, rules)
    return plan


def _replaceable(finding: Finding, rule: RuleInfo | None) -> bool:
    if rule is None or finding.category not in ("klarspråk", "fakta"):
        return False
    kind = (rule.kind or "").split(" – ")[0]
    return (bool(finding.replacement) and bool(finding.span.text) and kind not in NEVER_REPLACED
            and finding.replacement != finding.span.text and finding.span.location.footnote is None)


def _source_line(rule: RuleInfo | None) -> str:
    if rule is None:
        return ""
    return f"Källa: {rule.source}" + (f", kontrollerad {rule.as_of}" if rule.as_of else "") + "."


def _why(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _change_comment(finding: Finding, rule: RuleInfo | None, new_text: str) -> str:
    name = f" {rule.name}" if rule is not None else ""
    return "\n".join(line for line in (
        f"Ändrat av policygen ({finding.rule}{name}): ”{finding.span.text}” → ”{new_text}”.",
        f"Varför: {_why(finding.why)}",
        _fact_source_line(finding.fact) or _source_line(rule)) if line)


def _fact_source_line(fact_id: str | None) -> str:
    """A fact finding's own sources and check date, from the registry entry it rests on."""
    if not fact_id:
        return ""
    fact = next((f for f in load_registry().facts() if f.id == fact_id), None)
    if fact is None:
        return ""
    return f"Källa: {fact.source_names()}, kontrollerad {fact.checked.isoformat()} (faktaregistret: {fact.id})."


def _insertion_comment(insertion: Insertion, rules: dict[str, RuleInfo]) -> str:
    clause = insertion.clause
    parts = "; ".join(f"{f.rule} {f.message}" for f in insertion.findings)
    lines = [f"Infogat av policygen: klausulen ”{clause.title}” ({clause.id}) ur policygens bibliotek. {parts}",
             f"Varför: {_why(insertion.findings[0].why)}"]
    sources = [_source_line(rules.get(f.rule)) for f in insertion.findings]
    lines += list(dict.fromkeys(s for s in sources if s))
    if clause.sources:
        lines.append("Klausulens källor: " + "; ".join(f"{s.text} (kontrollerad {s.as_of})" for s in clause.sources))
    if insertion.placeholders:
        lines.append("Fyll i de gulmarkerade platshållarna " + ", ".join(insertion.placeholders)
                     + " innan du godkänner ändringen.")
    return "\n".join(lines)


# -- clauses for missing and partial parts ---------------------------------------


def _insertion(finding: Finding, result: LintResult, document: Document, profile: Profile | None,
               library: Any, by_clause: dict[str, Insertion]) -> Insertion | None:
    for suggestion in finding.suggestions:
        if suggestion.id in by_clause:  # one clause can close two parts (responsibility and placement)
            by_clause[suggestion.id].findings.append(finding)
            return by_clause[suggestion.id]
        try:
            clause = library.get(suggestion.id)
            paragraphs = clause_paragraphs(clause, result, profile)
        except UserError:
            continue  # the clause needs a value that cannot be written as a placeholder; try the next
        under = _section_of(finding, result, document)
        before, level = (None, under.level) if under is not None else _place(finding, result, document)
        insertion = Insertion([finding], clause, paragraphs, before, under, level)
        by_clause[suggestion.id] = insertion
        return insertion
    return None


def clause_paragraphs(clause: Clause, result: LintResult, profile: Profile | None) -> tuple[InsertedParagraph, ...]:
    """The clause as the generator would write it for this kommun: its title,
    then its paragraphs and list items (footnote marks left out; the sources
    are in the comment)."""
    filled = _filled_profile(clause, result, profile)
    rendered = clause_preview(filled, clause, result.doc_type if result.doc_type in clause.doc_types
                              else clause.doc_types[0])
    placeholders = _placeholder_values(filled, clause)
    paragraphs = [InsertedParagraph(_pieces(rendered.title, placeholders), "heading")]
    blocks = list(rendered.blocks)
    if clause.commitment and blocks and isinstance(blocks[-1], BulletList) and blocks[-1].intro is None:
        blocks.pop()  # the short commitment belongs in the list of what the kommun ska do, not here
    for block in blocks:
        if isinstance(block, Paragraph) and block.text.strip():
            paragraphs.append(InsertedParagraph(_pieces(block.text.strip(), placeholders)))
        elif isinstance(block, BulletList):
            if block.intro is not None and block.intro.text.strip():
                intro = block.intro.text.strip()
                intro += "" if intro.endswith((":", ".")) else ":"
                paragraphs.append(InsertedParagraph(_pieces(intro, placeholders)))
            paragraphs += [InsertedParagraph(_pieces(item.text.strip(), placeholders), "bullet")
                           for item in block.items if item.text.strip()]
    if len(paragraphs) < 2:
        raise UserError(f"klausulen '{clause.id}' har ingen text utan profilens värden")
    return tuple(paragraphs)


def _filled_profile(clause: Clause, result: LintResult, profile: Profile | None) -> Profile:
    """The profile's values, with a placeholder for every value the clause
    needs and the profile (or the draft) does not give."""
    if profile is not None:
        data = copy.deepcopy(profile.data)
        source = profile.source
    else:
        name = result.kommun or KOMMUN_PLACEHOLDER
        short = name.removesuffix(" kommun").removesuffix(" stad") if result.kommun else KOMMUN_PLACEHOLDER
        data = {"stil": "markaryd", "kommun": {"namn": short, "officiellt_namn": name}}
        source = Path(result.file)
    for needed in clause.needs:
        node = data
        parts = needed.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {}) if isinstance(node.get(part, {}), dict) else {}
        if node.get(parts[-1]) in (None, "", []):
            word = f"[{PLACEHOLDER_WORDS.get(needed, parts[-1].replace('_', ' '))}]"
            node[parts[-1]] = [word] if needed.endswith("deltagare") else word
    return Profile(data, source)


def _placeholder_values(profile: Profile, clause: Clause) -> set[str]:
    values = {KOMMUN_PLACEHOLDER}
    for needed in clause.needs:
        value = profile.get(needed)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and _BRACKETED.fullmatch(item):
                values.add(item)
    return values


def _pieces(text: str, placeholders: set[str]) -> tuple[tuple[str, bool], ...]:
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _BRACKETED.finditer(text):
        if match.group(0) not in placeholders:
            continue
        if match.start() > position:
            pieces.append((text[position:match.start()], False))
        pieces.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], False))
    return tuple(pieces)


# -- where a clause goes ------------------------------------------------------------


def _headings(document: Document) -> list[Heading]:
    return [h for h in document.headings() if h.level >= 1]


def _section_of(finding: Finding, result: LintResult, document: Document) -> Heading | None:
    """For a partial part: the section that already holds its evidence."""
    coverage = result.coverage.get(finding.coverage_id or "")
    if coverage is None or coverage.status != "partial" or not coverage.evidence:
        return None
    section = coverage.evidence[0].location.section
    return next((h for h in _headings(document) if h.text == section), None)


def _place(finding: Finding, result: LintResult, document: Document) -> tuple[Heading | None, int]:
    """For a missing part: before the first section of the draft that a reader
    expects after it, at that section's level; else at the end of the draft."""
    headings = _headings(document)
    rank = {cid: index for index, cid in enumerate(READING_ORDER)}
    own = rank.get(finding.coverage_id or "", len(READING_ORDER))
    section_rank: dict[str, int] = {}
    for cid, coverage in result.coverage.items():
        if coverage.status == "missing" or cid not in rank:
            continue
        for span in coverage.evidence:
            if span.location.section is not None:
                section_rank[span.location.section] = min(section_rank.get(span.location.section, 99), rank[cid])
    top = min((h.level for h in headings), default=1)
    for heading in headings:
        if heading.level == top and section_rank.get(heading.text, -1) > own:
            return heading, heading.level
    return None, top
