"""What a line of a draft is, beyond running text: a metadata field
("Fastställt av: Kommunfullmäktige"), a table-of-contents entry, or page
furniture such as "Sida 2 av 11". Shared by the text, PDF and DOCX readers so
every format reads a styrdokument's head the same way."""

from __future__ import annotations

import re

from policygen.model import DocumentBuilder, MetadataField

# Words that make a short "Etikett:" a field of the document's metadata block.
_LABEL_WORDS = (
    "antagen", "antaget", "antagna", "fastställd", "fastställt", "beslutad", "beslutat", "beslutsdatum",
    "beslutsinstans", "datum", "dnr", "diarienummer", "dokumentansvarig", "dokumenttyp", "dokumentnamn",
    "dokumentet gäller", "giltig", "giltighetstid", "gäller för", "gäller till", "gäller från", "gäller som",
    "revidering", "revideras", "reviderad", "uppföljning", "version", "senast ändrad", "ändrad",
    "handläggare", "paragraf", "ansvarig", "ansvarar", "upprättad", "upprättat", "ersätter",
    "postadress", "besöksadress", "telefon", "e-post", "webbplats", "organisationsnummer", "beslutsnivå",
    "målgrupp för dokumentet", "diarie", "kontaktperson",
)
_METADATA_LINE = re.compile(r"^(?P<label>[A-ZÅÄÖ§][^:]{0,60}?)\s*:\s*(?P<value>.*)$")
# "Fastställd av Kommunstyrelsen 2022-09-01." – an adoption line without a colon.
_DECIDED_BY = re.compile(r"^(?P<label>(Fastställd|Fastställt|Antagen|Antaget|Beslutad|Beslutat|Reviderad|Reviderat)"
                         r"\s+av)\s+(?P<value>[A-ZÅÄÖa-zåäö][\wåäöÅÄÖ\- ]{2,60}?(,?\s*\d{4}-\d{2}-\d{2})?"
                         r"(,?\s*§\s*\d+)?)\.?$")
_TOC_LINE = re.compile(r"(\.{3,}|…|\s\.\s\.\s\.)\s*\d{1,3}$")
_PAGE_FURNITURE = re.compile(r"^(\(\d{1,3}\)|sida\s+\d{1,3}(\s*(av|/)\s*\d{1,3})?|\d{1,3}\s*\(\d{1,3}\))$",
                             re.IGNORECASE)
# A label that ends with one of these continues on the next line
# ("För uppföljning och" / "tidplan för denna ansvarar: Kommunstyrelsen").
_OPEN_ENDINGS = (" och", " eller", " samt", " för", " av", " till", " om", " i", " med")


def metadata_field(line: str) -> tuple[str, str] | None:
    """("Fastställt av", "Kommunfullmäktige") for a metadata line, else None.

    The value may be empty: an empty "Dnr:" is itself worth reporting."""
    decided = _DECIDED_BY.match(line.strip())
    if decided:
        return decided.group("label"), decided.group("value").strip()
    match = _METADATA_LINE.match(line.strip())
    if not match:
        return None
    label = match.group("label").strip()
    if len(label.split()) > 8 or label.endswith((".", ",")):
        return None
    if not is_metadata_label(label):
        return None
    return label, match.group("value").strip()


def is_metadata_label(label: str) -> bool:
    lowered = label.lower().strip().rstrip(":")
    return lowered == "§" or any(word in lowered for word in _LABEL_WORDS)


_TOC_STYLE = re.compile(r"^(toc|contents|innehåll|innehållsförteckning|förteckning)(\s*(\d|heading|rubrik))?",
                        re.IGNORECASE)


def is_toc_style(style_name: str) -> bool:
    """Word's "toc 1", "TOC Heading", LibreOffice's "Contents 1": a generated table of contents."""
    return bool(_TOC_STYLE.match(style_name.strip()))


def metadata_rows(rows: list[list[str]]) -> list[tuple[str, str]] | None:
    """The (label, value) pairs of a metadata table, or None for any other table.

    A label and its value belong together whichever cell holds them: side by
    side (two columns, or label–value pairs across a wider row) or labels over
    their values in a two-row table. A header row "Uppgift | Värde" is dropped;
    most labels must be metadata labels ("Beslutad av", "Diarienummer" …)."""
    if not rows:
        return None
    if [cell.strip().lower() for cell in rows[0]] in (["uppgift", "värde"], ["uppgift", "uppgifter"]):
        rows = rows[1:]
    if not rows:
        return None
    pairs = _side_by_side(rows)
    if pairs is None and len(rows) == 2 and len(rows[0]) == len(rows[1]) >= 2 \
            and all(cell and is_metadata_label(cell) for cell in rows[0]) \
            and not any(is_metadata_label(cell) for cell in rows[1] if cell.endswith(":")):
        # Labels over their values: "Beslutad av | Datum" / "Kommunfullmäktige | 2024-03-18".
        pairs = list(zip(rows[0], rows[1]))
    return pairs


def _side_by_side(rows: list[list[str]]) -> list[tuple[str, str]] | None:
    """Label and value side by side, one pair or more a row ("Dnr: | KS 2024/77 | Datum: | …")."""
    if not all(len(row) % 2 == 0 for row in rows):
        return None
    pairs = [(row[i], row[i + 1]) for row in rows for i in range(0, len(row), 2) if row[i] or row[i + 1]]
    if any(len(row) > 2 for row in rows) and not all(is_metadata_label(label) for label, _ in pairs if label):
        return None  # a wide table is metadata only when every label is one
    labels = sum(1 for label, _ in pairs if is_metadata_label(label))
    return pairs if pairs and labels * 2 > len(pairs) else None


def is_toc_entry(line: str) -> bool:
    """"3.1 Definition av idéburen aktör ... 5": a table-of-contents line, not content."""
    return bool(_TOC_LINE.search(line.strip()))


def is_page_furniture(line: str) -> bool:
    """"(2)", "Sida 2 av 11": page markers that are not part of the text."""
    return bool(_PAGE_FURNITURE.match(line.strip()))


def continues_on_next_line(line: str) -> bool:
    """A line that stops mid-phrase, on "och" or "för", continues on the next line
    even when a blank line stands between them (text copied from a PDF)."""
    stripped = line.rstrip()
    return stripped.lower().endswith(_OPEN_ENDINGS) and len(stripped.split()) <= 8


def looks_like_metadata_run(text: str) -> bool:
    """A paragraph that is a flattened metadata block ("Dokumenttyp Plan För
    revidering ansvarar Kommunchef Diarienummer …"): several labels and hardly a sentence."""
    lowered = text.lower()
    labels = sum(1 for word in _LABEL_WORDS if word in lowered)
    sentences = len(re.findall(r"[.!?](\s|$)", text))
    return labels >= 3 and sentences <= 1


def table_kind(header: list[str]) -> str:
    """"activities" for an action plan's table (Aktivitet/Åtgärd in the header), else "table"."""
    joined = " ".join(header).lower()
    return "activities" if "aktivitet" in joined or "åtgärd" in joined else "table"


def add_table(builder: DocumentBuilder, rows: list[list[str]], anchor: int | None = None) -> None:
    """A table found in a draft, whatever the format: a metadata block (its
    fields become document facts), an activity table or a plain table."""
    fields = metadata_rows(rows)
    if fields is not None:
        add_metadata(builder, fields, anchor=anchor)
    else:
        builder.table(rows[0], rows[1:], kind=table_kind(rows[0]), anchor=anchor)


def add_metadata(builder: DocumentBuilder, fields: list[tuple[str, str]], facts: bool = True,
                 anchor: int | None = None) -> None:
    """Metadata fields become a metadata table (so findings can point at it) and,
    unless `facts` is off, the document's facts (Document.metadata)."""
    builder.table(["Uppgift", "Värde"], [list(field) for field in fields], kind="metadata", anchor=anchor)
    if facts:
        builder.document.metadata += tuple(MetadataField(label, value) for label, value in fields)
