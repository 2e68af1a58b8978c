"""--annotate works on every DOCX the linter reads (issue 14, item 18).

Drafts are built from the constructs real Word files hold: hyperlinks, simple
and complex fields, tracked insertions and moves, smart tags, custom XML and
content controls around runs or paragraphs, runs split mid-word, tables,
footnotes, text boxes, bookmarks across paragraphs, empty paragraphs, hidden
runs, a comments part of their own (readable or not, with or without its
content type and relationship), no styles part, no package relationships.
Each draft is linted and annotated; the copy must open in python-docx, hold
the original text unchanged, and carry one comment per finding that has
evidence, plus the summary on the title that lists the rest."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from docx_factory import (
    STRICT_W_NS,
    W_NS,
    as_strict,
    para,
    r,
    rewrite_parts,
    style,
    tracked,
    write_docx,
)
from policygen.lint.run import lint_files
from policygen.read.draft import read_document
from policygen.report.word_comments import AUTHOR, LEFT_OUT_NOTE, annotate_docx
from template_factory import edit_package

W = f"{{{W_NS}}}"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/comments" Target="comments.xml"/></Relationships>')
EARLIER_COMMENT = (f'<w:comments xmlns:w="{W_NS}"><w:comment w:id="0" w:author="Anna Handläggare">'
                   "<w:p><w:r><w:t>Stämmer beloppet?</w:t></w:r></w:p></w:comment></w:comments>")

TITLE = "Policy för samverkan med sociala företag i Sollefteå kommun"
# Each gives the linter something to say (the obsolete "skall", another
# kommun's name, a placeholder date, a long sentence) or nothing at all.
SENTENCES = [
    "Kommunen skall erbjuda sociala företag rådgivning om upphandling.",
    "Markaryds kommun hyr ut lokaler till arbetsintegrerande sociala företag.",
    "Riktlinjen antogs av kommunfullmäktige xxxx-xx-xx.",
    "Näringslivsenheten följer upp samverkan varje år och redovisar resultatet för kommunstyrelsen.",
    "Den som önskar få veta mer om de möjligheter som kommunen har att genom olika former av stöd och "
    "samverkan bidra till att sociala företag kan växa och anställa fler personer som står långt från "
    "arbetsmarknaden kan vända sig till kommunens näringslivsenhet som skall svara inom en vecka.",
    "Sociala företag återinvesterar sin vinst i verksamheten.",
]


def _split_mid_word(text: str) -> str:
    cut = text.index(" ") + 3
    return para(r(text[:cut]), r(text[cut:cut + 4], "<w:b/>"), r(text[cut + 4:]))


def _complex_field(text: str) -> str:
    return para('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
                'DOCPROPERTY Avsnitt </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>',
                r(text), '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def _text_box_beside(text: str) -> str:
    box = ('<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
           + para(r("Faktaruta: läs mer på webben")) + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")
    return para(r(text), box)


# Construct name → function from a sentence to body XML.
CONSTRUCTS = {
    "vanligt stycke": lambda t: para(r(t)),
    "delade körningar": _split_mid_word,
    "hyperlänk": lambda t: para(f'<w:hyperlink w:anchor="start" w:history="1">{r(t)}</w:hyperlink>'),
    "enkelt fält": lambda t: para(f'<w:fldSimple w:instr=" DOCPROPERTY Avsnitt ">{r(t)}</w:fldSimple>'),
    "sammansatt fält": _complex_field,
    "infogad text": lambda t: para(tracked("ins", r(t))),
    "flyttad hit": lambda t: para(tracked("moveTo", r(t))),
    "struken text före": lambda t: para(tracked("del", r("Tidigare formulering. ")), r(t)),
    "smarttagg": lambda t: para(f'<w:smartTag w:uri="urn:sv" w:element="plats">{r(t)}</w:smartTag>'),
    "egen XML i stycket": lambda t: para(f'<w:customXml w:element="mening">{r(t)}</w:customXml>'),
    "innehållskontroll i stycket": lambda t: para(
        f'<w:sdt><w:sdtPr><w:alias w:val="Text"/></w:sdtPr><w:sdtContent>{r(t)}</w:sdtContent></w:sdt>'),
    "innehållskontroll runt stycket": lambda t: f"<w:sdt><w:sdtPr/><w:sdtContent>{para(r(t))}</w:sdtContent></w:sdt>",
    "egen XML runt stycket": lambda t: f'<w:customXml w:element="avsnitt">{para(r(t))}</w:customXml>',
    "tabellcell": lambda t: ("<w:tbl><w:tr>" + "".join(f"<w:tc>{para(r(c))}</w:tc>" for c in ("Del", t, "Ansvar"))
                             + "</w:tr></w:tbl>"),
    "bokmärke över två stycken": lambda t: (para('<w:bookmarkStart w:id="90" w:name="avsnitt"/>', r(t))
                                            + para(r("Mer om detta nedan."), '<w:bookmarkEnd w:id="90"/>')),
    "tomma stycken runt": lambda t: "<w:p/>" + para(r(t)) + "<w:p><w:pPr/></w:p>",
    "dold körning": lambda t: para(r(t), r(" (intern anteckning)", "<w:vanish/>")),
    "textruta bredvid": _text_box_beside,
}
FOOTNOTE = "fotnot"


def _body(blocks: list[tuple[str, str]]) -> tuple[str, str]:
    """(body XML, footnotes XML) for (construct, sentence) pairs; the first is the title."""
    body, notes = [], []
    for index, (construct, text) in enumerate(blocks):
        if index == 0:
            body.append(CONSTRUCTS[construct](text).replace("<w:p>", '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>', 1)
                        if CONSTRUCTS[construct](text).startswith("<w:p>") else CONSTRUCTS[construct](text))
        elif construct == FOOTNOTE:
            note_id = len(notes) + 1
            notes.append(f'<w:footnote w:id="{note_id}">{para(r(text))}</w:footnote>')
            body.append(para(r("Kommunen samverkar med sociala företag."),
                             f'<w:r><w:footnoteReference w:id="{note_id}"/></w:r>'))
        else:
            body.append(CONSTRUCTS[construct](text))
    return "".join(body), "".join(notes)


PACKAGES = ["vanligt", "utan formatmallar", "egna kommentarer", "kommentarer utan innehållstyp",
            "kommentarer utan relation", "trasiga kommentarer", "utan paketrelationer", "Strict Open XML",
            "med DOCTYPE"]


def _draft(folder: Path, blocks: list[tuple[str, str]], package: str) -> Path:
    body, notes = _body(blocks)
    earlier = package in ("egna kommentarer", "kommentarer utan innehållstyp", "kommentarer utan relation",
                          "trasiga kommentarer")
    if earlier:  # a comment someone already made on the first paragraph
        body = body.replace("<w:r>", '<w:commentRangeStart w:id="0"/><w:r>', 1)
        end = body.index("</w:p>")
        body = (body[:end] + '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
                + body[end:])
    styles = "" if package == "utan formatmallar" else style("Title", "Title") + style("Heading1", "heading 1")
    prolog = '<!DOCTYPE w:document [<!ENTITY oanvand "aldrig använd">]>' if package == "med DOCTYPE" else ""
    path = write_docx(folder / "utkast.docx", body, styles=styles, footnotes=notes, prolog=prolog)
    override = f'<Override PartName="/word/comments.xml" ContentType="{COMMENTS_TYPE}"/></Types>'
    with zipfile.ZipFile(path) as archive:
        types = archive.read("[Content_Types].xml").decode("utf-8")
    parts: dict[str, bytes | str | None] = {
        "egna kommentarer": {"word/comments.xml": EARLIER_COMMENT, "word/_rels/document.xml.rels": COMMENTS_REL,
                             "[Content_Types].xml": types.replace("</Types>", override)},
        "kommentarer utan innehållstyp": {"word/comments.xml": EARLIER_COMMENT,
                                          "word/_rels/document.xml.rels": COMMENTS_REL},
        "kommentarer utan relation": {"word/comments.xml": EARLIER_COMMENT,
                                      "[Content_Types].xml": types.replace("</Types>", override)},
        "trasiga kommentarer": {"word/comments.xml": EARLIER_COMMENT[:70],
                                "word/_rels/document.xml.rels": COMMENTS_REL},
        "utan paketrelationer": {"_rels/.rels": None, "[Content_Types].xml": None},
    }.get(package, {})
    rewrite_parts(path, parts)
    if package == "Strict Open XML":
        path.write_bytes(as_strict(path.read_bytes()))
    return path


def _texts(path: Path, part: str) -> list[str]:
    """The text of each paragraph in the part, shown or not (a Strict part read under the
    transitional names); a comment may cut a run in two, so runs are not compared one by one."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read(part).replace(STRICT_W_NS.encode(), W_NS.encode()))
    return ["".join(node.text or "" for node in paragraph.iter(f"{W}t", f"{W}delText", f"{W}instrText"))
            for paragraph in root.iter(f"{W}p")]


def _comments(path: Path) -> tuple[dict[str, tuple[str, str]], etree._Element]:
    """comment id → (author, text), and the document's tree."""
    with zipfile.ZipFile(path) as archive:
        comments = etree.fromstring(archive.read("word/comments.xml"))
        document = etree.fromstring(archive.read("word/document.xml"))
    found = {c.get(f"{W}id"): (c.get(f"{W}author"), "\n".join("".join(t.text or "" for t in p.iter(f"{W}t"))
                                                              for p in c.iter(f"{W}p")))
             for c in comments.iter(f"{W}comment")}
    return found, document


blocks_strategy = st.lists(st.tuples(st.sampled_from([*CONSTRUCTS, FOOTNOTE]), st.sampled_from(SENTENCES)),
                           min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(title_construct=st.sampled_from(list(CONSTRUCTS)), blocks=blocks_strategy,
       package=st.sampled_from(PACKAGES))
def test_every_draft_the_linter_reads_can_be_annotated(tmp_path_factory, title_construct, blocks, package):
    folder = tmp_path_factory.mktemp("kommentarer")
    draft = _draft(folder, [(title_construct, TITLE), *blocks], package)
    result = lint_files([draft]).results[0]
    target = folder / "utkast-granskad.docx"
    count = annotate_docx(draft, result, target)

    docx.Document(str(target))  # Word's own reader's stand-in opens the copy
    with zipfile.ZipFile(target) as archive:
        assert b"<!DOCTYPE" not in archive.read("word/document.xml")
    # Not a character of the draft is lost or changed, and it reads as before.
    assert _texts(target, "word/document.xml") == _texts(draft, "word/document.xml")
    assert [t for t, _ in read_document(target).text_units()] == [t for t, _ in read_document(draft).text_units()]

    comments, document = _comments(target)
    ours = {cid: text for cid, (author, text) in comments.items() if author == AUTHOR}
    with_evidence = [f for f in result.findings if f.span.text]
    # One comment per finding with evidence, and the summary on the title.
    assert count == len(ours) == len(with_evidence) + 1
    summary = [text for text in ours.values() if "av 12 delar finns" in text]
    assert len(summary) == 1
    for finding in result.findings:
        if not finding.span.text:
            assert f"({finding.rule})" in summary[0]
    # Every comment is anchored, once, and nothing points to a comment that is not there.
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        ids = [m.get(f"{W}id") for m in document.iter(f"{W}{tag}")]
        assert sorted(ids) == sorted(comments), tag
    earlier_kept = package in ("egna kommentarer", "kommentarer utan innehållstyp")
    assert ("Anna Handläggare", "Stämmer beloppet?") in comments.values() if earlier_kept \
        else all(author == AUTHOR for author, _ in comments.values())
    assert (LEFT_OUT_NOTE + "word/comments.xml." in summary[0]) == (package == "trasiga kommentarer")


def _anchored_text(document: etree._Element, comment_id: str) -> str:
    """The shown text between a comment's range markers."""
    inside, parts = False, []
    for node in document.iter():
        if node.tag == f"{W}commentRangeStart" and node.get(f"{W}id") == comment_id:
            inside = True
        elif node.tag == f"{W}commentRangeEnd" and node.get(f"{W}id") == comment_id:
            break
        elif inside and node.tag == f"{W}t" and not any(a.tag in (f"{W}del", f"{W}moveFrom", f"{W}txbxContent")
                                                        for a in node.iterancestors()):
            parts.append(node.text or "")
    return "".join(parts)


INLINE = [name for name in CONSTRUCTS if name not in ("tabellcell", "textruta bredvid", "dold körning",
                                                       "bokmärke över två stycken", "delade körningar")]


def test_the_comment_sits_on_the_evidence_whatever_wraps_it(tmp_path):
    for construct in INLINE:
        folder = tmp_path / construct.replace(" ", "-")
        folder.mkdir()
        draft = _draft(folder, [("vanligt stycke", TITLE), (construct, SENTENCES[0])], "vanligt")
        target = folder / "granskad.docx"
        annotate_docx(draft, lint_files([draft]).results[0], target)
        comments, document = _comments(target)
        ks01 = next(cid for cid, (_, text) in comments.items() if "(KS01)" in text)
        # The sentence is one run; the run is cut so the comment covers the word the finding is about.
        assert _anchored_text(document, ks01) == "skall", construct
        reference = next(m for m in document.iter(f"{W}commentReference") if m.get(f"{W}id") == ks01)
        # The reference sits directly in the paragraph, outside fields, insertions and controls.
        assert reference.getparent().getparent().tag == f"{W}p", construct


def test_a_run_split_mid_word_is_commented_on_the_runs_of_the_word(tmp_path):
    sentence = "Kommunen skall ge sociala företag råd."
    body = para(r(TITLE), style="Title") + para(r("Kommunen sk"), r("al", "<w:i/>"), r("l ge sociala företag råd."))
    draft = write_docx(tmp_path / "utkast.docx", body, styles=style("Title", "Title"))
    target = tmp_path / "granskad.docx"
    annotate_docx(draft, lint_files([draft]).results[0], target)
    comments, document = _comments(target)
    ks01 = next(cid for cid, (_, text) in comments.items() if "(KS01)" in text)
    assert _anchored_text(document, ks01) == "skall"  # three runs hold part of "skall", cut at its edges
    assert [t for t, _ in read_document(target).text_units()][-1] == sentence
    assert "Förslag: ”ska”" in comments[ks01][1]


@pytest.mark.parametrize("part", ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
                                  "word/settings.xml", "word/numbering.xml"])
def test_a_draft_with_a_broken_part_the_linter_does_not_need_is_annotated(cli, tmp_path, part):
    """The linter reads only the document, styles, notes, headers and properties;
    Word's package parts around them may be broken, and the copy is still made."""
    word = docx.Document()
    word.add_paragraph(TITLE, style="Title")
    word.add_paragraph(SENTENCES[0], style="List Bullet")  # a list, so the draft has a numbering part
    buffer = io.BytesIO()
    word.save(buffer)
    draft = tmp_path / "utkast.docx"
    draft.write_bytes(edit_package(buffer.getvalue(), {part: lambda xml: xml[: len(xml) // 2]}))
    target = tmp_path / "granskad.docx"
    code, _, err = cli("lint", draft, "--annotate", target)
    assert code in (0, 1) and "internt fel" not in err, err
    comments = [comment.text for comment in docx.Document(str(target)).comments]
    assert any("(KS01)" in text for text in comments)
    # Broken content types are rebuilt from the relationships; any other broken part is left out and named.
    assert any(LEFT_OUT_NOTE in text and part in text for text in comments) == (part != "[Content_Types].xml")


def test_a_huge_part_the_linter_does_not_read_is_left_out_of_the_copy(cli, tmp_path):
    from policygen.ooxml.xml_part import MAX_XML_ELEMENTS

    word = docx.Document()
    word.add_paragraph(TITLE, style="Title")
    word.add_paragraph(SENTENCES[0])
    buffer = io.BytesIO()
    word.save(buffer)
    draft = tmp_path / "utkast.docx"
    draft.write_bytes(edit_package(buffer.getvalue(), {"word/settings.xml": lambda xml: xml.replace(
        "</w:settings>", "<w:rsids/>" * (MAX_XML_ELEMENTS + 1) + "</w:settings>")}))
    target = tmp_path / "granskad.docx"
    code, _, err = cli("lint", draft, "--annotate", target)
    assert code in (0, 1), err
    comments = [comment.text for comment in docx.Document(str(target)).comments]
    assert any("(KS01)" in text for text in comments)
    assert any(LEFT_OUT_NOTE + "word/settings.xml." in text for text in comments)
