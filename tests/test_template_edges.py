"""Real municipal Word files vary (issue 14, item 17): as a --reference-docx
and as a draft, each of these either simply works or gives a Swedish message
naming the file and the part, with exit 2, no internal error and nothing
written. Every file is built here from a clean one."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from docx_factory import (
    as_strict,
    damage_deflate,
    duplicate_part,
    para,
    r,
    rewrite_parts,
    style,
    write_docx,
)
from template_factory import edit_package, municipal_template

TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _generate(cli, template: Path, out: Path) -> tuple[int, str]:
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", out, "--doc", "policy",
                       "--reference-docx", template)
    return code, err


def _template(tmp_path: Path, edits: dict | None = None, name: str = "mall.docx") -> Path:
    clean = municipal_template(tmp_path / "ren-mall.docx").read_bytes()
    path = tmp_path / name
    path.write_bytes(edit_package(clean, edits or {}))
    return path


def _looks_like_the_template(result: Path) -> None:
    """The generated document has the template's margins, body font and header logo."""
    word = docx.Document(str(result))
    assert round(word.sections[0].left_margin.cm, 1) == 3.0
    assert word.styles["Normal"].font.name == "Georgia"
    assert any(rel.reltype.endswith("/image") for rel in word.sections[0].header.part.rels.values())
    assert any(p.text == "Policy för samverkan med sociala företag" or "sociala företag" in p.text
               for p in word.paragraphs)


# -- templates that simply work ----------------------------------------------------

WORKING_TEMPLATES = {
    "en .dotx-mall": lambda data: edit_package(data, {"[Content_Types].xml": lambda x: x.replace(DOCUMENT_MAIN,
                                                                                                TEMPLATE_MAIN)}),
    "ett dokument med makron (.docm)": lambda data: edit_package(
        data, {"[Content_Types].xml": lambda x: x.replace(DOCUMENT_MAIN, MACRO_MAIN)}),
    "Strict Open XML": as_strict,
}


@pytest.mark.parametrize("kind", WORKING_TEMPLATES)
def test_templates_saved_in_other_word_formats_simply_work(cli, tmp_path, kind):
    template = tmp_path / "mall.docx"
    template.write_bytes(WORKING_TEMPLATES[kind](municipal_template(tmp_path / "ren.docx").read_bytes()))
    code, err = _generate(cli, template, tmp_path / "ut")
    assert code == 0, err
    _looks_like_the_template(tmp_path / "ut" / "ljungby-policy.docx")


@pytest.mark.parametrize("missing", [["[Content_Types].xml"], ["_rels/.rels"], ["[Content_Types].xml", "_rels/.rels"]])
def test_a_template_missing_package_parts_simply_works(cli, tmp_path, missing):
    template = municipal_template(tmp_path / "mall.docx")
    rewrite_parts(template, dict.fromkeys(missing))
    code, err = _generate(cli, template, tmp_path / "ut")
    assert code == 0, err
    _looks_like_the_template(tmp_path / "ut" / "ljungby-policy.docx")


def test_a_template_without_list_definitions_or_with_references_it_cannot_resolve(cli, tmp_path):
    # No numbering part: the policy's bullet lists still get their bullets.
    template = _template(tmp_path, {"word/_rels/document.xml.rels": lambda x: re.sub(
        r'<Relationship [^>]*Target="numbering.xml"/>', "", x)})
    code, err = _generate(cli, template, tmp_path / "ut")
    assert code == 0, err
    word = docx.Document(str(tmp_path / "ut" / "ljungby-policy.docx"))
    assert word.part.numbering_part.element.findall(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}abstractNum")
    # The document's relationships lost: its references to headers lead nowhere and are left out.
    template = _template(tmp_path, {"word/_rels/document.xml.rels": lambda x: re.sub(
        r"<Relationship .*/>", "", x, flags=re.S)}, name="utan-relationer.docx")
    code, err = _generate(cli, template, tmp_path / "ut2")
    assert code == 0, err
    assert docx.Document(str(tmp_path / "ut2" / "ljungby-policy.docx")).paragraphs


# -- templates that are a clear message ---------------------------------------------

@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/footnotes.xml", "word/header1.xml",
                                  "word/_rels/document.xml.rels", "[Content_Types].xml"])
def test_broken_xml_in_a_template_names_the_part(cli, tmp_path, part):
    template = _template(tmp_path, {part: lambda xml: xml[: len(xml) // 2]})
    code, err = _generate(cli, template, tmp_path / "ut")
    assert code == 2 and f"Word-mallen har trasig XML i delen {part} (rad " in err, err
    assert "internt fel" not in err and "Traceback" not in err and "Gör så här:" in err
    assert not (tmp_path / "ut").exists()


def test_broken_xml_in_a_part_the_template_loses_anyway_does_not_matter(cli, tmp_path):
    template = municipal_template(tmp_path / "mall.docx")
    rewrite_parts(template, {"customXml/item1.xml": b"<trasig"})
    code, err = _generate(cli, template, tmp_path / "ut")
    assert code == 0, err


def test_a_damaged_compressed_part_or_a_duplicate_entry_in_a_template(cli, tmp_path):
    clean = municipal_template(tmp_path / "ren.docx").read_bytes()
    damaged = tmp_path / "skadad.docx"
    damaged.write_bytes(damage_deflate(clean, "word/styles.xml"))
    code, err = _generate(cli, damaged, tmp_path / "ut")
    assert code == 2 and "Word-mallen är en skadad .docx (delen word/styles.xml går inte att packa upp)" in err, err
    twice = tmp_path / "dubbel.docx"
    twice.write_bytes(duplicate_part(clean, "word/styles.xml", b"<w:styles/>"))
    code, err = _generate(cli, twice, tmp_path / "ut")
    assert code == 2 and "delen word/styles.xml finns två gånger" in err, err
    assert not (tmp_path / "ut").exists()


@pytest.mark.parametrize("part", ["word/document.xml", "word/settings.xml", "word/footnotes.xml", "word/header1.xml"])
def test_an_external_entity_in_any_part_of_a_template_is_never_read(cli, tmp_path, part):
    secret = tmp_path / "hemlig.txt"
    secret.write_text("HEMLIGTINNEHALL", encoding="utf-8")

    def with_entity(xml: str) -> str:
        xml = re.sub(r"^<\?xml[^>]*\?>", "", xml.lstrip())
        root_end = xml.index(">") + 1
        return (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
                + xml[:root_end] + "<!-- &e; -->" + xml[root_end:]).replace("<w:t>", "<w:t>&e;", 1)

    template = _template(tmp_path, {part: with_entity})
    code, err = _generate(cli, template, tmp_path / "ut")
    assert code == 0, err
    with zipfile.ZipFile(tmp_path / "ut" / "ljungby-policy.docx") as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"HEMLIGT" not in everything and b"DOCTYPE" not in everything


# -- the same files as drafts ---------------------------------------------------------

DRAFT_BODY = (para(r("Policy för samverkan med sociala företag"), style="Title")
              + para(r("Kommunen skall ge sociala företag råd om upphandling."))
              + para(r("Näringslivsenheten följer upp arbetet varje år och rapporterar till kommunstyrelsen.")))
DRAFT_STYLES = style("Title", "Title")


def _draft(tmp_path: Path) -> Path:
    return write_docx(tmp_path / "utkast.docx", DRAFT_BODY, styles=DRAFT_STYLES)


def _findings(cli, path: Path) -> list[tuple[str, str]]:
    code, out, err = cli("lint", path, "--format", "json", "--min-severity", "info")
    assert code in (0, 1), err
    return [(f["rule"], f["evidence"]) for f in json.loads(out)["findings"]]


def test_a_strict_open_xml_draft_reads_as_its_transitional_twin(cli, tmp_path):
    draft = _draft(tmp_path)
    strict = tmp_path / "strikt.docx"
    strict.write_bytes(as_strict(draft.read_bytes()))
    assert _findings(cli, strict) == _findings(cli, draft)
    assert any(rule == "KS01" for rule, _ in _findings(cli, strict))
    code, _, err = cli("lint", strict, "--annotate", tmp_path / "strikt-granskad.docx")
    assert code in (0, 1), err
    assert any("KS01" in c.text for c in docx.Document(str(tmp_path / "strikt-granskad.docx")).comments)


def test_word_drafts_with_a_header_table_or_without_a_normal_style(cli, tmp_path):
    word = docx.Document()
    header = word.sections[0].header
    header._element.remove(header.paragraphs[0]._element)
    header.add_table(1, 2, docx.shared.Cm(10)).cell(0, 0).text = "Sollefteå kommun"
    word.add_paragraph("Policy för samverkan med sociala företag", style="Title")
    word.add_paragraph("Kommunen skall ge sociala företag råd om upphandling.")
    buffer = io.BytesIO()
    word.save(buffer)
    with_table = tmp_path / "tabellhuvud.docx"
    with_table.write_bytes(buffer.getvalue())
    without_normal = tmp_path / "utan-normal.docx"
    without_normal.write_bytes(edit_package(buffer.getvalue(), {"word/styles.xml": lambda xml: re.sub(
        r'<w:style [^>]*w:styleId="Normal".*?</w:style>', "", xml, flags=re.S)}))
    for draft in (with_table, without_normal):
        code, out, err = cli("lint", draft, "--format", "json", "--annotate", tmp_path / f"g-{draft.name}")
        assert code in (0, 1), err
        assert json.loads(out)["kommun"] == "Sollefteå kommun"  # read from the table in the header
        assert docx.Document(str(tmp_path / f"g-{draft.name}")).comments


@pytest.mark.parametrize("kind, expected", [
    ("tom brödtext", "Word-dokumentet innehåller ingen text"),
    ("trasig XML", "Word-dokumentet har trasig XML i delen word/document.xml (rad 1, tecken"),
    ("trasiga formatmallar", "Word-dokumentet har trasig XML i delen word/styles.xml (rad 1, tecken"),
    ("skadad komprimering", "är en skadad .docx (delen word/document.xml går inte att packa upp)"),
    ("dubbla delar", "är en skadad .docx (delen word/document.xml finns två gånger)"),
])
def test_broken_drafts_are_clear_messages(cli, tmp_path, kind, expected):
    draft = _draft(tmp_path)
    data = draft.read_bytes()
    with zipfile.ZipFile(draft) as archive:
        document = archive.read("word/document.xml")
    if kind == "tom brödtext":
        data = edit_package(data, {"word/document.xml": lambda xml: re.sub(r"<w:body>.*</w:body>", "<w:body/>", xml)})
    elif kind == "trasig XML":
        data = edit_package(data, {"word/document.xml": lambda xml: xml[: len(xml) // 2]})
    elif kind == "trasiga formatmallar":
        data = edit_package(data, {"word/styles.xml": lambda xml: xml.replace("<w:style ", "<w:style w:x=", 1)})
    elif kind == "skadad komprimering":
        data = damage_deflate(data, "word/document.xml")
    else:
        data = duplicate_part(data, "word/document.xml", document)
    draft.write_bytes(data)
    target = tmp_path / "granskad.docx"
    code, out, err = cli("lint", draft, "--annotate", target)
    assert code == 2 and expected in err and str(draft) in err, err
    assert "internt fel" not in err and "Traceback" not in err and "Gör så här:" in err
    assert not target.exists()


def test_an_external_entity_in_a_draft_is_never_read(cli, tmp_path):
    secret = tmp_path / "hemlig.txt"
    secret.write_text("HEMLIGTINNEHALL", encoding="utf-8")
    draft = _draft(tmp_path)
    draft.write_bytes(edit_package(draft.read_bytes(), {"word/document.xml": lambda xml: xml.replace(
        "?>", f'?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>', 1).replace(
        "Kommunen skall", "Kommunen &e; skall", 1)}))
    target = tmp_path / "granskad.docx"
    code, out, err = cli("lint", draft, "--format", "json", "--annotate", target)
    assert code in (0, 1), err
    assert "HEMLIGT" not in out + err
    # The text around the reference is still read and linted.
    assert any(f["rule"] == "KS01" for f in json.loads(out)["findings"])
    with zipfile.ZipFile(target) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"HEMLIGT" not in everything and b"DOCTYPE" not in everything
    docx.Document(str(target))


# -- the variations combined ----------------------------------------------------------

VARIATIONS = {
    "mall (.dotx)": lambda data: edit_package(data, {"[Content_Types].xml": lambda x: x.replace(DOCUMENT_MAIN,
                                                                                               TEMPLATE_MAIN)}),
    "utan innehållstyper": lambda data: _without(data, "[Content_Types].xml"),
    "utan paketrelationer": lambda data: _without(data, "_rels/.rels"),
    "utan numrering": lambda data: edit_package(data, {"word/_rels/document.xml.rels": lambda x: re.sub(
        r'<Relationship [^>]*Target="numbering.xml"/>', "", x)}),
    "med DOCTYPE": lambda data: edit_package(data, {"word/styles.xml": lambda x: re.sub(
        r"^<\?xml[^>]*\?>", '<?xml version="1.0"?><!DOCTYPE w:styles [<!ENTITY x "y">]>', x.lstrip())}),
    "Strict Open XML": as_strict,
}


def _without(data: bytes, part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info))
    return out.getvalue()


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(list(VARIATIONS)), min_size=2, max_size=4, unique=True))
def test_template_variations_combined_still_simply_work(cli, tmp_path_factory, variations):
    folder = tmp_path_factory.mktemp("mallar")
    data = municipal_template(folder / "ren.docx").read_bytes()
    for variation in variations:
        data = VARIATIONS[variation](data)
    template = folder / "mall.docx"
    template.write_bytes(data)
    code, err = _generate(cli, template, folder / "ut")
    assert code == 0, (variations, err)
    _looks_like_the_template(folder / "ut" / "ljungby-policy.docx")
