"""`lint --annotate` puts each comment on the words it concerns: "skall", the
law cited, the amount, the other kommun's name, the placeholder, the expired
date; a coverage verdict on the sentence it quotes; a part the draft lacks on
the heading where a reader expects it, or in the summary on the title
(issue 22). The anchors are read back from the copy's XML."""

from __future__ import annotations

import re
import zipfile

from lxml import etree

from docx_factory import W_NS, p, style, table, write_docx
from policygen.lint.run import lint_files
from policygen.report.word_comments import annotate_docx

W = f"{{{W_NS}}}"
TITLE = "Policy för sociala företag i Bodens kommun"
BODY = (
    p(TITLE, style="Title")
    + p("Gäller till: 2022-12-31")
    + p("Syfte", style="Heading1")
    + p("Policyn beskriver hur kommunen skall stödja sociala företag. Målet är att fler personer som står långt "
        "från arbetsmarknaden får ett arbete.")
    + p("Upphandling", style="Heading1")
    + p("Vid upphandling tillämpas LOU 2007:1092 när kommunen köper tjänster av sociala företag.")
    + p("Direktupphandling får användas upp till 586 907 kr inom hela kommunen.")
    + p("Fler arbetsintegrerande sociala företag ska växa i Luleå kommun under perioden.")
    + p("Ansvar", style="Heading1")
    + table([["Aktivitet", "Ansvarig"], ["Informationsträff samt rådgivning", "Näringslivsenheten"]])
    + p("Definitioner", style="Heading1")
    + p("Avsnittet skrivs när arbetsgruppen är klar.")
    + p("Samordning inom kommunen", style="Heading1")
    + p("Avsnittet skrivs senare.")
    + p("Uppföljning", style="Heading1")
    + p("Kontakta gärna näringslivsenheten med frågor. Enheten har sitt kontor i stadshuset.")
    + p("Antagen av kommunfullmäktige xxxx-xx-xx.")
)


def _anchors(path) -> dict[str, list[str]]:
    """Comment text's first line → the shown text between its range markers."""
    with zipfile.ZipFile(path) as archive:
        comments = etree.fromstring(archive.read("word/comments.xml"))
        document = etree.fromstring(archive.read("word/document.xml"))
    heads = {c.get(f"{W}id"): "".join(t.text or "" for t in next(c.iter(f"{W}p")).iter(f"{W}t"))
             for c in comments.iter(f"{W}comment")}
    open_ranges: dict[str, str] = {}
    anchored: dict[str, list[str]] = {}
    for node in document.iter():
        if node.tag == f"{W}commentRangeStart":
            open_ranges[node.get(f"{W}id")] = ""
        elif node.tag == f"{W}commentRangeEnd":
            comment_id = node.get(f"{W}id")
            anchored.setdefault(heads[comment_id], []).append(open_ranges.pop(comment_id))
        elif node.tag == f"{W}t":
            for comment_id in open_ranges:
                open_ranges[comment_id] += node.text or ""
    assert not open_ranges
    return anchored


def _by_rule(anchored: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for head, texts in anchored.items():
        rule = re.match(r"\w+ \((\w+)\):", head)
        out.setdefault(rule.group(1) if rule else "sammanfattning", []).extend(texts)
    return out


def test_every_kind_of_finding_is_anchored_on_its_words(tmp_path):
    draft = write_docx(tmp_path / "utkast.docx", BODY, style("Title", "Title") + style("Heading1", "heading 1"))
    result = lint_files([draft], kommun="Boden").results[0]
    annotate_docx(draft, result, tmp_path / "granskad.docx")
    anchored = _by_rule(_anchors(tmp_path / "granskad.docx"))
    assert anchored["KS01"] == ["skall"]                      # klarspråk: the word
    assert anchored["KS06"] == ["samt"]                       # also inside a table cell
    assert anchored["FA01"] == ["LOU 2007:1092"]              # the law cited
    assert anchored["FA02"] == ["586 907 kr"]                 # the amount
    assert anchored["FA04"] == ["Luleå kommun"]               # the other kommun's name
    assert anchored["FA03"] == ["xxxx-xx-xx"]                 # the placeholder
    assert anchored["FA06"] == ["2022-12-31"]                 # the expired date, after its label
    # A coverage verdict on the sentence it quotes, not the paragraph around it.
    assert anchored["SKR07"] == ["Kontakta gärna näringslivsenheten med frågor."]
    # A table row's verdict on the row's first cell; a metadata line's on the line.
    assert anchored["SKR05"] == ["Informationsträff samt rådgivning"]
    assert anchored["SKR01"] == ["Antagen av kommunfullmäktige xxxx-xx-xx."]
    # Parts the draft lacks: on the heading where a reader looks for them, else in the title's summary.
    assert anchored["SKR10"] == ["Definitioner"]
    assert anchored["SKR03"] == ["Samordning inom kommunen"]
    assert anchored["sammanfattning"] == [TITLE]
    summary = next(head for head in _anchors(tmp_path / "granskad.docx") if "av 12 delar finns" in head)
    assert "extern samverkansstruktur" in summary
    missing_elsewhere = {f.rule for f in result.findings if not f.span.text} - {"SKR10", "SKR03"}
    assert missing_elsewhere and not missing_elsewhere & set(anchored)
    # Every finding has exactly one comment.
    assert sum(len(texts) for rule, texts in anchored.items() if rule != "sammanfattning") \
        == len(result.findings) - len(missing_elsewhere)


def test_cutting_runs_keeps_the_text_and_its_formatting(tmp_path):
    body = (p(TITLE, style="Title")
            + '<w:p><w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">Kommunen skall ge råd.</w:t></w:r></w:p>')
    draft = write_docx(tmp_path / "utkast.docx", body, style("Title", "Title"))
    annotate_docx(draft, lint_files([draft]).results[0], tmp_path / "granskad.docx")
    with zipfile.ZipFile(tmp_path / "granskad.docx") as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
    paragraph = list(document.iter(f"{W}p"))[1]
    runs = [r for r in paragraph.iter(f"{W}r") if r.find(f"{W}t") is not None]
    assert [r.find(f"{W}t").text for r in runs] == ["Kommunen ", "skall", " ge råd."]
    assert all(r.find(f"{W}rPr/{W}i") is not None for r in runs)
    assert runs[0].find(f"{W}t").get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
