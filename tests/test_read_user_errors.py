""""Internt fel" is for real bugs only (issue 14, item 19): an unreadable file,
a damaged UTF-16 file, a separator-only Markdown table, a 1 MB paragraph and
Unicode digits in a style or footnote id are user input, and get a Swedish
message with exit 2 or simply work."""

from __future__ import annotations

import builtins
import io
import os
import pathlib
from pathlib import Path

import pytest

from conftest import EXAMPLES
from docx_factory import para, r, style, write_docx
from pdf_factory import write_pdf
from policygen.read.draft import read_document
from policygen.read.limits import MAX_UNIT_CHARACTERS

TITLE = "Policy för samverkan med sociala företag"
SENTENCE = "Kommunen ska stödja sociala företag som anställer personer långt från arbetsmarknaden."


def _assert_user_error(code: int, err: str, *expected: str) -> None:
    assert code == 2, err
    assert "internt fel" not in err and "Traceback" not in err and "Gör så här:" in err, err
    for text in expected:
        assert text in err, err


def _drafts(folder: Path) -> list[Path]:
    text = folder / "utkast.txt"
    text.write_text(f"{TITLE}\n\n{SENTENCE}\n", encoding="utf-8")
    docx_draft = write_docx(folder / "utkast.docx", para(r(TITLE), style="Title") + para(r(SENTENCE)),
                            styles=style("Title", "Title"))
    pdf = write_pdf(folder / "utkast.pdf", [[TITLE, "", SENTENCE]])
    return [text, docx_draft, pdf]


def test_a_file_the_user_may_not_read(cli, tmp_path, monkeypatch):
    drafts = _drafts(tmp_path)
    if os.geteuid() != 0:
        for draft in drafts:
            draft.chmod(0)
    else:
        # Root reads every file, so the operating system's refusal is simulated
        # where a reader opens the file.
        refused = {str(draft) for draft in drafts}
        real_open, real_read_bytes = builtins.open, pathlib.Path.read_bytes

        def open_refusing(file, *args, **kwargs):
            if str(file) in refused:
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        def read_bytes_refusing(self):
            if str(self) in refused:
                raise PermissionError(13, "Permission denied", str(self))
            return real_read_bytes(self)

        monkeypatch.setattr(builtins, "open", open_refusing)
        monkeypatch.setattr(io, "open", open_refusing)
        monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes_refusing)
    try:
        for draft in drafts:
            code, _, err = cli("lint", draft)
            _assert_user_error(code, err, str(draft), "går inte att läsa (behörighet saknas)")
    finally:
        for draft in drafts:
            draft.chmod(0o644)


@pytest.mark.parametrize("content", [
    # An odd number of bytes after the byte-order mark: the file was cut short.
    b"\xff\xfe" + f"{TITLE}\n\n{SENTENCE}\n".encode("utf-16-le") + b"\x00",
    # Half a surrogate pair at the end.
    b"\xff\xfe" + f"{TITLE}\n\n{SENTENCE}\n".encode("utf-16-le") + b"\x3d\xd8",
    b"\xfe\xff" + f"{TITLE}\n".encode("utf-16-be") + b"\xd8\x3d\x00\x41",
], ids=["udda antal byte", "halvt surrogatpar", "big-endian med ensam surrogat"])
def test_a_damaged_utf16_file(cli, tmp_path, content):
    draft = tmp_path / "utkast.txt"
    draft.write_bytes(content)
    code, _, err = cli("lint", draft)
    _assert_user_error(code, err, str(draft), "märkt som UTF-16 men går inte att läsa från byte", "UTF-8")


def test_an_intact_utf16_file_reads(tmp_path):
    draft = tmp_path / "utkast.txt"
    draft.write_bytes(b"\xff\xfe" + f"{TITLE}\n\n{SENTENCE}\n".encode("utf-16-le"))
    assert [text for text, _ in read_document(draft).text_units()] == [TITLE, SENTENCE]


@pytest.mark.parametrize("table", ["|---|---|", "| --- | :-: |\n|---|---|", "|:--|\n|--:|\n"])
def test_a_markdown_table_of_separators_only(cli, tmp_path, table):
    draft = tmp_path / "utkast.md"
    draft.write_text(f"# {TITLE}\n\n{table}\n\n{SENTENCE}\n", encoding="utf-8")
    code, _, err = cli("lint", draft)
    assert code in (0, 1), err
    texts = [text for text, _ in read_document(draft).text_units()]
    assert TITLE in texts and SENTENCE in texts


def test_a_document_of_only_a_separator_table_has_no_text(cli, tmp_path):
    draft = tmp_path / "utkast.md"
    draft.write_text("|---|---|\n", encoding="utf-8")
    code, _, err = cli("lint", draft)
    _assert_user_error(code, err, str(draft), "innehåller ingen text")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".docx"])
def test_a_one_megabyte_paragraph(cli, tmp_path, suffix):
    paragraph = (SENTENCE + " ") * (1_000_000 // len(SENTENCE))
    if suffix == ".docx":
        draft = write_docx(tmp_path / "utkast.docx", para(r(TITLE), style="Title") + para(r(paragraph)),
                           styles=style("Title", "Title"))
    else:
        draft = tmp_path / f"utkast{suffix}"
        draft.write_text(f"{TITLE}\n\n{paragraph}\n", encoding="utf-8")
    code, _, err = cli("lint", draft)
    limit = f"{MAX_UNIT_CHARACTERS:,}".replace(",", " ")
    _assert_user_error(code, err, str(draft), "ett stycke är", f"gränsen är {limit}")


def test_unicode_digits_in_style_and_footnote_ids(cli, tmp_path):
    body = (para(r(TITLE), style="Title")
            + para(r("Syfte"), style="Heading١")          # Arabic-Indic one in a style id
            + para(r(SENTENCE + " "), '<w:r><w:footnoteReference w:id="٣"/></w:r>')
            + '<w:p><w:pPr><w:outlineLvl w:val="٢"/></w:pPr><w:r><w:t>Ansvar</w:t></w:r></w:p>'
            + '<w:p><w:pPr><w:outlineLvl w:val="²"/></w:pPr><w:r><w:rPr><w:sz w:val="²"/></w:rPr>'
              '<w:t>Kommunstyrelsen ansvarar för policyn.</w:t></w:r></w:p>'
            + para(r("Se även not."), '<w:r><w:footnoteReference w:id="¹"/></w:r>'))
    styles = style("Title", "Title") + style("Heading١", "heading ١", outline=None)
    notes = ('<w:footnote w:id="٣">' + para(r("Lagen (2016:1145) om offentlig upphandling.")) + "</w:footnote>"
             '<w:footnote w:id="¹">' + para(r("En not med upphöjd etta som id.")) + "</w:footnote>")
    draft = write_docx(tmp_path / "utkast.docx", body, styles=styles, footnotes=notes)
    document = read_document(draft)
    headings = [(block.text, block.level) for block in document.blocks if type(block).__name__ == "Heading"]
    # "heading ١" is a level-1 heading; outline level ٢ (0-based) is level 3.
    assert ("Syfte", 1) in headings and ("Ansvar", 3) in headings
    assert "Kommunstyrelsen ansvarar för policyn." not in [text for text, _ in headings]
    # The note with id ٣ is read; an id that is no number is not a note.
    assert [note.text for note in document.footnotes.values()] == ["Lagen (2016:1145) om offentlig upphandling."]
    code, _, err = cli("lint", draft, "--annotate", tmp_path / "granskad.docx")
    assert code in (0, 1) and "internt fel" not in err, err


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml"])
def test_a_flood_of_elements_is_refused_before_it_fills_the_memory(cli, tmp_path, part):
    """A million empty runs (or styles) pack into a few kilobytes but would take
    some 250 MB as a tree, and more the more there are: they are counted first,
    over all the parts the reader builds trees of."""
    from policygen.ooxml.xml_part import MAX_XML_ELEMENTS

    flood = "<w:r/>" * (MAX_XML_ELEMENTS + 1)
    body = para(r(TITLE), style="Title") + (f"<w:p>{flood}</w:p>" if part == "word/document.xml" else "")
    styles = style("Title", "Title") + (f'<w:style w:styleId="x">{flood}</w:style>' if part == "word/styles.xml"
                                        else "")
    draft = write_docx(tmp_path / "utkast.docx", body, styles=styles)
    assert draft.stat().st_size < 100_000
    code, _, err = cli("lint", draft)
    limit = f"{MAX_XML_ELEMENTS:,}".replace(",", " ")
    _assert_user_error(code, err, str(draft), f"över {limit} XML-element", f"delen {part}")


def test_a_template_flooded_with_elements_is_refused(cli, tmp_path):
    from policygen.ooxml.xml_part import MAX_XML_ELEMENTS
    from template_factory import edit_package, municipal_template

    template = tmp_path / "mall.docx"
    template.write_bytes(edit_package(municipal_template(tmp_path / "ren.docx").read_bytes(), {
        "word/settings.xml": lambda xml: xml.replace("</w:settings>", "<w:rsids/>" * (MAX_XML_ELEMENTS + 1)
                                                     + "</w:settings>")}))
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path / "ut", "--doc", "policy",
                       "--reference-docx", template)
    _assert_user_error(code, err, str(template), "Word-mallen är för stor (delen word/settings.xml")
    assert not (tmp_path / "ut").exists()
