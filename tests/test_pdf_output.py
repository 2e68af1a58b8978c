"""`generate --format pdf`: a tagged PDF/UA file made by LibreOffice, checked
in its structure tree the way a screen reader and a PDF/UA checker read it."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLES, run_cli
from policygen.generate.assemble import assemble
from policygen.profile.load import load_profile

STEMS = ["markaryd-policy-och-riktlinjer", "markaryd-handlingsplan", "ljungby-policy", "ljungby-verksamhetsplan"]
PROFILE_OF = {"markaryd-policy-och-riktlinjer": ("markaryd", "policy"),
              "markaryd-handlingsplan": ("markaryd", "handlingsplan"),
              "ljungby-policy": ("ljungby", "policy"), "ljungby-verksamhetsplan": ("ljungby", "verksamhetsplan")}


@pytest.fixture(params=[v + s for v in ("", "mall/") for s in STEMS])
def every_pdf(request, published) -> tuple[str, Path]:
    return request.param.removeprefix("mall/"), published[request.param]


def model_of(stem: str):
    profile, key = PROFILE_OF[stem]
    return assemble(load_profile(EXAMPLES / f"{profile}.yaml"), key)


def structure(reader: PdfReader) -> list[tuple[str, object]]:
    """Every structure element in reading order, as (role, element); roles
    that LibreOffice maps (RoleMap) are given as their standard role."""
    tree = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    role_map = {str(k): str(v) for k, v in (tree.get("/RoleMap") or {}).items()}
    elements: list[tuple[str, object]] = []

    def walk(node) -> None:
        node = node.get_object()
        if not hasattr(node, "get"):
            return
        if "/S" in node:
            role = str(node["/S"])
            elements.append((role_map.get(role, role), node))
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object"):
                walk(kid)
            elif hasattr(kid, "get"):
                walk(kid)

    walk(tree)
    return elements


def texts(reader: PdfReader) -> tuple[list[str], list[str]]:
    """Text shown inside artifacts (header, footer) and outside, over all pages."""
    artifact, content = [], []
    for page in reader.pages:
        stack: list[str] = []

        def before(operator, operands, cm, tm, stack=stack):
            if operator in (b"BDC", b"BMC"):
                stack.append(str(operands[0]))
            elif operator == b"EMC" and stack:
                stack.pop()

        def shown(text, cm, tm, font, size, stack=stack):
            if text.strip():
                (artifact if "/Artifact" in stack else content).append(text.strip())

        page.extract_text(visitor_operand_before=before, visitor_text=shown)
    return artifact, content


def test_pdf_is_tagged_swedish_pdf_ua_with_its_title_shown(every_pdf):
    stem, path = every_pdf
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "sv-SE"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == model_of(stem).title
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>|pdfuaid:part=\"1\"", xmp)


def test_headings_are_h1_and_h2_in_the_documents_order(every_pdf):
    stem, path = every_pdf
    roles = [role for role, _ in structure(PdfReader(path)) if re.fullmatch(r"/H\d", role)]
    expected = [f"/H{h.level}" for h in model_of(stem).headings() if h.level > 0]
    assert roles == expected


def test_tables_have_th_header_cells_lists_and_footnotes_are_tagged(every_pdf):
    stem, path = every_pdf
    model = model_of(stem)
    roles = Counter(role for role, _ in structure(PdfReader(path)))
    tables = model.tables()
    header_cells = 2 + sum(len(t.header) for t in tables)  # the metadata table's "Uppgift", "Värde"
    assert roles["/Table"] == 1 + len(tables)
    assert roles["/TH"] == header_cells
    items = sum(len(b.items) for b in model.blocks if type(b).__name__ == "BulletList")
    assert roles["/L"] >= 1 and roles["/LI"] == items
    # A footnote that continues on the next page is tagged as a second Note there.
    notes = len({ref for b in model.blocks for ref in _footnote_refs(b)})
    assert notes <= roles["/Note"] <= notes + 2


def _footnote_refs(block):
    paragraphs = []
    if hasattr(block, "runs"):
        paragraphs = [block]
    elif hasattr(block, "items"):
        paragraphs = ([block.intro] if block.intro else []) + list(block.items)
    return [ref for p in paragraphs for ref in p.footnote_ids]


def test_activity_table_header_cells_are_th(published):
    reader = PdfReader(published["markaryd-handlingsplan"])
    elements = structure(reader)
    table_starts = [i for i, (role, _) in enumerate(elements) if role == "/Table"]
    # The PDF's tables are the metadata table, then the model's tables in order.
    tables = model_of("markaryd-handlingsplan").tables()
    number = next(i for i, t in enumerate(tables) if "Aktivitet" in t.header)
    activity = elements[table_starts[1 + number]:]
    first_row = next(i for i, (role, _) in enumerate(activity) if role == "/TR")
    second_row = next(i for i, (role, _) in enumerate(activity) if role == "/TR" and i > first_row)
    assert [role for role, _ in activity[first_row + 1:second_row]] .count("/TH") == 4


def test_header_and_footer_are_artifacts_body_is_not(every_pdf):
    stem, path = every_pdf
    model = model_of(stem)
    artifact, content = texts(PdfReader(path))
    artifact_text, content_text = " ".join(artifact), " ".join(content)
    assert f"{model.kommun} – {model.title}" in artifact_text
    assert "Sida" in artifact_text and "Sida" not in content_text
    assert f"Dnr {model.metadata_value('Diarienummer')}" in artifact_text
    first_heading = next(h.text for h in model.headings() if h.level == 1)
    assert first_heading in content_text


def test_table_of_contents_shows_the_page_each_heading_is_on(published):
    reader = PdfReader(published["markaryd-policy-och-riktlinjer"])
    first_page = reader.pages[0].extract_text()
    entries = dict(re.findall(r"^(Riktlinjer för främjande av socialt entreprenörskap|Uppföljning)\.*\s*(\d+)\s*$",
                              first_page, re.MULTILINE))
    assert set(entries) == {"Riktlinjer för främjande av socialt entreprenörskap", "Uppföljning"}
    for heading, page in entries.items():
        on_page = reader.pages[int(page) - 1].extract_text()
        assert heading in on_page.splitlines()[2:], f"{heading} står inte på sidan {page}"


def test_parts_start_on_a_new_page_in_the_pdf(published):
    reader = PdfReader(published["markaryd-policy-och-riktlinjer"])
    for heading in ("Policy för främjande av socialt entreprenörskap",
                    "Riktlinjer för främjande av socialt entreprenörskap"):
        _, content = _page_texts(reader, heading)
        assert content[0] == heading


def _page_texts(reader: PdfReader, heading: str) -> tuple[int, list[str]]:
    for number, page in enumerate(reader.pages):
        _, content = texts(_single(page))
        if heading in content and number > 0:
            return number, content
    raise AssertionError(heading)


def _single(page):
    class One:
        pages = [page]
    return One()


def test_no_word_in_the_activity_table_is_split_between_lines(published):
    """Carlito has Calibri's metrics, so the column widths computed for Word hold in the PDF."""
    model = model_of("ljungby-verksamhetsplan")
    words = {word.strip(",.") for row in model.tables("activities")[0].rows for cell in row for word in cell.split()}
    _, content = texts(PdfReader(published["ljungby-verksamhetsplan"]))
    shown = set(" ".join(content).split())
    long_words = {w for w in words if len(w) >= 8}
    assert long_words and long_words <= {w.strip(",.") for w in shown}


def test_toc_page_numbers_are_also_written_into_the_docx(published):
    import docx

    path = published["markaryd-policy-och-riktlinjer"].with_suffix(".docx")
    entries = [p.text for p in docx.Document(str(path)).paragraphs if p.style.name.lower() == "toc 1"]
    assert entries and all(re.fullmatch(r".+\t\d+", entry) for entry in entries)


def test_estimated_length_matches_the_laid_out_pdf(published):
    from policygen.render.layout import estimated_pages, needs_table_of_contents

    for stem in STEMS:
        model = model_of(stem)
        pages = len(PdfReader(published[stem]).pages)
        estimate = estimated_pages(model, with_toc=needs_table_of_contents(model))
        # the last page is partly filled: the estimate lies within the last page, give or take one
        assert pages - 2 < estimate <= pages + 1, f"{stem}: uppskattat {estimate:.1f}, verkligt {pages}"


def test_pdf_without_libreoffice_is_a_clear_swedish_error_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYGEN_SOFFICE", "finns-inte-soffice")
    code, out, err = run_cli("generate", EXAMPLES / "ljungby.yaml", "--format", "docx,pdf", "-o", tmp_path)
    assert code == 2
    assert "LibreOffice" in err and "apt-get install libreoffice-writer" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_two_conversions_at_once_do_not_collide(published, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from policygen.render.pdf import docx_to_pdf

    source = published["ljungby-policy"].with_suffix(".docx").read_bytes()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(docx_to_pdf, [source, source]))
    for pdf in results:
        assert bool(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/MarkInfo"]["/Marked"])


@pytest.mark.parametrize("ci, outcome", [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_missing_libreoffice_fails_in_ci_and_skips_locally(monkeypatch, ci, outcome):
    from conftest import require_libreoffice

    monkeypatch.setenv("POLICYGEN_SOFFICE", "finns-inte-soffice")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="LibreOffice"):
        require_libreoffice()
