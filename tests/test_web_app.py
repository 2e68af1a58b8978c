"""The web page without a browser: every route, the security promises, the
generate flow to a DOCX and the review flow to a commented copy."""

from __future__ import annotations

import base64
import io
import re
import tempfile
import urllib.parse
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from policygen.web.app import create_app
from web_drafts import word_draft
from web_forms import form_fields, replace


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(workers=2), raise_server_exceptions=False) as test_client:
        yield test_client


def post_form(client, fields, action: str):
    body = urllib.parse.urlencode(fields + [("atgard", action)])
    return client.post("/skapa/profil", content=body,
                       headers={"content-type": "application/x-www-form-urlencoded"})


def kiruna_form(client) -> list[tuple[str, str]]:
    page = client.get("/skapa/profil", params={"kommun": "Kiruna", "stil": "markaryd"})
    assert page.status_code == 200
    return form_fields(page.text, "/skapa/profil")


def summary_links(html: str) -> list[tuple[str, str]]:
    block = re.search(r'<div class="felsammanfattning".*?</div>', html, re.S)
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', block.group(0)) if block else []


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
        for name in archive.namelist():
            if name.startswith("word/header"):
                xml += archive.read(name).decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml)


# -- every page ------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/skapa", "/granska", "/skapa/profil?kommun=Kiruna&stil=ljungby"])
def test_pages_are_swedish_and_carry_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="sv">' in response.text
    assert 'href="#innehall"' in response.text                      # skip link
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in response.headers
    # No resource from another host, and no inline script or style that the CSP would block.
    assert not re.search(r'(src|href)="(https?:)?//', response.text)
    assert "<style" not in response.text and not re.search(r"<script(?![^>]*src=)", response.text)


def test_unknown_address_is_a_swedish_404(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.text and "Traceback" not in response.text


def test_body_over_the_limit_is_refused_before_it_is_read(client):
    response = client.post("/granska", content=b"x", headers={"content-length": str(60 * 1024 * 1024),
                                                              "content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413
    assert "större än sidan tar emot (50 MB för ett utkast" in response.text


def test_streamed_body_over_the_limit_is_stopped_while_reading():
    small = TestClient(create_app(workers=1, load_at_start=False, max_body_bytes=1000),
                       raise_server_exceptions=False)
    chunks = (b"a" * 400 for _ in range(5))   # no Content-Length: chunked upload
    response = small.post("/granska", content=chunks,
                          headers={"content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413


# -- generate ----------------------------------------------------------------------

def test_starter_form_follows_the_schema(client):
    html = client.get("/skapa/profil", params={"kommun": "Kiruna", "stil": "markaryd"}).text
    assert '<label for="f-ansvar-namnd">Ansvarig nämnd <span class="krav">(krävs)</span></label>' in html
    assert "Nämnd eller styrelse som äger frågan" in html            # the schema's description as help
    # yes/no as radio buttons, with the starter's suggestion kept as an open answer
    assert 'type="radio" id="f-upphandling-sociala_hansyn" name="upphandling.sociala_hansyn" value="ja"' in html
    assert "Inte bestämt än (utkastet använder förslaget ja)" in html
    # the activity table: one header per column, a row per activity and an empty one
    assert re.search(r'<th scope="col">Aktivitet <span class="krav">\(krävs\)</span></th>', html)
    assert 'name="handlingsplan.aktiviteter.1.aktivitet"' in html
    assert 'list="kommunlista"' in html and html.count("<option value=") > 290


def test_unknown_kommun_is_reported_at_the_field(client):
    response = client.get("/skapa/profil", params={"kommun": "Atlantis", "stil": "markaryd"})
    assert response.status_code == 400
    assert summary_links(response.text) == [
        ("f-kommun", "”Atlantis” finns inte bland Sveriges 290 kommuner. Välj en kommun i listan.")]
    assert 'aria-invalid="true"' in response.text


def test_starter_profile_previews_as_draft_and_downloads_a_draft_docx(client):
    fields = kiruna_form(client)
    preview = post_form(client, fields, "forhandsgranska")
    assert preview.status_code == 200
    assert "Så här blir dokumenten" in preview.text
    assert "<strong>UTKAST</strong> – inte färdigt för beslut" in preview.text
    assert "Kiruna kommun" in preview.text
    # the open items are listed and link to their fields
    assert re.search(r'<a href="#f-ansvar-namnd">fältet &#39;ansvar.namnd&#39; är inte ifyllt', preview.text)
    download = post_form(client, fields, "docx:policy")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith('attachment; filename="kiruna-')
    text = docx_text(download.content)
    assert "UTKAST" in text and "Kiruna kommun" in text


def test_filled_in_values_reach_the_document(client):
    fields = replace(kiruna_form(client), ansvar__namnd="Tekniska nämnden",
                     **{"handlingsplan.aktiviteter.0.aktivitet": "Kartlägga sociala företag i Kiruna"})
    preview = post_form(client, fields, "forhandsgranska")
    assert "Tekniska nämnden" in preview.text
    assert "<td>Kartlägga sociala företag i Kiruna</td>" in preview.text


def test_schema_errors_appear_at_the_field_and_in_the_summary(client):
    fields = replace(kiruna_form(client), ansvar__namnd="", kommun__kommunkod="12")
    response = post_form(client, fields, "forhandsgranska")
    assert response.status_code == 400
    links = summary_links(response.text)
    assert ("f-kommun-kommunkod", "&#39;kommun.kommunkod&#39; har fel form: &#39;12&#39;. Gör så här: skriv värdet "
            "i samma form som exemplet, t.ex. 0781.") in links
    assert ("f-ansvar-namnd", "fältet &#39;ansvar.namnd&#39; saknas. Gör så här: fyll i fältet.") in links
    field = re.search(r'<input type="text" id="f-ansvar-namnd"[^>]*>', response.text).group(0)
    assert 'aria-invalid="true"' in field and "f-ansvar-namnd-fel" in field
    assert 'id="f-ansvar-namnd-fel"' in response.text


def test_yes_no_answers_change_the_document(client):
    fields = kiruna_form(client)
    said_no = replace(fields, **{"upphandling.reserverade_kontrakt": "nej"})
    said_yes = replace(fields, **{"upphandling.reserverade_kontrakt": "ja"})
    no_text = post_form(client, said_no, "forhandsgranska").text
    yes_text = post_form(client, said_yes, "forhandsgranska").text
    assert "reserver" in yes_text.lower()
    assert yes_text.lower().count("reserver") > no_text.lower().count("reserver")


def test_adding_a_row_keeps_the_values_and_focuses_the_new_row(client):
    fields = replace(kiruna_form(client), **{"handlingsplan.aktiviteter.0.aktivitet": "Första"})
    response = post_form(client, fields, "rad:handlingsplan.aktiviteter")
    assert 'value="Första"' in response.text
    assert re.search(r'id="f-handlingsplan-aktiviteter-2-aktivitet"[^>]*autofocus', response.text)


def test_profile_yaml_round_trip(client, tmp_path):
    fields = replace(kiruna_form(client), ansvar__namnd="Kommunstyrelsen")
    saved = post_form(client, fields, "yaml")
    assert saved.status_code == 200 and saved.headers["content-type"].startswith("application/yaml")
    reopened = client.post("/skapa/ladda-upp", files={"profil": ("kiruna-profil.yaml", saved.content, "text/yaml")})
    assert reopened.status_code == 200
    assert form_fields(reopened.text, "/skapa/profil") == fields      # every value comes back
    # the same file works on the command line
    from policygen.profile.load import load_profile

    path = tmp_path / "kiruna.yaml"
    path.write_bytes(saved.content)
    profile = load_profile(path)
    assert profile.get("ansvar.namnd") == "Kommunstyrelsen" and profile.open_items


def test_uploaded_profile_may_not_inherit_from_server_files(client):
    response = client.post("/skapa/ladda-upp", files={"profil": ("p.yaml", b"arv: /etc/passwd\n", "text/yaml")})
    assert response.status_code == 422
    assert "arv:" in response.text and "root:" not in response.text


def test_broken_yaml_upload_names_the_line(client):
    response = client.post("/skapa/ladda-upp", files={"profil": ("p.yaml", b"stil: [markaryd\nkommun: x\n", "text/yaml")})
    assert response.status_code == 422
    assert "p.yaml:" in response.text and "YAML-syntaxfel" in response.text


# -- review ------------------------------------------------------------------------

def _downloads(html: str) -> dict[str, bytes]:
    found = re.findall(r'href="data:[^;]+;base64,([^"]+)" download="([^"]+)"', html)
    return {name: base64.b64decode(data) for data, name in found}


def test_review_shows_parts_findings_and_offers_every_download(client, tmp_path):
    draft = word_draft(tmp_path / "utkast.docx")
    before = set(Path(tempfile.gettempdir()).glob("policygen-web-*"))
    response = client.post("/granska", files={"utkast": ("Kirunas utkast.docx", draft.read_bytes(), "application/octet-stream")},
                           data={"doc_type": "policy", "kommun": ""})
    assert response.status_code == 200
    html = response.text
    assert "Kiruna kommun" in html                                   # found from the title
    assert html.count('<th scope="row">') == 12                      # the twelve parts
    assert '<td class="status missing">saknas</td>' in html
    assert "<mark>skall</mark>" in html                              # evidence in its context
    assert "Varför det spelar roll:" in html
    # a suggested clause rendered for Kiruna, not template code
    assert "Klausuler som fyller luckan" in html and "{{" not in html and "Kiruna" in html
    files = _downloads(html)
    assert set(files) == {"Kirunas utkast-granskad.docx", "Kirunas utkast-reviderad.docx",
                          "Kirunas utkast-granskning.html", "Kirunas utkast-granskning.json",
                          "Kirunas utkast-granskning.sarif"}
    assert "Ladda ner reviderat utkast (spårade ändringar)" in html
    with zipfile.ZipFile(io.BytesIO(files["Kirunas utkast-reviderad.docx"])) as archive:
        revised = archive.read("word/document.xml").decode("utf-8")
    assert 'w:author="policygen"' in revised and ">skall</w:delText>" in revised
    with zipfile.ZipFile(io.BytesIO(files["Kirunas utkast-granskad.docx"])) as archive:
        comments = archive.read("word/comments.xml").decode("utf-8")
    assert "policygen" in comments and "skall" in comments
    import json

    assert json.loads(files["Kirunas utkast-granskning.json"])["doc_type"] == "policy"
    assert json.loads(files["Kirunas utkast-granskning.sarif"])["version"] == "2.1.0"
    # nothing of the upload is left on the server
    assert set(Path(tempfile.gettempdir()).glob("policygen-web-*")) == before


def test_text_draft_has_no_commented_copy(client):
    text = "Policy för sociala företag i Kiruna kommun\n\nKommunen samt föreningarna skall träffas.\n"
    response = client.post("/granska", files={"utkast": ("utkast.txt", text.encode(), "text/plain")})
    assert response.status_code == 200
    assert set(_downloads(response.text)) == {"utkast-granskning.html", "utkast-granskning.json",
                                              "utkast-granskning.sarif"}


@pytest.mark.parametrize("name, content, expected", [
    ("trasig.docx", b"PK\x03\x04 inte ett riktigt arkiv", "filen är inte en giltig .docx"),
    ("trasig.pdf", b"%PDF-1.7\n garbage", "trasig.pdf"),
    ("tom.txt", b"", "filen är tom"),
    ("program.exe", b"MZ\x90\x00", "filtypen"),
])
def test_corrupt_or_wrong_files_give_a_swedish_4xx(client, name, content, expected):
    response = client.post("/granska", files={"utkast": (name, content, "application/octet-stream")})
    assert 400 <= response.status_code < 500
    assert expected in response.text and "Traceback" not in response.text
    assert "Gör så här:" in response.text


def test_review_form_errors_link_to_fields(client):
    response = client.post("/granska", data={"kommun": "Atlantis", "doc_type": "roman"})
    assert response.status_code == 400
    assert [target for target, _ in summary_links(response.text)] == ["f-utkast", "f-doc_type", "f-kommun"]


def test_pdf_download_when_the_server_has_libreoffice(client):
    from conftest import require_libreoffice

    require_libreoffice()
    fields = kiruna_form(client)
    assert 'value="pdf:policy"' in post_form(client, fields, "forhandsgranska").text
    response = post_form(client, fields, "pdf:policy")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_a_crashed_worker_is_a_swedish_error_and_the_next_request_works():
    import asyncio
    import os

    from policygen.errors import UserError
    from policygen.web.work import WorkPool

    async def scenario() -> int:
        pool = WorkPool(1)
        try:
            with pytest.raises(UserError, match="arbetet kunde inte slutföras"):
                await pool.run("review", os._exit, 1)      # the worker process dies
            return await pool.run("review", pow, 2, 3)      # new workers take over
        finally:
            pool.close()

    assert asyncio.run(scenario()) == 8


def test_profile_routes_take_at_most_two_megabytes(client):
    big = b"ansvar.namnd=" + b"x" * (3 * 1024 * 1024)
    response = client.post("/skapa/profil", content=big,
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
