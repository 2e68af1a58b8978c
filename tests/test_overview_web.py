"""/oversikt without a browser: a zip of documents or an archive in, the
self-contained page out with its own Content-Security-Policy; nothing is
stored unless the server was started with an archive."""

from __future__ import annotations

import io
import sqlite3
import zipfile

import pytest
from starlette.testclient import TestClient

import overview_documents as docs
from policygen.web.app import create_app


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as packed:
        for name, text in files.items():
            packed.writestr(name, text)
    return buffer.getvalue()




@pytest.fixture(scope="module")
def documents() -> bytes:
    return zipped({"ljungby-policy.md": docs.policy("Ljungby"),
                   "Markaryd/plan.md": docs.keep_sections(docs.policy("Markaryd"), []),
                   "../utanfor.md": docs.policy("Alvesta"),        # never written outside the temporary folder
                   "bild.png": "inte ett dokument"})


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(workers=1), raise_server_exceptions=False) as test_client:
        yield test_client


def post(client, content: bytes, name: str = "dokument.zip"):
    return client.post("/oversikt", files={"underlag": (name, content, "application/octet-stream")})


def test_the_form_says_nothing_is_stored(client):
    response = client.get("/oversikt")
    assert response.status_code == 200
    assert "Inget sparas" in response.text and 'name="underlag"' in response.text
    assert client.get("/oversikt/senaste").status_code == 404


def test_a_zip_gives_the_overview_page_with_its_own_policy(client, documents):
    response = post(client, documents)
    assert response.status_code == 200, response.text[:500]
    assert ">Ljungby</a>" in response.text and ">Markaryd</a>" in response.text
    assert ">Alvesta</a>" not in response.text
    policy = response.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; style-src 'sha256-") and "frame-ancestors 'none'" in policy
    assert 'download="oversikt.csv"' in response.text and "data:text/csv;charset=utf-8;base64," in response.text
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("content, message", [
    (b"hej hej", "varken en zip-fil eller ett policygen-arkiv"),
    (zipped({"bild.png": "x"}), "inga dokument"),
    (zipped({"anteckningar.md": "# Anteckningar\n\nInget om någon kommun.\n"}), "knytas till en kommun"),
    (b"PK\x03\x04trasig", "går inte att öppna"),
])
def test_bad_uploads_get_a_swedish_answer(client, content, message):
    response = post(client, content)
    assert response.status_code == 422 and message in response.text and "Traceback" not in response.text


def test_no_file_asks_for_one(client):
    response = client.post("/oversikt", files={"annat": ("", b"", "text/plain")})
    assert response.status_code == 400 and "Välj en zip-fil" in response.text


def test_a_server_with_an_archive_keeps_each_run_and_shows_the_latest(documents, tmp_path):
    archive = tmp_path / "server.sqlite"
    with TestClient(create_app(workers=1, archive=archive), raise_server_exceptions=False) as client:
        assert "sparar översikterna i ett arkiv" in client.get("/oversikt").text
        assert post(client, documents).status_code == 200
        assert post(client, documents).status_code == 200
        latest = client.get("/oversikt/senaste")
        assert latest.status_code == 200 and "Förändring sedan" in latest.text
    assert sqlite3.connect(archive).execute("SELECT count(*) FROM runs").fetchone()[0] == 2
    # The archive uploaded to a server without one: read, shown, not stored.
    with TestClient(create_app(workers=1), raise_server_exceptions=False) as client:
        shown = post(client, archive.read_bytes(), "server.sqlite")
        assert shown.status_code == 200 and ">Ljungby</a>" in shown.text and "Över tid" in shown.text
