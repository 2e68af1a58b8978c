"""Text a reader of the printed draft does not see is not linted as if it were
there (issue 14, item 18): deleted text, text moved away and hidden text.
Inserted text and text moved to a place count."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docx_factory import (
    character_style,
    para,
    paragraph_style,
    r,
    style,
    tracked,
    write_docx,
)
from policygen.lint.run import lint_files
from policygen.read.draft import read_document

TITLE = para(r("Policy för samverkan med sociala företag"), style="Title")
INTRO = para(r("Kommunen vill att fler sociala företag får uppdrag och stöd."))
FOLLOW_UP_HEADING = "Uppföljning"
FOLLOW_UP = "Socialförvaltningen följer upp arbetet varje år och rapporterar till kommunstyrelsen."
STYLES = (style("Title", "Title") + style("Heading1", "heading 1")
          + character_style("Dold", "Dold text", "<w:vanish/>")
          + paragraph_style("DoltStycke", "Dolt stycke", "<w:vanish/>")
          + paragraph_style("ArvtDolt", "Ärvt dolt", "", based_on="DoltStycke"))


def _follow_up(wrap) -> str:
    """The follow-up section with each of its two paragraphs' runs passed through `wrap`."""
    return (para(wrap(r(FOLLOW_UP_HEADING)), style="Heading1")
            + para(wrap(r("Socialförvaltningen följer upp arbetet ")), wrap(r("varje år och rapporterar till "
                                                                              "kommunstyrelsen."))))


def _lint(tmp_path: Path, body: str):
    path = write_docx(tmp_path / "utkast.docx", TITLE + INTRO + body, styles=STYLES)
    return read_document(path), lint_files([path]).results[0]


def _text(document) -> str:
    return " ".join(text for text, _ in document.text_units())


NOT_SHOWN = {
    "flyttad härifrån (w:moveFrom)": _follow_up(lambda run: tracked("moveFrom", run)),
    "struken (w:del)": _follow_up(lambda run: tracked("del", run)),
    "dold på texten (w:vanish)": _follow_up(lambda run: run.replace("<w:r>", "<w:r><w:rPr><w:vanish/></w:rPr>")),
    "dold genom teckenformat": _follow_up(
        lambda run: run.replace("<w:r>", '<w:r><w:rPr><w:rStyle w:val="Dold"/></w:rPr>')),
    "dold genom styckeformat": para(r(FOLLOW_UP_HEADING), style="DoltStycke") + para(r(FOLLOW_UP), style="ArvtDolt"),
}


@pytest.mark.parametrize("kind", NOT_SHOWN)
def test_text_the_reader_does_not_see_is_not_linted(tmp_path, kind):
    document, result = _lint(tmp_path, NOT_SHOWN[kind])
    assert "Socialförvaltningen" not in _text(document) and FOLLOW_UP_HEADING not in _text(document)
    assert result.coverage["uppfoljning"].status == "missing"
    assert [f.rule for f in result.findings if f.coverage_id == "uppfoljning"] == ["SKR07"]


SHOWN = {
    "infogad (w:ins)": _follow_up(lambda run: tracked("ins", run)),
    "flyttad hit (w:moveTo)": _follow_up(lambda run: tracked("moveTo", run)),
    # The run switches hiding off again inside a hidden paragraph style.
    "synlig trots dolt styckeformat": para(r(FOLLOW_UP_HEADING, "<w:vanish w:val=\"0\"/>"), style="DoltStycke")
    + para(r(FOLLOW_UP, '<w:vanish w:val="false"/>'), style="ArvtDolt"),
    # Only the paragraph mark is hidden: Word shows the text, joined to the next paragraph.
    "dolt styckemärke": para(r(FOLLOW_UP_HEADING), style="Heading1") + para(r(FOLLOW_UP), mark_rpr="<w:vanish/>"),
}


@pytest.mark.parametrize("kind", SHOWN)
def test_inserted_and_moved_here_text_counts(tmp_path, kind):
    document, result = _lint(tmp_path, SHOWN[kind])
    assert FOLLOW_UP in _text(document)
    assert result.coverage["uppfoljning"].status == "present"
    assert not [f for f in result.findings if f.coverage_id == "uppfoljning"]


def test_a_word_in_deleted_or_hidden_runs_gives_no_finding_but_inserted_does(tmp_path):
    sentence = [r("Kommunen "), None, r(" stödja sociala företag som anställer personer långt från arbetsmarknaden.")]
    hidden = para(sentence[0], tracked("del", r("skall")), tracked("ins", r("ska")), sentence[2])
    shown = para(sentence[0], tracked("del", r("ska")), tracked("ins", r("skall")), sentence[2])
    _, result = _lint(tmp_path, hidden)
    assert not [f for f in result.findings if f.rule == "KS01"]
    _, result = _lint(tmp_path, shown)
    assert [(f.rule, f.span.text) for f in result.findings if f.rule == "KS01"] == [("KS01", "skall")]


# -- any mix: the reader sees exactly the words a reader of the printout sees ----------

# Wrapper name → (function from run XML to XML, whether the words stay shown).
WRAPPERS = {
    "infogad": (lambda x: tracked("ins", x), True),
    "flyttad hit": (lambda x: tracked("moveTo", x), True),
    "struken": (lambda x: tracked("del", x), False),
    "flyttad härifrån": (lambda x: tracked("moveFrom", x), False),
    "hyperlänk": (lambda x: f'<w:hyperlink w:anchor="a">{x}</w:hyperlink>', True),
    "fält": (lambda x: f'<w:fldSimple w:instr=" REF a ">{x}</w:fldSimple>', True),
    "innehållskontroll": (lambda x: f"<w:sdt><w:sdtContent>{x}</w:sdtContent></w:sdt>", True),
    "smarttagg": (lambda x: f'<w:smartTag w:element="e">{x}</w:smartTag>', True),
}
# Run formatting → whether the words are hidden (None: as the paragraph style says).
RUN_FORMATS = {"": None, "<w:vanish/>": True, '<w:vanish w:val="0"/>': False, '<w:rStyle w:val="Dold"/>': True,
               "<w:b/>": None}

run_strategy = st.tuples(st.sampled_from(list(RUN_FORMATS)), st.lists(st.sampled_from(list(WRAPPERS)), max_size=2))
paragraph_strategy = st.tuples(st.booleans(), st.lists(run_strategy, min_size=1, max_size=4))


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(paragraphs=st.lists(paragraph_strategy, min_size=1, max_size=5))
def test_the_reader_sees_exactly_the_shown_words(tmp_path_factory, paragraphs):
    body, expected, number = [TITLE], [], 0
    for hidden_style, runs in paragraphs:
        content = []
        for run_format, wrappers in runs:
            number += 1
            word = f"ord{number}"
            xml = r(word + " ", run_format)
            shown = not (hidden_style if RUN_FORMATS[run_format] is None else RUN_FORMATS[run_format])
            for wrapper in wrappers:
                wrap, keeps = WRAPPERS[wrapper]
                xml = wrap(xml)
                shown = shown and keeps
            content.append(xml)
            if shown:
                expected.append(word)
        body.append(para(*content, style="DoltStycke" if hidden_style else None))
    path = write_docx(tmp_path_factory.mktemp("dolt") / "utkast.docx", "".join(body), styles=STYLES)
    words = [w for text, _ in read_document(path).text_units() for w in text.split() if w.startswith("ord")]
    assert words == expected
