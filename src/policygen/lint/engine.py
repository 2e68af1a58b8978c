"""Coverage of the twelve ids with evidence, and findings from the rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from policygen.errors import UserError
from policygen.generate.clauses import ClauseLibrary, load_library
from policygen.lint.config import LintConfig
from policygen.lint.coverage.judge import Coverage, judge
from policygen.lint.coverage.rules import (
    OFF_TOPIC_MESSAGE,
    OFF_TOPIC_RULE,
    OFF_TOPIC_WHY,
    SEVERITIES,
    load_rules,
)
from policygen.lint.doctype import detect_doc_type
from policygen.lint.ownership import own_kommun
from policygen.lint.results import ClauseSuggestion, Finding, LintResult, cap_findings
from policygen.lint.statements import (
    Statement,
    StatementBuilder,
    parse_sentence,
    table_texts,
)
from policygen.lint.text.checks import DraftFacts, TextUnit, run_text_rules
from policygen.lint.text.rule import TextRule
from policygen.lint.text.rules import load_text_rules
from policygen.model import (
    BulletList,
    Document,
    Heading,
    Location,
    Paragraph,
    Span,
    Table,
)
from policygen.nlp.concepts import Lexicon, load_lexicon
from policygen.nlp.sentences import sentences_of
from policygen.read.draft import find_drafts
from policygen.vocabulary import COVERAGE_IDS, DOC_TYPES

# -- analysis -------------------------------------------------------------------

@dataclass
class _Analysis:
    document: Document
    parsed: dict[int, list]                    # id(text holder) → its sentences
    title_concepts: frozenset[str]
    units: list[TextUnit]                      # every piece of text, for the text rules
    statements: list[Statement] = field(default_factory=list)


_Holder = Heading | Paragraph | Table


def _text_holders(document: Document) -> list[tuple[_Holder, list[str], str]]:
    """Everything that is parsed into sentences, in reading order: (holder, its texts, unit kind)."""
    holders: list[tuple[_Holder, list[str], str]] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            holders.append((block, [block.text], "rubrik"))
        elif isinstance(block, Paragraph):
            holders.append((block, [block.text], "stycke"))
        elif isinstance(block, BulletList):
            if block.intro:
                holders.append((block.intro, [block.intro.text], "stycke"))
            holders += [(item, [item.text], "punkt") for item in block.items]
        elif isinstance(block, Table):
            holders.append((block, table_texts(block), "metadata" if block.kind == "metadata" else "tabell"))
    return holders


def _analyse(documents: list[Document], lexicon: Lexicon) -> list[_Analysis]:
    plans = [(document, _text_holders(document)) for document in documents]
    parsed_all = iter(sentences_of(text for _, holders in plans for _, texts, _ in holders for text in texts))
    analyses = []
    for document, holders in plans:
        parsed: dict[int, list] = {}
        units: list[TextUnit] = []
        for holder, texts, kind in holders:
            sentence_lists = [next(parsed_all) for _ in texts]
            if isinstance(holder, Table):
                parsed[id(holder)] = sentence_lists
                units += [TextUnit(text, holder.location, kind, tuple(sentences))
                          for text, sentences in zip(texts, sentence_lists) if text]
            else:
                parsed[id(holder)] = sentence_lists[0]
                units.append(TextUnit(texts[0], holder.location, kind, tuple(sentence_lists[0])))
        title = next((b for b in document.blocks if isinstance(b, Heading) and b.level == 0), None)
        title_concepts = frozenset().union(*(parse_sentence(s, lexicon).asserted
                                             for s in parsed.get(id(title), []))) if title else frozenset()
        if not title and document.title:
            title_concepts = frozenset().union(*(parse_sentence(s, lexicon).asserted
                                                 for s in sentences_of([document.title])[0]))
        units.sort(key=lambda u: u.location.paragraph)
        after = max((u.location.paragraph for u in units), default=0) + 1
        for number, (key, note) in enumerate(document.footnotes.items()):
            units.append(TextUnit(note.text, Location(None, after + number, footnote=key), "fotnot"))
        analyses.append(_Analysis(document, parsed, title_concepts, units))
    return analyses


def is_on_topic(analysis: _Analysis, min_mentions: int = 2) -> bool:
    """Does the draft take up social enterprises, the social economy, the
    idéburen sektor or IOP – in these words or as its genre?

    A graded decision from the whole text, not one keyword: the subject in the
    title, or named more than once; or named once in a text that also works with
    civil-society partners or social demands in procurement; or, without the
    words, the genres that are about these partners: collaboration with
    civil-society organisations on getting people into work, and social
    considerations in procurement aimed at people far from the labour market.
    A procurement policy that names social enterprises in one aside, a grants
    regime for associations or a business programme stays off topic."""
    if "ämnesord" in analysis.title_concepts:
        return True

    def count(*concepts: str) -> int:
        return sum(1 for s in analysis.statements if all(c in s.concepts | s.negated for c in concepts))

    core = count("ämnesord")
    if core >= min_mentions:
        return True
    partners, social_demands = count("civilsamhalle"), count("social_upphandling")
    partners_for_work, demands_for_work = count("civilsamhalle", "arbetsinkludering"), \
        count("social_upphandling", "arbetsinkludering")
    inclusion = count("arbetsinkludering")
    if core >= 1 and (partners >= 2 or social_demands >= 1 or partners_for_work >= 1):
        return True
    if partners_for_work >= 1 and partners >= 3:
        return True
    return social_demands >= 2 and (demands_for_work >= 1 or inclusion >= 2)


def _titled(analysis: _Analysis) -> bool:
    """Whether the title names the kind of document ("Policy för …", "Riktlinjer för …", "Bidragsbestämmelser")."""
    return bool(analysis.title_concepts & {"styrdokument_ord", "sjalvreferens"}) or any(
        word in analysis.document.title.lower() for word in ("bestämmelser", "regler", "föreskrifter"))


def judge_coverage(documents: list[Document], kommun: str | None = None,
                   min_mentions: int = 2) -> list[tuple[bool, dict[str, Coverage]]]:
    """Coverage of the twelve parts only, without the text rules: (on topic, coverage) per document."""
    lexicon, rules = load_lexicon(), load_rules()
    out = []
    for document, analysis in zip(documents, _analyse(documents, lexicon)):
        _, on_topic = _judge_statements(document, analysis, lexicon, kommun, min_mentions)
        titled = _titled(analysis)
        out.append((on_topic, {rule.coverage_id: judge(rule, analysis.statements, on_topic, titled) for rule in rules}))
    return out


def _judge_statements(document: Document, analysis: _Analysis, lexicon: Lexicon, kommun: str | None,
                      min_mentions: int = 2):
    """The draft's own kommun, its statements (set on the analysis) and whether it is on topic."""
    own = _own_kommun(document, analysis, kommun)
    analysis.statements = StatementBuilder(lexicon, _own_names(own[0])).build(document, analysis.parsed)
    return own, is_on_topic(analysis, min_mentions)


def _lower(severity: str) -> str:
    return SEVERITIES[min(SEVERITIES.index(severity) + 1, len(SEVERITIES) - 1)]


def _suggestions(library: ClauseLibrary, coverage_id: str, doc_type: str) -> tuple[ClauseSuggestion, ...]:
    clauses = library.covering(coverage_id)
    fitting = [c for c in clauses if doc_type in c.doc_types] or clauses
    return tuple(ClauseSuggestion(c.id, c.title) for c in fitting)


_NOWHERE = Span("", Location(None, 0), 0, 0)


def lint_documents(documents: list[Document], doc_type: str | None = None,
                   library: ClauseLibrary | None = None, config: LintConfig | None = None,
                   kommun: str | None = None, text_rules: tuple[TextRule, ...] | None = None) -> list[LintResult]:
    """Lint drafts already read. `text_rules` replaces the bundled klarspråk and
    fact rules (an expert testing an edited rule file)."""
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise UserError(f"okänd dokumenttyp: '{doc_type}'", hint="välj policy, riktlinje eller handlingsplan")
    lexicon = load_lexicon()
    rules = load_rules()
    text_rules = load_text_rules() if text_rules is None else text_rules
    library = library or load_library()
    config = config or LintConfig()
    results = []
    for document, analysis in zip(documents, _analyse(documents, lexicon)):
        kind = doc_type or document.doc_type or detect_doc_type(document)
        source = "given" if doc_type else "detected"
        (own, own_source), on_topic = _judge_statements(document, analysis, lexicon, kommun)
        coverage: dict[str, Coverage] = {}
        findings: list[Finding] = []
        paragraph_text = {u.location: u.text for u in analysis.units}
        if not on_topic and config.is_active(OFF_TOPIC_RULE, "täckning"):
            where = Span("", analysis.units[0].location, 0, 0) if analysis.units else _NOWHERE
            findings.append(Finding(OFF_TOPIC_RULE, None, config.severity(OFF_TOPIC_RULE, "täckning", "error"),
                                    OFF_TOPIC_MESSAGE, OFF_TOPIC_WHY, where))
        for rule in rules:
            result = judge(rule, analysis.statements, on_topic, _titled(analysis))
            coverage[rule.coverage_id] = result
            if not on_topic and not rule.document_property:
                continue  # one finding says the draft is about something else; its own adoption and purpose still count
            if result.status == "present" or not config.is_active(rule.id, "täckning"):
                continue
            severity = rule.severity[kind] if result.status == "missing" else _lower(rule.severity[kind])
            span = result.evidence[0] if result.evidence else _NOWHERE
            message = rule.message if result.status == "missing" else f"Bara delvis: {result.reason}"
            findings.append(Finding(
                rule.id, rule.coverage_id, config.severity(rule.id, "täckning", severity), message,
                f"{rule.why} (Källa: {rule.source}.)", span, _suggestions(library, rule.coverage_id, kind),
                context=paragraph_text.get(span.location, span.text) if span.text else ""))
        facts = DraftFacts(kind, own, _title_location(analysis), config.limits)
        active = [r for r in text_rules if config.is_active(r.id, r.category)]
        for hit in run_text_rules(active, analysis.units, facts):
            text_rule = hit.rule
            checked = f", kontrollerad {text_rule.as_of}" if text_rule.as_of else ""
            findings.append(Finding(
                text_rule.id, None, config.severity(text_rule.id, text_rule.category, hit.severity), hit.message,
                f"{text_rule.why} (Källa: {text_rule.source}{checked}.)", hit.span, (), text_rule.category,
                hit.replacement, hit.context, hit.fact))
        kept = [f for f in findings if not config.is_accepted(f.rule, f.span.text)]
        kept.sort(key=lambda f: (f.span.location.paragraph, f.span.start, f.rule))
        shown, omitted = cap_findings(kept, config.max_findings_per_rule, config.max_findings)
        results.append(LintResult(document.source or "", kind, source, document.title,
                                  {cid: coverage[cid] for cid in COVERAGE_IDS}, shown,
                                  own.officiellt_namn if own else None, own_source,
                                  len(findings) - len(kept), on_topic, omitted))
    return results


def _own_names(own) -> frozenset[str]:
    """The words by which a draft names its own kommun ("ljungby", "ljungbys")."""
    if own is None:
        return frozenset()
    words = own.namn.lower().split()
    return frozenset(words) | {f"{word}s" for word in words}


def _title_location(analysis: _Analysis) -> Location:
    return next((u.location for u in analysis.units if u.kind == "rubrik"), Location(None, 0))


def _own_kommun(document: Document, analysis: _Analysis, given: str | None):
    if not given and document.kommun:
        return own_kommun("", [], [], document.kommun)[0], "sidhuvudet"
    opening = [u.text for u in analysis.units[:3] if u.kind != "fotnot"]
    texts = [u.text for u in analysis.units if u.kind != "fotnot"]
    own = own_kommun(document.title or "", opening, texts, given)
    if own[0] is None and document.kommun_in_properties:
        return own_kommun("", [], [], document.kommun_in_properties)[0], "dokumentegenskaperna"
    return own


def lint_document(document: Document, doc_type: str | None = None, config: LintConfig | None = None,
                  kommun: str | None = None) -> LintResult:
    return lint_documents([document], doc_type, config=config, kommun=kommun)[0]


def draft_files(paths: Iterable[Path]) -> list[Path]:
    return find_drafts(paths)[0]
