"""lint --revise (issue 23): the fixes as Word tracked changes.

Each kind of change is checked on Word-made structures for its XML shape and
that python-docx opens the copy; LibreOffice headless accepts all and
rejects all (a Basic macro running .uno:AcceptAllTrackedChanges and
.uno:RejectAllTrackedChanges): the accepted draft lints without the fixed
findings and no new ones, the rejected one equals the original, text and
formatting. A property test runs every draft the commented copy's property
test builds through the revision and undoes policygen's changes in Python."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from docx_factory import W_NS, para, r, style, tracked, write_docx
from libreoffice_revisions import apply, make_profile
from pdf_factory import write_pdf
from policygen.cli import main
from policygen.lint.run import lint_files
from policygen.profile.load import load_profile
from policygen.report.revision import revise_draft
from test_annotate_edges import CONSTRUCTS, PACKAGES, TITLE, _draft, blocks_strategy

W = f"{{{W_NS}}}"
ROOT = Path(__file__).resolve().parent.parent
STYLES = style("Title", "Title") + style("Heading1", "heading 1", outline=0)


def _document(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _comments(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/comments.xml"))
    return ["\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in c.iter(f"{W}p"))
            for c in root.iter(f"{W}comment")]


def _revise(draft: Path, target: Path, profile: Path | None = None):
    result = lint_files([draft]).results[0]
    revision = revise_draft(draft, result, target, load_profile(profile) if profile else None)
    docx.Document(str(target))  # Word's stand-in opens the copy
    return result, revision


def _shown(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t")
                   if not any(a.tag in (f"{W}del", f"{W}moveFrom") for a in t.iterancestors()))


# -- the XML of each kind of change -------------------------------------------------------------


def test_a_klarsprak_word_becomes_one_deletion_and_one_insertion_with_its_comment(tmp_path):
    body = (para(r(TITLE), style="Title")
            + para(r("Nämnden "), r("sk", "<w:b/>"), r("all följa upp arbetet varje år.")))
    draft = write_docx(tmp_path / "utkast.docx", body, styles=STYLES)
    _, revision = _revise(draft, tmp_path / "reviderad.docx")
    assert revision.changes >= 1
    document = _document(tmp_path / "reviderad.docx")
    deletion = next(d for d in document.iter(f"{W}del") if "".join(t.text for t in d.iter(f"{W}delText")) == "skall")
    # The word spanned two runs (bold inside): one deletion holds both, with their own properties kept.
    assert [run.find(f"{W}rPr") is not None for run in deletion] == [True, False]
    assert deletion.get(f"{W}author") == "policygen" and deletion.get(f"{W}date")
    insertion = deletion.getnext()
    assert insertion.tag == f"{W}ins" and "".join(t.text for t in insertion.iter(f"{W}t")) == "ska"
    assert insertion.find(f"{W}r/{W}rPr/{W}b") is not None  # the first deleted run's properties
    assert deletion.getparent().tag == f"{W}p" and insertion.getparent().tag == f"{W}p"  # siblings of runs
    paragraph = deletion.getparent()
    assert _shown(paragraph) == "Nämnden ska följa upp arbetet varje år."
    assert any("KS01" in c and "Varför:" in c and "Källa: Myndigheternas skrivregler" in c
               for c in _comments(tmp_path / "reviderad.docx"))


def test_a_fact_becomes_a_tracked_correction_and_a_placeholder_only_a_comment(tmp_path):
    body = (para(r(TITLE), style="Title")
            + para(r("Kommunen följer lag (2007:1091) om offentlig upphandling."))
            + para(r("Policyn antogs av kommunfullmäktige xxxx-xx-xx.")))
    draft = write_docx(tmp_path / "utkast.docx", body, styles=STYLES)
    _revise(draft, tmp_path / "reviderad.docx")
    paragraphs = list(_document(tmp_path / "reviderad.docx").iter(f"{W}p"))
    assert "följer lagen (2016:1145) om offentlig upphandling (LOU)." in _shown(paragraphs[1])
    assert "xxxx-xx-xx" in _shown(paragraphs[2])  # never guessed
    assert not list(paragraphs[2].iter(f"{W}del"))
    comments = _comments(tmp_path / "reviderad.docx")
    assert any(c.startswith("Ändrat av policygen (FA01") and "kontrollerad" in c for c in comments)


def test_a_missing_part_gets_the_library_clause_with_highlighted_placeholders(tmp_path):
    body = (para(r(TITLE), style="Title") + para(r("Syfte"), style="Heading1")
            + para(r("Kommunen vill att fler sociala företag växer och anställer."))
            + para(r("Upphandling"), style="Heading1")
            + para(r("Kommunen tar sociala hänsyn i upphandlingar enligt 4 kap. 3 § LOU.")))
    draft = write_docx(tmp_path / "utkast.docx", body, styles=STYLES)
    _, revision = _revise(draft, tmp_path / "reviderad.docx")
    assert revision.insertions >= 1
    document = _document(tmp_path / "reviderad.docx")
    inserted = [p for p in document.iter(f"{W}p") if p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]
    assert inserted
    for paragraph in inserted:
        assert paragraph.find(f"{W}pPr/{W}rPr/{W}ins").get(f"{W}author") == "policygen"
    texts = [_shown(p) for p in document.iter(f"{W}p")]
    assert "Ansvarsfördelning" in texts
    # A new section goes where a reader expects it: responsibility before procurement.
    assert texts.index("Ansvarsfördelning") < texts.index("Upphandling")
    highlighted = [run for run in document.iter(f"{W}r") if run.find(f"{W}rPr/{W}highlight") is not None]
    assert any("[ansvarig nämnd]" == "".join(t.text for t in run.iter(f"{W}t")) for run in highlighted)
    assert any("Infogat av policygen" in c and "[ansvarig nämnd]" in c for c in _comments(tmp_path / "reviderad.docx"))


def test_a_profile_fills_the_clause_in(tmp_path):
    body = para(r("Policy för samverkan med sociala företag i Ljungby kommun"), style="Title") + \
        para(r("Kommunen vill att fler sociala företag växer och anställer."))
    draft = write_docx(tmp_path / "utkast.docx", body, styles=STYLES)
    _revise(draft, tmp_path / "reviderad.docx", ROOT / "examples" / "ljungby.yaml")
    text = "\n".join(_shown(p) for p in _document(tmp_path / "reviderad.docx").iter(f"{W}p"))
    assert "Kommunstyrelsen" in text and "[ansvarig nämnd]" not in text


def test_ids_are_unique_across_the_package_and_the_drafts_own_revisions_are_kept(tmp_path):
    body = (para(r(TITLE), style="Title")
            + para('<w:bookmarkStart w:id="7" w:name="b"/>', tracked("ins", r("Infogat av handläggaren. "), 3),
                   r("Nämnden skall följa upp arbetet."), '<w:bookmarkEnd w:id="7"/>')
            + para(tracked("ins", r("Kommunen skall svara inom en vecka."), 5)))
    draft = write_docx(tmp_path / "utkast.docx", body, styles=STYLES)
    _revise(draft, tmp_path / "reviderad.docx")
    document = _document(tmp_path / "reviderad.docx")
    with zipfile.ZipFile(tmp_path / "reviderad.docx") as archive:
        comments = etree.fromstring(archive.read("word/comments.xml"))
    ids = [e.get(f"{W}id") for e in document.iter(f"{W}ins", f"{W}del", f"{W}bookmarkStart")]
    ids += [c.get(f"{W}id") for c in comments.iter(f"{W}comment")]
    assert len(ids) == len(set(ids))
    theirs = [e for e in document.iter(f"{W}ins") if e.get(f"{W}author") == "Handläggare"]
    assert [e.get(f"{W}id") for e in theirs] == ["3", "5"]
    # Text inside someone else's insertion is not retyped: it gets a comment instead.
    assert "Kommunen skall svara" in _shown(theirs[1].getparent())
    assert "Nämnden ska följa" in _shown(theirs[0].getparent())


def test_a_field_result_and_a_hyperlink(tmp_path):
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DOCPROPERTY A </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("Nämnden skall besluta.")
             + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    body = (para(r(TITLE), style="Title") + para(field)
            + para(f'<w:hyperlink w:anchor="a">{r("Stöd ges ej till alla.")}</w:hyperlink>'))
    draft = write_docx(tmp_path / "utkast.docx", body, styles=STYLES)
    _revise(draft, tmp_path / "reviderad.docx")
    paragraphs = list(_document(tmp_path / "reviderad.docx").iter(f"{W}p"))
    assert _shown(paragraphs[1]) == "Nämnden skall besluta."   # a field update would undo it
    link = paragraphs[2].find(f"{W}hyperlink")
    assert link.find(f"{W}del") is not None and _shown(paragraphs[2]) == "Stöd ges inte till alla."


# -- text drafts and PDF --------------------------------------------------------------------------


def test_a_markdown_draft_gets_a_revised_copy_and_a_readable_diff(tmp_path, capsys):
    draft = tmp_path / "utkast.md"
    draft.write_text(f"# {TITLE}\n\n## Syfte\n\nNämnden skall följa upp\narbetet i enlighet med planen.\n",
                     encoding="utf-8")
    code = main(["lint", str(draft), "--revise", str(tmp_path / "reviderad.md")])
    assert code in (0, 1)
    revised = (tmp_path / "reviderad.md").read_text(encoding="utf-8")
    assert "Nämnden ska följa upp\narbetet enligt planen." in revised
    diff = (tmp_path / "reviderad.md.diff").read_text(encoding="utf-8")
    assert "Rad 5: Ändrat av policygen (KS01" in diff and "-Nämnden skall följa upp" in diff
    assert draft.read_text(encoding="utf-8").count("skall") == 1  # the draft is never written


def test_a_pdf_cannot_be_revised(tmp_path, capsys):
    pdf = tmp_path / "utkast.pdf"
    write_pdf(pdf, [[TITLE, "Kommunen skall stödja sociala företag."]])
    code = main(["lint", str(pdf), "--revise", str(tmp_path / "reviderad.docx")])
    assert code == 2
    err = capsys.readouterr().err
    assert "kräver" in err or "Word-filen" in err
    assert "Traceback" not in err and not (tmp_path / "reviderad.docx").exists()


# -- LibreOffice accepts and rejects ---------------------------------------------------------------


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    return make_profile(tmp_path_factory.mktemp("libreoffice"))


def _looks(path: Path) -> list[tuple[str, str, list[tuple[str, bool, bool, bool]]]]:
    """Per paragraph: style, text and each character's bold, italic and underline."""
    out = []
    for paragraph in docx.Document(str(path)).paragraphs:
        chars = [(c, bool(run.bold), bool(run.italic), bool(run.underline)) for run in paragraph.runs
                 for c in run.text]
        out.append((paragraph.style.name, paragraph.text, chars))
    return out


def _word_draft(path: Path) -> Path:
    """A draft as Word writes it (python-docx's template): styles, a bold word inside a phrase, headings."""
    document = docx.Document()
    document.add_heading("Policy för samverkan med sociala företag i Ljungby kommun", 0)
    document.add_heading("Syfte", 1)
    paragraph = document.add_paragraph("Policyn ")
    paragraph.add_run("skall").bold = True
    paragraph.add_run(" ge stöd åt sociala företag och/eller föreningar. Stödet ges i ")
    paragraph.add_run("enlighet").italic = True
    paragraph.add_run(" med policyn. Ansökan erfordras ej.")
    document.add_paragraph("Kommunen ger råd till sociala företag.", style="List Bullet")
    document.add_paragraph("Kommunen hyr ut lokaler.", style="List Bullet")
    document.add_heading("Upphandling", 1)
    document.add_paragraph("Kommunen följer lag (2007:1091) om offentlig upphandling och kan reservera kontrakt.")
    document.add_paragraph("Förvaltningarna kan direktupphandla upp till 615 312 kronor.")
    document.save(str(path))
    return path


def test_libreoffice_accept_all_lints_clean_and_reject_all_gives_the_original(tmp_path, office):
    draft = _word_draft(tmp_path / "utkast.docx")
    before, revision = _revise(draft, tmp_path / "reviderad.docx", ROOT / "examples" / "ljungby.yaml")
    assert revision.changes >= 6 and revision.insertions >= 3
    accepted = apply(office, tmp_path / "reviderad.docx", tmp_path / "godkänd.docx", "AcceptAllTrackedChanges")
    rejected = apply(office, tmp_path / "reviderad.docx", tmp_path / "avvisad.docx", "RejectAllTrackedChanges")
    original = apply(office, draft, tmp_path / "original.docx", "")
    after = lint_files([accepted]).results[0]
    fixed = {(f.rule, f.span.text) for f in before.findings}
    remaining = {(f.rule, f.span.text) for f in after.findings}
    assert not remaining - fixed, "accept all brought new findings"
    assert not remaining, remaining
    assert _looks(rejected) == _looks(original)


def test_libreoffice_reject_all_without_a_profile(tmp_path, office):
    draft = _word_draft(tmp_path / "utkast.docx")
    before, _ = _revise(draft, tmp_path / "reviderad.docx")
    rejected = apply(office, tmp_path / "reviderad.docx", tmp_path / "avvisad.docx", "RejectAllTrackedChanges")
    accepted = apply(office, tmp_path / "reviderad.docx", tmp_path / "godkänd.docx", "AcceptAllTrackedChanges")
    assert _looks(rejected) == _looks(apply(office, draft, tmp_path / "original.docx", ""))
    after = lint_files([accepted]).results[0]
    replaced = {f.rule for f in before.findings if f.replacement}
    assert not replaced & {f.rule for f in after.findings if f.category == "klarspråk"}
    # What is new is only the placeholders the reviewer must fill in, and parts they leave open.
    new = {(f.rule, f.span.text) for f in after.findings} - {(f.rule, f.span.text) for f in before.findings}
    assert all(f.startswith("FA") and "[" in text or not f.startswith("FA") for f, text in new), new


# -- property: every draft the commented copy handles ------------------------------------------------


def _reject(root: etree._Element) -> etree._Element:
    """policygen's changes undone in Python: insertions out, deletions back to text, inserted
    paragraph marks joined with the paragraph after them, comment markers gone."""
    root = copy.deepcopy(root)
    for element in list(root.iter(f"{W}ins", f"{W}del")):
        if element.get(f"{W}author") != "policygen" or element.getparent() is None:
            continue
        parent = element.getparent()
        if parent.tag == f"{W}rPr":
            continue
        if element.tag == f"{W}ins":
            parent.remove(element)
        else:
            for text in element.iter(f"{W}delText"):
                text.tag = f"{W}t"
            for child in list(element):
                element.addprevious(child)
            parent.remove(element)
    for change in list(root.iter(f"{W}pPrChange")):
        if change.get(f"{W}author") != "policygen":
            continue
        properties = change.getparent()
        for child in list(properties):
            if child.tag not in (f"{W}rPr", f"{W}sectPr"):
                properties.remove(child)
        for index, child in enumerate(change.find(f"{W}pPr")):
            properties.insert(index, child)
    for paragraph in list(root.iter(f"{W}p")):
        mark = paragraph.find(f"{W}pPr/{W}rPr/{W}ins")
        while mark is not None and mark.get(f"{W}author") == "policygen":
            following = paragraph.getnext()
            own = paragraph.find(f"{W}pPr")
            paragraph.remove(own)
            if following is None or following.tag != f"{W}p":
                paragraph.getparent().remove(paragraph)
                break
            for child in list(following):
                paragraph.append(child)
            following.getparent().remove(following)
            properties = paragraph.find(f"{W}pPr")
            if properties is not None:
                paragraph.remove(properties)
                paragraph.insert(0, properties)
            mark = paragraph.find(f"{W}pPr/{W}rPr/{W}ins")
    return root


def _characters(root: etree._Element) -> list[list[tuple[str, bytes]]]:
    """Per paragraph: each character of its text with its run's properties, and the paragraph's."""
    out = []
    for paragraph in root.iter(f"{W}p"):
        properties = paragraph.find(f"{W}pPr")
        row: list[tuple[str, bytes]] = [("¶", etree.tostring(properties) if properties is not None
                                          and len(properties) else b"")]
        for text in paragraph.iter(f"{W}t", f"{W}delText"):
            run = text.getparent()
            rpr = run.find(f"{W}rPr") if run is not None else None
            row += [(c, etree.tostring(rpr) if rpr is not None else b"") for c in text.text or ""]
        out.append(row)
    return out


_REPEATED = "Kommunen skall erbjuda sociala företag rådgivning om upphandling."


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(title_construct=st.sampled_from(list(CONSTRUCTS)), blocks=blocks_strategy, package=st.sampled_from(PACKAGES))
# Found by hypothesis: the same paragraph four times, the last in a field (left as it is), and
# sections inserted after them.
@example(title_construct="vanligt stycke", blocks=[("vanligt stycke", _REPEATED)] * 3 + [("enkelt fält", _REPEATED)],
         package="vanligt")
def test_every_draft_can_be_revised_and_rejected_back(tmp_path_factory, title_construct, blocks, package):
    folder = tmp_path_factory.mktemp("revision")
    draft = _draft(folder, [(title_construct, TITLE), *blocks], package)
    result = lint_files([draft]).results[0]
    target = folder / "utkast-reviderad.docx"
    revise_draft(draft, result, target)
    docx.Document(str(target))
    original = _document(draft) if package != "Strict Open XML" else None
    revised = _document(target)
    if original is not None:
        assert _characters(_reject(revised)) == _characters(original)
    # Accepted, the text differs from the draft's only inside the evidence of findings: every
    # piece of text the revision deletes is (part of) what a finding quoted. (Read from the
    # tracked deletions themselves: a diff of the two texts can pair repeated paragraphs with
    # inserted sections and report text as removed that is still there.)
    evidence = " ".join(f.span.text for f in result.findings)
    for deletion in revised.iter(f"{W}del"):
        if deletion.get(f"{W}author") != "policygen" or deletion.getparent().tag == f"{W}rPr":
            continue
        removed = "".join(t.text or "" for t in deletion.iter(f"{W}delText"))
        assert removed.strip() in evidence, (removed, evidence)


def test_libreoffice_on_a_draft_with_links_controls_comments_and_its_own_revisions(tmp_path, office):
    """A draft with a hyperlink, a content control, a comment of its own and a tracked insertion by
    another author: Reject all gives what rejecting the draft's own changes gives, and Accept all
    lints without the fixed findings."""
    from docx_factory import rewrite_parts
    from test_annotate_edges import COMMENTS_REL, COMMENTS_TYPE, EARLIER_COMMENT

    body = (para(r(TITLE), style="Title") + para(r("Syfte"), style="Heading1")
            + para('<w:commentRangeStart w:id="0"/>', r("Policyn skall ge stöd åt "), r("sociala", "<w:i/>"),
                   r(" företag och/eller föreningar."), '<w:commentRangeEnd w:id="0"/>',
                   '<w:r><w:commentReference w:id="0"/></w:r>')
            + para(f'<w:hyperlink w:anchor="a">{r("Stöd ges ej till alla.")}</w:hyperlink>')
            + para('<w:sdt><w:sdtPr><w:alias w:val="Text"/></w:sdtPr><w:sdtContent>'
                   + r("Ansökan erfordras i enlighet med reglerna.") + "</w:sdtContent></w:sdt>")
            + para(r("Kommunen samverkar. "), tracked("ins", r("Handläggaren la till detta."), 4))
            + para(r("Upphandling"), style="Heading1")
            + para(r("Kommunen följer lag (2007:1091) om offentlig upphandling.")))
    draft = write_docx(tmp_path / "utkast.docx", body, styles=STYLES)
    with zipfile.ZipFile(draft) as archive:
        types = archive.read("[Content_Types].xml").decode("utf-8")
    rewrite_parts(draft, {"word/comments.xml": EARLIER_COMMENT, "word/_rels/document.xml.rels": COMMENTS_REL,
                          "[Content_Types].xml": types.replace(
                              "</Types>", f'<Override PartName="/word/comments.xml" ContentType="{COMMENTS_TYPE}"/></Types>')})
    before, revision = _revise(draft, tmp_path / "reviderad.docx")
    assert revision.changes >= 6
    rejected = apply(office, tmp_path / "reviderad.docx", tmp_path / "avvisad.docx", "RejectAllTrackedChanges")
    assert _looks(rejected) == _looks(apply(office, draft, tmp_path / "original-avvisad.docx",
                                            "RejectAllTrackedChanges"))
    accepted = apply(office, tmp_path / "reviderad.docx", tmp_path / "godkänd.docx", "AcceptAllTrackedChanges")
    after = lint_files([accepted]).results[0]
    replaced = {(f.rule, f.span.text) for f in before.findings if f.replacement}
    assert replaced and not replaced & {(f.rule, f.span.text) for f in after.findings}
    assert "Stämmer beloppet?" in "\n".join(_comments(tmp_path / "reviderad.docx"))


def test_libreoffice_on_a_generated_document_with_footnotes_tables_and_fields(tmp_path, office):
    """The generator's DOCX (footnotes, a metadata table, a table of contents field, headers) with
    old words put back in: every one becomes a change, Accept all lints clean, Reject all gives it back."""
    assert main(["generate", str(ROOT / "examples" / "ljungby.yaml"), "-o", str(tmp_path / "gen")]) == 0
    source = tmp_path / "gen" / "ljungby-policy.docx"
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    xml = xml.replace(" ska ", " skall ").replace(" eller ", " och/eller ", 3).replace(" om ", " angående ", 2)
    parts["word/document.xml"] = xml.encode("utf-8")
    draft = tmp_path / "utkast.docx"
    with zipfile.ZipFile(draft, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    before, revision = _revise(draft, tmp_path / "reviderad.docx")
    assert revision.changes == len(before.findings) >= 5 and revision.insertions == 0
    accepted = apply(office, tmp_path / "reviderad.docx", tmp_path / "godkänd.docx", "AcceptAllTrackedChanges")
    assert lint_files([accepted]).results[0].findings == []
    rejected = apply(office, tmp_path / "reviderad.docx", tmp_path / "avvisad.docx", "RejectAllTrackedChanges")
    assert _looks(rejected) == _looks(apply(office, draft, tmp_path / "original.docx", ""))
