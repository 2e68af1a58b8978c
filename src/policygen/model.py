"""The one document model shared by the generator (assemble → render) and the
linter (read → lint): metadata plus ordered blocks, each with a stable location."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    section: str | None      # text of the nearest heading above, None before the first
    paragraph: int           # 0-based index among the document's paragraphs
    page: int | None = None  # known for PDF input only
    anchor: int | None = None  # DOCX input: index of the source <w:p> in body order, for comments
    line: int | None = None    # text input: 1-based line where the block starts
    footnote: str | None = None  # id of the footnote the text is in; None for the body


@dataclass(frozen=True)
class Span:
    """A stretch of a document's text: the evidence of a coverage verdict or a finding.

    `start` and `end` are character offsets into the text of the block at
    `location` (a paragraph, list item, table row or footnote)."""
    text: str
    location: Location
    start: int
    end: int


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class FootnoteRef:
    footnote_id: str


Inline = Text | FootnoteRef


@dataclass(frozen=True)
class Footnote:
    id: str
    text: str
    url: str | None = None


@dataclass(frozen=True)
class Heading:
    level: int               # 0 = document title, 1–3 = Heading 1–3
    text: str
    location: Location


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Inline, ...]
    location: Location

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs if isinstance(run, Text))

    @property
    def footnote_ids(self) -> tuple[str, ...]:
        return tuple(run.footnote_id for run in self.runs if isinstance(run, FootnoteRef))


@dataclass(frozen=True)
class BulletList:
    items: tuple[Paragraph, ...]
    location: Location
    intro: Paragraph | None = None   # lead-in such as "Ljungby kommun ska:"


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    location: Location
    kind: str = "table"     # "metadata", "activities" or plain "table"


Block = Heading | Paragraph | BulletList | Table


@dataclass(frozen=True)
class MetadataField:
    label: str
    value: str


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    footnotes: dict[str, Footnote] = field(default_factory=dict)
    metadata: tuple[MetadataField, ...] = ()
    doc_type: str | None = None
    kommun: str | None = None        # official name, e.g. "Markaryds kommun"
    # A kommun a read draft's file properties name as author or organisation; weaker than
    # the page header or the title, as a draft may be saved on someone else's computer.
    kommun_in_properties: str | None = None
    subject: str | None = None
    keywords: tuple[str, ...] = ()
    author: str | None = None
    source: str | None = None        # file the document was read from
    # Generated with open TODOs or unfilled starter values (generate --utkast):
    # renderers mark it "UTKAST" in the header and the core properties.
    draft: bool = False

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def tables(self, kind: str | None = None) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table) and (kind is None or b.kind == kind)]

    def text_units(self) -> Iterator[tuple[str, Location]]:
        """Every piece of running text with its location, in reading order."""
        for block in self.blocks:
            if isinstance(block, Heading):
                yield block.text, block.location
            elif isinstance(block, Paragraph):
                yield block.text, block.location
            elif isinstance(block, BulletList):
                if block.intro is not None:
                    yield block.intro.text, block.intro.location
                for item in block.items:
                    yield item.text, item.location
            elif isinstance(block, Table):
                for row in (block.header, *block.rows):
                    yield " – ".join(cell for cell in row if cell), block.location

    def metadata_value(self, label: str) -> str | None:
        for item in self.metadata:
            if item.label == label:
                return item.value
        return None


class DocumentBuilder:
    """Appends blocks and hands out locations, so readers and the assembler
    number paragraphs and sections the same way."""

    def __init__(self, title: str, **document_fields) -> None:
        self.document = Document(title=title, **document_fields)
        self._paragraph = 0
        self._section: str | None = None
        self.page: int | None = None
        self.line: int | None = None

    def _next_location(self, anchor: int | None = None) -> Location:
        location = Location(self._section, self._paragraph, self.page, anchor, self.line)
        self._paragraph += 1
        return location

    def heading(self, text: str, level: int, anchor: int | None = None) -> Heading:
        block = Heading(level, text, Location(text if level > 0 else None, self._paragraph, self.page, anchor,
                                              self.line))
        self._paragraph += 1
        if level > 0:
            self._section = text
        self.document.blocks.append(block)
        return block

    def make_paragraph(self, runs: tuple[Inline, ...] | str, anchor: int | None = None) -> Paragraph:
        if isinstance(runs, str):
            runs = (Text(runs),)
        return Paragraph(tuple(runs), self._next_location(anchor))

    def paragraph(self, runs: tuple[Inline, ...] | str, anchor: int | None = None) -> Paragraph:
        block = self.make_paragraph(runs, anchor)
        self.document.blocks.append(block)
        return block

    def bullet_list(self, items: Sequence[tuple[Inline, ...] | str],
                    intro: tuple[Inline, ...] | str | None = None,
                    anchors: Sequence[int | None] | None = None) -> BulletList:
        intro_paragraph = self.make_paragraph(intro) if intro is not None else None
        item_anchors: Sequence[int | None] = anchors or [None] * len(items)
        location = Location(self._section, self._paragraph, self.page, item_anchors[0] if item_anchors else None,
                            self.line)
        first_line, paragraphs = self.line, []
        for item, anchor in zip(items, item_anchors):
            paragraphs.append(self.make_paragraph(item, anchor))
            if self.line is not None:
                self.line += 1  # one list item per line in text input
        self.line = first_line
        block = BulletList(tuple(paragraphs), location, intro_paragraph)
        self.document.blocks.append(block)
        return block

    def table(self, header: list[str], rows: list[list[str]], kind: str = "table",
              anchor: int | None = None) -> Table:
        block = Table(tuple(header), tuple(tuple(r) for r in rows), self._next_location(anchor), kind)
        self.document.blocks.append(block)
        return block

    def footnote(self, footnote: Footnote) -> FootnoteRef:
        self.document.footnotes.setdefault(footnote.id, footnote)
        return FootnoteRef(footnote.id)
