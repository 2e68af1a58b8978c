"""Documents within the size limit but far beyond any governing document are
refused before they are linted (issue 14, items 15 and 19)."""

from __future__ import annotations

import zipfile

from policygen.read.limits import MAX_TEXT_UNITS

_BODY = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'


def test_a_docx_with_hundreds_of_thousands_of_paragraphs(cli, tmp_path):
    draft = tmp_path / "många.docx"
    paragraph = "<w:p><w:r><w:t>Kommunen samverkar.</w:t></w:r></w:p>"
    with zipfile.ZipFile(draft, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", _BODY + paragraph * (MAX_TEXT_UNITS * 5) + "</w:body></w:document>")
    assert draft.stat().st_size < 1024 * 1024
    code, _, err = cli("lint", draft)
    assert code == 2 and "för stort att granska" in err and "Traceback" not in err


def test_a_one_megabyte_paragraph_is_a_user_error(cli, tmp_path):
    draft = tmp_path / "stycke.txt"
    draft.write_text("Policy\n\n" + "ord " * 250_000 + "\n", encoding="utf-8")
    code, _, err = cli("lint", draft)
    assert code == 2 and "ett stycke är" in err and "internt fel" not in err


def test_too_many_lines_in_a_text_draft(cli, tmp_path):
    draft = tmp_path / "rader.txt"
    draft.write_text("Policy\n\n" + "Kommunen samverkar.\n\n" * (MAX_TEXT_UNITS + 10), encoding="utf-8")
    code, _, err = cli("lint", draft)
    assert code == 2 and "för stort att granska" in err


def test_a_markdown_table_of_separators_only_is_read_as_no_table(cli, tmp_path):
    draft = tmp_path / "tabell.md"
    draft.write_text("# Policy för samverkan med sociala företag\n\n|---|---|\n\nKommunen samverkar.\n",
                     encoding="utf-8")
    code, out, err = cli("lint", draft)
    assert code in (0, 1) and "internt fel" not in err and "Granskning av" in out
