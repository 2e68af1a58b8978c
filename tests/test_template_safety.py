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
from template_factory import municipal_template

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MS_REL = "http://schemas.microsoft.com/office/2006/relationships"


def _add(package: bytes, parts: dict[str, bytes], edits: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in edits:
                data = edits[item.filename](data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


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
    hostile = _add(clean, {
        "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro",
        "customXml/item9.xml": b"<data>hemligt</data>",
        "word/activeX/activeX1.xml": b"<ax/>",
        "word/_rels/settings.xml.rels": settings_rels.encode(),
    }, {
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
