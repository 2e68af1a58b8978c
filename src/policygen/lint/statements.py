"""The draft as statements: every sentence with the concepts it asserts, in
whose voice, under which heading.

A reviewer does not tick a box because a word occurs. "Coompanion stödjer
sociala företag" is what Coompanion does, not the kommun's commitment; the
words of a quoted definition are a definition, not the kommun's purpose; "det
finns ingen samordningsgrupp" denies a structure. This module decides, for
each sentence, which concepts it really asserts and in whose voice, so the
coverage rules can judge statements instead of co-occurring words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygen.model import BulletList, Document, Heading, Paragraph, Span, Table
from policygen.nlp.concepts import Lexicon, concept_positions
from policygen.nlp.sentences import Sentence

# Whose statement a sentence is.
OWN = "egen"                 # the kommun or the document speaks
OTHER = "annan"              # what another body does or says
DEFINITION = "definition"    # inside a definition the document quotes or builds on
DESCRIPTION = "beskrivning"  # a term explained in passing ("Idéburna organisationer är …")
METADATA = "metadata"        # a field of the metadata block ("Fastställt av: Kommunfullmäktige")

_CLAUSE_BREAKS = {",", ";", ":", "–", "—", "men", "utan", "medan", "fast"}
_COPULAS = {"är", "innebär", "kännetecknas", "betyder", "utgörs", "består", "definieras", "avser"}
# After "är", an explanation goes on with a noun phrase ("är en del av", "är ofta föreningar"),
# not with a judgement ("är bra", "är viktiga").
_EXPLANATION_STARTS = {"en", "ett", "det", "ofta", "oftast", "vanligen", "vanligtvis", "företag", "organisationer",
                       "föreningar", "verksamheter", "sådana", "alla", "de", "i", "till"}
HEADING_PREFIX = "rubrik:"   # concepts of the section heading, as rules can ask for them ("rubrik:syfte_ord")
_OWN_MARKERS = {"kommunen", "kommunens", "vi", "vår", "våra", "vårt", "regionen", "regionens", "policyn",
                "riktlinjerna", "planen", "handlingsplanen", "verksamhetsplanen"}
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_QUOTES = re.compile(r"[”\"“„«»]([^”\"“„«»]{1,300})[”\"“„«»]")
_DEFINITION_INTRO_END = (":",)


@dataclass(frozen=True)
class Statement:
    span: Span
    voice: str
    concepts: frozenset[str]     # asserted here or by its context (heading, list lead-in, table header)
    negated: frozenset[str]      # occur here only in a negated clause
    block: int                   # the paragraph, list item or table row it belongs to
    kind: str                    # stycke | punkt | tabell | metadata
    context: frozenset[str] = frozenset()   # the part of `concepts` lent by a heading, lead-in or table header

    @property
    def own_concepts(self) -> frozenset[str]:
        return self.concepts - self.context

    @property
    def text(self) -> str:
        return self.span.text


@dataclass(frozen=True)
class _Parsed:
    asserted: frozenset[str]
    negated: frozenset[str]
    first: dict[str, int]        # concept → token index of its first asserted occurrence


def parse_sentence(sentence: Sentence, lexicon: Lexicon) -> _Parsed:
    """The concepts a sentence asserts and those it only denies.

    Words inside quotation marks are a title or a quotation, not the draft's
    own statement. A concept is denied when a negation stands before it in the
    same clause ("vilket inte ska förväxlas med en upphandling"), or right
    after it ("någon samordning finns inte")."""
    quoted = _quoted_tokens(sentence)
    positions = concept_positions(lexicon, sentence.words, sentence.lemmas)
    clause_of = _clauses(sentence.words)
    not_negating = {i for start, end in positions.get("inte_negation", []) for i in range(start, end)}
    negations = [i for start, _ in positions.get("negation", []) for i in [start] if i not in not_negating]
    asserted: set[str] = set()
    denied: set[str] = set()
    first: dict[str, int] = {}
    for name, spans in positions.items():
        if name in ("negation", "inte_negation"):
            continue
        for start, end in spans:
            if start in quoted:
                continue
            clause = clause_of[start]
            is_denied = any(clause_of[n] == clause and (n < start or 0 < n - (end - 1) <= 2) for n in negations)
            if is_denied:
                denied.add(name)
            else:
                asserted.add(name)
                first[name] = min(first.get(name, start), start)
    if _YEAR.search(sentence.text):
        asserted.add("@årtal")
    explained = _explains_a_term(sentence, positions.get("definitionsterm", []))
    if explained:
        asserted.add("@definierar" if explained == "strong" else "@förklaring")
    if _explains_a_term(sentence, positions.get("iop", [])):
        asserted.add("@iop_förklaring")
    if any(start <= 1 for start, _ in positions.get("socialt_foretag", [])):
        asserted.add("@ämnet_först")
    return _Parsed(frozenset(asserted), frozenset(denied - asserted), first)


def _quoted_tokens(sentence: Sentence) -> set[int]:
    if not sentence.offsets:
        return set()
    ranges = [(m.start() + sentence.start, m.end() + sentence.start) for m in _QUOTES.finditer(sentence.text)]
    return {i for i, offset in enumerate(sentence.offsets) if any(a <= offset < b for a, b in ranges)}


def _clauses(words: tuple[str, ...]) -> list[int]:
    clause, out = 0, []
    for word in words:
        if word in _CLAUSE_BREAKS:
            clause += 1
        out.append(clause)
    return out


def _explains_a_term(sentence: Sentence, spans: list[tuple[int, int]]) -> str | None:
    """"Idéburen sektor avser …" (strong: a definition), "Idéburna organisationer
    är ofta …" (weak: an explanation in passing): a term at the start of the
    sentence, then a verb that explains it."""
    words = sentence.words
    for start, end in spans:
        if start > 1:
            # Further in: only a term followed at once by a defining verb ("… BAKGRUND Den
            # sociala ekonomin utgörs av …" where a copy lost the break after a heading).
            if any(words[index] in _COPULAS and words[index] != "är" for index in range(end, min(end + 2, len(words)))):
                return "strong"
            continue
        for index in range(end, min(end + 5, len(words))):
            word = words[index]
            if word in _COPULAS:
                if word != "är":
                    return "strong"
                following = words[index + 1] if index + 1 < len(words) else ""
                return "weak" if following in _EXPLANATION_STARTS else None
            if word == "har" and words[index + 1:index + 2] == ("som",) and \
                    words[index + 2:index + 3] in (("mål",), ("syfte",), ("ändamål",), ("uppgift",)):
                return "strong"   # "Ett arbetsintegrerande socialt företag har som mål att …"
    return None


class StatementBuilder:
    """Walks a document's blocks and turns its sentences into statements."""

    def __init__(self, lexicon: Lexicon, own_names: frozenset[str]) -> None:
        self.lexicon = lexicon
        self.own_names = own_names | _OWN_MARKERS

    def build(self, document: Document, parsed: dict[int, list[Sentence]]) -> list[Statement]:
        """`parsed` maps id(text holder) → its sentences (headings, paragraphs,
        list items and lead-ins, table rows as joined text)."""
        statements: list[Statement] = []
        heading_concepts: frozenset[str] = frozenset()
        section_voice = OWN
        block = 0
        for item in document.blocks:
            if isinstance(item, Heading):
                if item.level == 0:
                    continue  # the title names the document; it is not a statement
                sentences = parsed.get(id(item), [])
                asserted = frozenset().union(*(parse_sentence(s, self.lexicon).asserted for s in sentences))
                # A heading lends its subject to the text under it ("Uppföljning" + "Kommunstyrelsen gör
                # detta varje år"), but not its computed features.
                asserted = frozenset(c for c in asserted if not c.startswith("@"))
                heading_concepts = asserted | {HEADING_PREFIX + c for c in asserted}
                section_voice = OTHER if self._starts_with_other(sentences) else OWN
                continue
            if isinstance(item, Paragraph):
                block += 1
                statements += self._sentences(item, parsed, heading_concepts, section_voice, None, block, "stycke")
            elif isinstance(item, BulletList):
                intro_concepts: frozenset[str] = frozenset()
                intro_voice = None
                if item.intro is not None:
                    block += 1
                    intro_statements = self._sentences(item.intro, parsed, heading_concepts, section_voice, None,
                                                       block, "stycke")
                    statements += intro_statements
                    intro_text = item.intro.text.strip()
                    if intro_statements:
                        intro_concepts = intro_statements[-1].concepts - heading_concepts
                        if intro_text.endswith(_DEFINITION_INTRO_END) and "definitionsuttryck" in intro_concepts:
                            intro_voice = DEFINITION
                        elif intro_statements[-1].voice == OTHER:
                            intro_voice = OTHER
                for entry in item.items:
                    block += 1
                    statements += self._sentences(entry, parsed, heading_concepts | intro_concepts, section_voice,
                                                  intro_voice, block, "punkt")
            elif isinstance(item, Table):
                statements += self._table(item, parsed, heading_concepts, section_voice, block)
                block += len(item.rows) + 1
        return statements

    def _sentences(self, paragraph: Paragraph, parsed, context: frozenset[str], section_voice: str,
                   forced_voice: str | None, block: int, kind: str) -> list[Statement]:
        out = []
        follows_definition = False
        for sentence in parsed.get(id(paragraph), []):
            result = parse_sentence(sentence, self.lexicon)
            voice = forced_voice or self._voice(sentence, result, section_voice)
            if follows_definition and voice == OWN and forced_voice is None:
                voice = DEFINITION
            # "… från följande definition:" introduces a definition in the next sentences of the paragraph.
            follows_definition = sentence.text.rstrip().endswith(":") and "definitionsuttryck" in result.asserted
            span = Span(sentence.text, paragraph.location, sentence.start, sentence.end)
            out.append(Statement(span, voice, result.asserted | context, result.negated, block, kind,
                                 context - result.asserted))
        return out

    def _table(self, table: Table, parsed, context: frozenset[str], section_voice: str,
               block: int) -> list[Statement]:
        out = []
        if table.kind == "metadata":
            for number, (row, sentences) in enumerate(zip(table.rows, parsed.get(id(table), []))):
                text = ": ".join(cell for cell in row if cell)
                concepts = frozenset().union(*(parse_sentence(s, self.lexicon).asserted for s in sentences))
                out.append(Statement(Span(text, table.location, 0, len(text)), METADATA, concepts | {"@uppgift"},
                                     frozenset(),
                                     block + number, "metadata"))
            return out
        rows = parsed.get(id(table), [])
        header = frozenset().union(*(parse_sentence(s, self.lexicon).asserted for s in rows[0])) if rows else frozenset()
        # The header row is the heading of every row under it.
        header = frozenset(c for c in header if not c.startswith("@"))
        header = header | {HEADING_PREFIX + c for c in header}
        for number, (row, sentences) in enumerate(zip(table.rows, rows[1:]), start=1):
            text = " – ".join(cell for cell in row if cell)
            asserted: set[str] = set()
            denied: set[str] = set()
            for sentence in sentences:
                result = parse_sentence(sentence, self.lexicon)
                asserted |= result.asserted
                denied |= result.negated
            out.append(Statement(Span(text, table.location, 0, len(text)), section_voice,
                                 frozenset(asserted) | header | context, frozenset(denied - asserted),
                                 block + number, "tabell", (header | context) - frozenset(asserted)))
        return out

    def _voice(self, sentence: Sentence, result: _Parsed, section_voice: str) -> str:
        opening = sentence.words[:3]
        own_first = next((i for i, w in enumerate(opening) if w in self.own_names), None)
        other_first = result.first.get("annan_aktor")
        if other_first is not None and other_first <= 3 and (own_first is None or own_first > other_first):
            return OTHER
        if section_voice == OTHER and own_first is None:
            return OTHER
        explains = {"@förklaring", "@definierar", "@iop_förklaring"} & result.asserted
        if explains and "definitionsuttryck" not in result.asserted:
            return DESCRIPTION
        return OWN

    def _starts_with_other(self, sentences: list[Sentence]) -> bool:
        if not sentences:
            return False
        first = sentences[0]
        result = parse_sentence(first, self.lexicon)
        position = result.first.get("annan_aktor")
        return position == 0 and not any(w in self.own_names for w in first.words)


def table_texts(table: Table) -> list[str]:
    """The texts of a table that are parsed into sentences: the header row, then each row."""
    if table.kind == "metadata":
        return [": ".join(cell for cell in row if cell) for row in table.rows]
    return [" – ".join(cell for cell in row if cell) for row in (table.header, *table.rows)]
