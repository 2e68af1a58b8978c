"""Issue 24: a PDF's size is checked before the expensive layout analysis
(pdfplumber's table finding), with small generated hostile files."""

from __future__ import annotations

import time

import pytest

from pdf_factory import write_pdf, write_shared_stream_pdf
from policygen.errors import LimitExceeded
from policygen.read.pdf import reader


@pytest.fixture
def layout_calls(monkeypatch):
    calls = []
    original = reader._layout

    def counting(path):
        calls.append(path)
        return original(path)

    monkeypatch.setattr(reader, "_layout", counting)
    return calls


def test_pages_sharing_one_content_stream_skip_the_layout_analysis(tmp_path, layout_calls):
    pdf = write_shared_stream_pdf(tmp_path / "delad.pdf", pages=5, lines=3000)
    started = time.perf_counter()
    document = reader.read_pdf(pdf)
    assert not layout_calls
    assert time.perf_counter() - started < 30  # generous; uncapped this was 45 s and 2.9 GB
    assert "samverka" in " ".join(text for text, _ in document.text_units())


def test_a_page_with_thousands_of_lines_is_read_from_its_text_layer(tmp_path, layout_calls):
    pdf = write_pdf(tmp_path / "tat.pdf", [["Kommunen skall samverka."] * 1000, ["Ett kort stycke."]])
    reader.read_pdf(pdf)
    assert not layout_calls


def test_an_ordinary_pdf_still_gets_its_layout_read(tmp_path, layout_calls):
    pdf = write_pdf(tmp_path / "vanlig.pdf", [["Policy för samverkan", "Kommunen samverkar med sociala företag."]])
    reader.read_pdf(pdf)
    assert layout_calls


def test_too_many_pages_are_refused_before_any_text_is_extracted(tmp_path, monkeypatch):
    pdf = write_shared_stream_pdf(tmp_path / "sidor.pdf", pages=3000, lines=2)
    monkeypatch.setattr(reader, "page_texts", lambda *a, **k: pytest.fail("text extracted"))
    with pytest.raises(LimitExceeded, match="3 000 sidor; gränsen är 2 000"):
        reader.read_pdf(pdf)


def test_text_beyond_the_character_limit_stops_extraction_early(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_CHARACTERS", 50_000)
    pdf = write_shared_stream_pdf(tmp_path / "lang.pdf", pages=400, lines=200)
    with pytest.raises(LimitExceeded, match="tecken"):
        reader.read_pdf(pdf)
