"""Coverage of the twelve ids with evidence, and findings from the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from policygen.clauses import ClauseLibrary, load_library
from policygen.errors import UserError
from policygen.lint.concepts import Lexicon, load_lexicon, sentence_concepts
from policygen.lint.doctype import detect_doc_type
from policygen.lint.config import LintConfig
from policygen.lint.ownership import own_kommun
from policygen.lint.rules import SEVERITIES, CoverageRule, Evidence, load_rules
from policygen.lint.textchecks import DraftFacts, TextUnit, run_text_rules
from policygen.lint.textrules import load_text_rules
from policygen.model import BulletList, Document, Heading, Location, Paragraph, Table
from policygen.vocabulary import COVERAGE_IDS, DOC_TYPES

MAX_EVIDENCE = 3


@dataclass(frozen=True)
class Hit:
    text: str
    location: Location
    start: int
    end: int

    def to_json(self) -> dict:
        return {"text": self.text, "location": _location_json(self.location)}


@dataclass
class Coverage:
    status: str                      # present | partial | missing
    evidence: list[Hit]
    reason: str


@dataclass
class Finding:
    rule: str
    coverage_id: str | None          # None for klarspråk and fact rules
    severity: str
    message: str
    why: str
    location: Location
    start: int
    end: int
    evidence: str
    suggested_clauses: list[str]
    category: str = "täckning"
    replacement: str | None = None   # proposed text for the evidence, where there is one
    context: str = ""                # the whole paragraph the evidence is in

    def to_json(self) -> dict:
        return {"rule": self.rule, "category": self.category, "coverage_id": self.coverage_id,
                "severity": self.severity, "message": self.message, "why": self.why,
                "location": {**_location_json(self.location), "start": self.start, "end": self.end},
                "evidence": self.evidence, "replacement": self.replacement,
                "suggested_clauses": self.suggested_clauses}


@dataclass
class LintResult:
    file: str
    doc_type: str
    doc_type_source: str
    title: str
    coverage: dict[str, Coverage]
    findings: list[Finding] = field(default_factory=list)
    kommun: str | None = None        # official name of the draft's own kommun, if known
    kommun_source: str = "okänd"
    accepted: int = 0                # findings left out because the configuration accepts them

    def summary(self) -> dict[str, int]:
        statuses = [c.status for c in self.coverage.values()]
        return {"present": statuses.count("present"), "partial": statuses.count("partial"),
                "missing": statuses.count("missing"),
                "errors": sum(f.severity == "error" for f in self.findings),
                "warnings": sum(f.severity == "warning" for f in self.findings),
                "infos": sum(f.severity == "info" for f in self.findings)}

    def to_json(self) -> dict:
        return {
            "file": self.file, "doc_type": self.doc_type, "doc_type_source": self.doc_type_source,
            "kommun": self.kommun, "kommun_source": self.kommun_source,
            "coverage": {cid: {"status": c.status, "evidence": [h.to_json() for h in c.evidence],
                               "reason": c.reason} for cid, c in self.coverage.items()},
            "findings": [f.to_json() for f in self.findings],
            "summary": {**self.summary(), "accepted": self.accepted},
        }

    def at_or_above(self, severity: str) -> list[Finding]:
        limit = SEVERITIES.index(severity)
        return [f for f in self.findings if SEVERITIES.index(f.severity) <= limit]


def _location_json(location: Location) -> dict:
    return {"section": location.section, "paragraph": location.paragraph, "page": location.page}


# -- analysis -------------------------------------------------------------------

@dataclass
class _Sentence:
    text: str
    location: Location
    start: int
    end: int
    concepts: dict[str, bool]        # concept → has a non-negated occurrence


@dataclass
class _Analysis:
    paragraphs: list[list[_Sentence]]          # "stycke": a paragraph, list item or table row
    headings: list[tuple[Heading, dict[str, bool], bool]]   # heading, concepts, followed by text
    tables: list[tuple[Table, dict[str, bool]]]
    units: list[TextUnit]                      # every piece of text, for the text rules


def _analyse(documents: list[Document], lexicon: Lexicon) -> list[_Analysis]:
    from policygen.nlp import sentences_of

    plans = []
    texts: list[str] = []
    for document in documents:
        heading_texts: list[str] = []
        table_texts: list[str] = []
        pieces: list[tuple[str, Location, str]] = []   # running text: text, location, kind
        headings: list[tuple[Heading, int]] = []
        tables: list[tuple[Table, int]] = []
        blocks = document.blocks
        for index, block in enumerate(blocks):
            if isinstance(block, Heading):
                followed = index + 1 < len(blocks) and not isinstance(blocks[index + 1], Heading)
                headings.append((block, followed))
                heading_texts.append(block.text)
            elif isinstance(block, Paragraph):
                pieces.append((block.text, block.location, "stycke"))
            elif isinstance(block, BulletList):
                # Each item is its own "stycke": concepts spread over a list are not one statement.
                if block.intro:
                    pieces.append((block.intro.text, block.intro.location, "stycke"))
                pieces += [(p.text, p.location, "punkt") for p in block.items]
            elif isinstance(block, Table):
                tables.append(block)
                table_texts.append(" ".join(block.header))
                pieces += [(" – ".join(c for c in row if c), block.location, "tabell") for row in block.rows]
        # Parsed in one batch; consumed below in the same order: headings, tables, paragraphs.
        texts += heading_texts + table_texts + [text for text, _, _ in pieces]
        plans.append((headings, tables, pieces, document))

    parsed = iter(sentences_of(texts))
    analyses = []
    for headings, tables, pieces, document in plans:
        units: list[TextUnit] = []
        heading_info = []
        for heading, followed in headings:
            sentences = next(parsed)
            heading_info.append((heading, _concepts_of(sentences, lexicon), followed))
            units.append(TextUnit(heading.text, heading.location, "rubrik", tuple(sentences)))
        table_info = [(table, _concepts_of(next(parsed), lexicon)) for table in tables]
        paragraphs = []
        for text, location, kind in pieces:
            sentences = next(parsed)
            units.append(TextUnit(text, location, kind, tuple(sentences)))
            paragraphs.append([_Sentence(s.text, location, s.start, s.end,
                                         sentence_concepts(lexicon, s.words, s.lemmas)) for s in sentences])
        units.sort(key=lambda u: u.location.paragraph)
        after = max((u.location.paragraph for u in units), default=0) + 1
        for number, (key, note) in enumerate(document.footnotes.items()):
            units.append(TextUnit(note.text, Location(f"fotnot {key}", after + number), "fotnot"))
        analyses.append(_Analysis(paragraphs, heading_info, table_info, units))
    return analyses


def _concepts_of(sentences, lexicon: Lexicon) -> dict[str, bool]:
    found: dict[str, bool] = {}
    for sentence in sentences:
        for name, positive in sentence_concepts(lexicon, sentence.words, sentence.lemmas).items():
            found[name] = found.get(name, False) or positive
    return found


def _satisfies(concepts: dict[str, bool], group: frozenset[str]) -> bool:
    return any(concepts.get(name) for name in group)


def _find(evidence: Evidence, analysis: _Analysis) -> list[Hit]:
    hits: list[Hit] = []
    if evidence.scope == "mening":
        for paragraph in analysis.paragraphs:
            for s in paragraph:
                if all(_satisfies(s.concepts, g) for g in evidence.groups):
                    hits.append(Hit(s.text, s.location, s.start, s.end))
    elif evidence.scope == "stycke":
        for paragraph in analysis.paragraphs:
            chosen = []
            for group in evidence.groups:
                sentence = next((s for s in paragraph if _satisfies(s.concepts, group)), None)
                if sentence is None:
                    break
                if sentence not in chosen:
                    chosen.append(sentence)
            else:
                hits += [Hit(s.text, s.location, s.start, s.end) for s in chosen]
    elif evidence.scope == "rubrik":
        for heading, concepts, followed in analysis.headings:
            if followed and all(_satisfies(concepts, g) for g in evidence.groups):
                hits.append(Hit(heading.text, heading.location, 0, len(heading.text)))
    elif evidence.scope == "tabell":
        for table, concepts in analysis.tables:
            if all(_satisfies(concepts, g) for g in evidence.groups):
                text = " | ".join(table.header)
                hits.append(Hit(text, table.location, 0, len(text)))
    return hits


def _coverage(rule: CoverageRule, analysis: _Analysis) -> Coverage:
    for evidence in rule.present:
        hits = _find(evidence, analysis)
        if hits:
            return Coverage("present", hits[:MAX_EVIDENCE], f"uppfyllt: {_describe(evidence)}")
    for evidence in rule.partial:
        hits = _find(evidence, analysis)
        if hits:
            return Coverage("partial", hits[:MAX_EVIDENCE],
                            f"bara delvis: {_describe(evidence)}; {rule.message[0].lower()}{rule.message[1:]}")
    return Coverage("missing", [], rule.message)


def _describe(evidence: Evidence) -> str:
    scope = {"mening": "i samma mening", "stycke": "i samma stycke", "tabell": "i en tabells rubrikrad",
             "rubrik": "i en rubrik"}[evidence.scope]
    return " + ".join("/".join(sorted(g)) for g in evidence.groups) + f" {scope}"


def _lower(severity: str) -> str:
    return SEVERITIES[min(SEVERITIES.index(severity) + 1, len(SEVERITIES) - 1)]


def _suggestions(library: ClauseLibrary, coverage_id: str, doc_type: str) -> list[str]:
    clauses = library.covering(coverage_id)
    fitting = [c.id for c in clauses if doc_type in c.doc_types]
    return fitting or [c.id for c in clauses]


def lint_documents(documents: list[Document], doc_type: str | None = None,
                   library: ClauseLibrary | None = None, config: LintConfig | None = None,
                   kommun: str | None = None) -> list[LintResult]:
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise UserError(f"okänd dokumenttyp: '{doc_type}'", hint="välj policy, riktlinje eller handlingsplan")
    lexicon = load_lexicon()
    rules = load_rules()
    text_rules = load_text_rules()
    library = library or load_library()
    config = config or LintConfig()
    results = []
    for document, analysis in zip(documents, _analyse(documents, lexicon)):
        kind = doc_type or document.doc_type or detect_doc_type(document)
        source = "given" if doc_type else "detected"
        coverage: dict[str, Coverage] = {}
        findings: list[Finding] = []
        paragraph_text = {u.location: u.text for u in analysis.units}
        for rule in rules:
            result = _coverage(rule, analysis)
            coverage[rule.coverage_id] = result
            if result.status == "present" or not config.is_active(rule.id, "täckning"):
                continue
            severity = rule.severity[kind] if result.status == "missing" else _lower(rule.severity[kind])
            hit = result.evidence[0] if result.evidence else None
            message = rule.message if result.status == "missing" else f"Bara delvis: {rule.message}"
            findings.append(Finding(
                rule.id, rule.coverage_id, config.severity(rule.id, "täckning", severity), message,
                f"{rule.why} (Källa: {rule.source}.)",
                hit.location if hit else Location(None, 0), hit.start if hit else 0, hit.end if hit else 0,
                hit.text if hit else "", _suggestions(library, rule.coverage_id, kind),
                context=paragraph_text.get(hit.location, hit.text) if hit else ""))
        own, own_source = _own_kommun(document, analysis, kommun)
        facts = DraftFacts(kind, own, _title_location(analysis), config.limits)
        active = [r for r in text_rules if config.is_active(r.id, r.category)]
        for hit in run_text_rules(active, analysis.units, facts):
            rule = hit.rule
            checked = f", kontrollerad {rule.as_of}" if rule.as_of else ""
            findings.append(Finding(
                rule.id, None, config.severity(rule.id, rule.category, hit.severity), hit.message,
                f"{rule.why} (Källa: {rule.source}{checked}.)", hit.location, hit.start, hit.end,
                hit.evidence, [], rule.category, hit.replacement, hit.context))
        kept = [f for f in findings if not config.is_accepted(f.rule, f.evidence)]
        kept.sort(key=lambda f: (f.location.paragraph, f.start, f.rule))
        results.append(LintResult(document.source or "", kind, source, document.title,
                                  {cid: coverage[cid] for cid in COVERAGE_IDS}, kept,
                                  own.officiellt_namn if own else None, own_source,
                                  len(findings) - len(kept)))
    return results


def _title_location(analysis: _Analysis) -> Location:
    return next((u.location for u in analysis.units if u.kind == "rubrik"), Location(None, 0))


def _own_kommun(document: Document, analysis: _Analysis, given: str | None):
    if not given and document.kommun:
        return own_kommun("", [], [], document.kommun)[0], "sidhuvudet"
    opening = [u.text for u in analysis.units[:3] if u.kind != "fotnot"]
    texts = [u.text for u in analysis.units if u.kind != "fotnot"]
    return own_kommun(document.title or "", opening, texts, given)


def lint_document(document: Document, doc_type: str | None = None, config: LintConfig | None = None,
                  kommun: str | None = None) -> LintResult:
    return lint_documents([document], doc_type, config=config, kommun=kommun)[0]


def draft_files(paths: Iterable[Path]) -> list[Path]:
    from policygen.read import SUPPORTED

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                            and not p.name.startswith(("~$", ".")))
        else:
            files.append(path)
    return files


def lint_paths(paths: Iterable[Path], doc_type: str | None = None, config: LintConfig | None = None,
               kommun: str | None = None) -> list[LintResult]:
    from policygen.read import read_document

    documents = [read_document(path) for path in draft_files(paths)]
    return lint_documents(documents, doc_type, config=config, kommun=kommun)
