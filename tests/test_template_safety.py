"""A --reference-docx contributes layout, never code or links out of the
document (issue 14, item 4). The hostile template is built here from a clean
municipal template."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx

from conftest import EXAMPLES
from template_factory import edit_package, municipal_template

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MS_REL = "http://schemas.microsoft.com/office/2006/relationships"


def _hostile_template(path: Path) -> Path:
    clean = municipal_template(path).read_bytes()
    document_rels = (
        f'<Relationship Id="rIdVba" Type="{_MS_REL}/vbaProject" Target="vbaProject.bin"/>'
        f'<Relationship Id="rIdCustom" Type="{_REL}/customXml" Target="../customXml/item9.xml"/>'
        f'<Relationship Id="rIdAx" Type="{_REL}/control" Target="activeX/activeX1.xml"/>'
        f'<Relationship Id="rIdOut" Type="{_REL}/hyperlink" Target="http://example.invalid/spårning" '
        'TargetMode="External"/>')
    settings_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     f'<Relationship Id="rIdTpl" Type="{_REL}/attachedTemplate" '
                     'Target="file://server/mallar/makro.dotm" TargetMode="External"/></Relationships>')
    hostile = edit_package(clean, parts={
        "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro",
        "customXml/item9.xml": b"<data>hemligt</data>",
        "word/activeX/activeX1.xml": b"<ax/>",
        "word/_rels/settings.xml.rels": settings_rels.encode(),
    }, edits={
        "word/_rels/document.xml.rels": lambda xml: xml.replace("</Relationships>", document_rels + "</Relationships>"),
        "word/settings.xml": lambda xml: re.sub(r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rIdTpl"/>',
                                                xml, count=1),
        "[Content_Types].xml": lambda xml: xml.replace("</Types>", '<Override PartName="/word/vbaProject.bin" '
                                                       'ContentType="application/vnd.ms-office.vbaProject"/></Types>'),
    })
    path.write_bytes(hostile)
    return path


def test_a_template_with_macros_and_links_gives_a_self_contained_document(cli, tmp_path):
    template = _hostile_template(tmp_path / "mall.docx")
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path / "ut", "--doc", "policy",
                       "--reference-docx", template)
    assert code == 0, err
    result = tmp_path / "ut" / "ljungby-policy.docx"
    with zipfile.ZipFile(result) as archive:
        names = archive.namelist()
        everything = b"".join(archive.read(name) for name in names)
    assert not [n for n in names if "vbaProject" in n or n.startswith(("customXml/", "word/activeX/"))]
    external = re.findall(rb'<Relationship [^>]*TargetMode="External"[^>]*>', everything)
    # Only the document's own source links (footnotes) point out; nothing from the template does.
    assert all(b"/hyperlink" in rel and b"example.invalid" not in rel for rel in external)
    assert b"attachedTemplate" not in everything and b"makro.dotm" not in everything
    assert b"example.invalid" not in everything and b"hemligt" not in everything
    # The layout the template is for is still there: the logo in the header and the margins.
    word = docx.Document(str(result))
    assert word.sections[0].header.part.related_parts and round(word.sections[0].left_margin.cm, 1) == 3.0


def _edited_default(edits: dict) -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return edit_package(buffer.getvalue(), edits)


def _template_variants(folder: Path) -> dict[str, Path]:
    """Real municipal templates vary; each of these is built from Word's default."""
    variants = {
        "utan sektion": {"word/document.xml": lambda xml: re.sub(r"<w:sectPr.*?</w:sectPr>", "", xml, flags=re.S)},
        "tom brödtext": {"word/document.xml": lambda xml: re.sub(r"<w:body>.*</w:body>", "<w:body/>", xml,
                                                                 flags=re.S)},
        "utan Normal": {"word/styles.xml": lambda xml: re.sub(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', "",
                                                              xml, flags=re.S)},
    }
    paths = {}
    for name, edits in variants.items():
        paths[name] = folder / f"{name}.docx"
        paths[name].write_bytes(_edited_default(edits))
    word = docx.Document()
    header = word.sections[0].header
    header._element.remove(header.paragraphs[0]._element)
    header.add_table(1, 2, docx.shared.Cm(10))
    paths["sidhuvud med bara en tabell"] = folder / "tabellhuvud.docx"
    word.save(str(paths["sidhuvud med bara en tabell"]))
    return paths


def test_templates_that_real_municipalities_have_simply_work(cli, tmp_path):
    for name, template in _template_variants(tmp_path).items():
        out = tmp_path / name
        code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", out, "--doc", "policy",
                           "--reference-docx", template)
        assert code == 0, (name, err)
        word = docx.Document(str(out / "ljungby-policy.docx"))
        assert any("Ljungby" in p.text for p in word.sections[0].header.paragraphs), name
        code, _, err = cli("lint", out / "ljungby-policy.docx")
        assert code in (0, 1), (name, err)


def test_broken_templates_are_clear_messages(cli, tmp_path):
    broken = {
        "trasig XML": _edited_default({"word/styles.xml": lambda xml: xml[: len(xml) // 2]}),
    }
    for name, data in broken.items():
        template = tmp_path / f"{name}.docx"
        template.write_bytes(data)
        code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path / "ut", "--doc", "policy",
                           "--reference-docx", template)
        assert code == 2 and "Word-mallen" in err and "internt fel" not in err, (name, err)
    assert not (tmp_path / "ut").exists()


def test_an_external_entity_in_a_template_is_never_fetched(cli, tmp_path):
    secret = tmp_path / "hemlig.txt"
    secret.write_text("HEMLIGTINNEHALL", encoding="utf-8")
    template = tmp_path / "xxe.docx"
    template.write_bytes(_edited_default({"word/styles.xml": lambda xml: re.sub(
        r"(<w:styles[^>]*>)", r"\1<w:latentStyles w:count='&e;'/>", xml.replace(
            "?>", f'?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>', 1), count=1)}))
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path / "ut", "--doc", "policy",
                       "--reference-docx", template)
    assert code in (0, 2) and "internt fel" not in err and "HEMLIGT" not in err
    if code == 0:
        with zipfile.ZipFile(tmp_path / "ut" / "ljungby-policy.docx") as archive:
            assert not any(b"HEMLIGT" in archive.read(name) for name in archive.namelist())


_FIELDS_IN_HEADER = (
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> INCLUDEPICTURE "\\\\\\\\angripare\\\\dela\\\\bild.png" \\d </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Bildtext</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    '<w:p><w:fldSimple w:instr=" INCLUDETEXT &quot;file:///etc/passwd&quot; "><w:r><w:t>Inkluderat</w:t></w:r>'
    '</w:fldSimple></w:p>'
    '<w:p><w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "><w:r><w:t>DDE</w:t></w:r></w:fldSimple>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> LINK Excel.Sheet.8 "http://spara.invalid/x" '
    '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:t xml:space="preserve">Sida </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


def test_template_fields_that_fetch_or_include_are_removed_and_update_fields_is_dropped(cli, tmp_path):
    clean = municipal_template(tmp_path / "ren.docx").read_bytes()

    def header(xml: str) -> str:
        return xml.replace("</w:hdr>", _FIELDS_IN_HEADER + "</w:hdr>")

    hostile = edit_package(clean, edits={
        "word/header2.xml": header, "word/header1.xml": header,
        "word/settings.xml": lambda xml: re.sub(r"(<w:settings[^>]*>)", r'\1<w:updateFields w:val="true"/>', xml,
                                                count=1),
    })
    template = tmp_path / "mall.docx"
    template.write_bytes(hostile)
    from policygen.render.docx.template_safety import clean_template

    with zipfile.ZipFile(io.BytesIO(clean_template(hostile))) as archive:
        cleaned = {name: archive.read(name) for name in archive.namelist()}
    everything = b"".join(cleaned.values())
    for code in (b"INCLUDEPICTURE", b"INCLUDETEXT", b"DDEAUTO", b"LINK Excel", b"angripare", b"spara.invalid"):
        assert code not in everything, code
    assert b"updateFields" not in cleaned["word/settings.xml"]
    headers = b"".join(v for k, v in cleaned.items() if k.startswith("word/header"))
    assert b"Bildtext" in headers and b"Inkluderat" in headers     # what the field showed stays as text
    assert b" PAGE " in headers                                    # page numbers are kept
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path / "ut", "--doc", "policy",
                       "--reference-docx", template)
    assert code == 0, err
    with zipfile.ZipFile(tmp_path / "ut" / "ljungby-policy.docx") as archive:
        generated = b"".join(archive.read(name) for name in archive.namelist())
    assert b"INCLUDEPICTURE" not in generated and b"angripare" not in generated and b"DDEAUTO" not in generated
