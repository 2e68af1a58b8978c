"""The API for other systems (/api/v1), checked against its own OpenAPI
description: the description is a valid OpenAPI 3.1 document, every answer a
test gets is one the description lists for that route (status and content
type) and its JSON body validates against the documented schema, and every
documented answer is met by some test (the last test checks that)."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec
from starlette.testclient import TestClient

from policygen.web.app import create_app
from policygen.web.pool import ServiceBusy, TooManyFromClient
from test_web_app import docx_text
from web_client import TEST_HOST
from web_drafts import word_draft
from web_server import free_port

ROOT = Path(__file__).resolve().parent.parent
KEY = "prov-nyckel-0123456789abcdef"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRAFT_TEXT = ("Policy för samverkan med idéburna organisationer och sociala företag\n\n"
              "Kommunfullmäktige antar policyn. Kommunstyrelsen ansvarar för uppföljningen.\n\n"
              "Kommunen skall samverka med sociala företag genom idéburet offentligt partnerskap.\n")

# (path, method, status) of every answer a test validated
SEEN: set[tuple[str, str, str]] = set()


def api_app(**options: Any) -> Any:
    return create_app(allowed_hosts={TEST_HOST}, workers=1, **options)


@pytest.fixture(scope="module")
def client():
    with TestClient(api_app(), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def keyed():
    # No work runs here before the key is checked; the pool starts on first use.
    with TestClient(api_app(api_key=KEY, load_at_start=False), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def spec(client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").json()


def checked(client: TestClient, response: Any, path: str, method: str) -> Any:
    """`response` as the description promises it for `method path`; recorded as seen."""
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {path} gav {status}, som beskrivningen inte nämner"
    documented = operation["responses"][status]
    media = response.headers.get("content-type", "").split(";")[0]
    assert media in documented.get("content", {}), f"{method} {path} {status}: {media} är inte beskriven"
    if media == "application/json":
        schema = {**documented["content"][media]["schema"], "components": document["components"]}
        OAS31Validator(schema).validate(response.json())
    for header, described in documented.get("headers", {}).items():
        assert header.lower() in response.headers, f"{method} {path} {status}: rubriken {header} saknas"
        if described["schema"].get("type") == "integer":
            assert response.headers[header.lower()].isdigit()
    if response.status_code >= 400:
        body = response.json()
        assert body["status"] == response.status_code
        assert body["fel"] and body["atgard"]
        assert not any(word in body["fel"] for word in ("Traceback", "Error", "Exception"))
    SEEN.add((path, method, status))
    return response


def post_draft(client: TestClient, content: bytes, media: str = "text/plain", query: str = "",
               **headers: str) -> Any:
    response = client.post(f"/api/v1/granska{query}", content=content, headers={"content-type": media, **headers})
    return checked(client, response, "/granska", "post")


def post_profile(client: TestClient, content: bytes | str, media: str = "application/yaml", query: str = "",
                 **headers: str) -> Any:
    response = client.post(f"/api/v1/skapa{query}", content=content, headers={"content-type": media, **headers})
    return checked(client, response, "/skapa", "post")


# -- the description ---------------------------------------------------------------


def test_the_description_is_valid_openapi_3_1(client, keyed):
    for test_client in (client, keyed):
        response = test_client.get("/api/v1/openapi.json")   # needs no key: it only describes
        assert response.status_code == 200
        document = response.json()
        validate_spec(document)
        assert document["openapi"].startswith("3.1")
        assert document["servers"] == [{"url": "http://testserver/api/v1"}]
        SEEN.add(("/openapi.json", "get", "200"))
    assert "security" not in client.get("/api/v1/openapi.json").json()
    assert keyed.get("/api/v1/openapi.json").json()["security"]


def test_every_error_the_description_lists_is_swedish_json(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Fel"}, \
                        (path, method, status)


# -- review ------------------------------------------------------------------------


def test_review_gives_the_json_of_lint_format_json(client, tmp_path, monkeypatch, capsys):
    from policygen import cli

    draft = word_draft(tmp_path / "utkast.docx")
    response = client.post("/api/v1/granska", files={"utkast": ("utkast.docx", draft.read_bytes(), DOCX)})
    checked(client, response, "/granska", "post")
    assert response.status_code == 200
    monkeypatch.chdir(tmp_path)
    cli.main(["lint", "--format", "json", "--no-config", "--quiet", "utkast.docx"])
    assert response.json() == json.loads(capsys.readouterr().out)


def test_review_of_a_body_with_its_type_and_choices(client):
    response = post_draft(client, DRAFT_TEXT.encode(), query="?filnamn=forslag.txt&kommun=0767&doc_type=riktlinje")
    assert response.status_code == 200
    result = response.json()
    assert result["file"] == "forslag.txt"
    assert result["doc_type"] == "riktlinje" and result["kommun"] == "Markaryds kommun"
    assert response.headers["cache-control"] == "no-store"
    assert post_draft(client, DRAFT_TEXT.encode(), "text/markdown").json()["file"] == "utkast.md"


def test_review_errors_are_swedish(client):
    unknown = post_draft(client, DRAFT_TEXT.encode(), query="?kommun=Atlantis")
    assert unknown.status_code == 400 and "Atlantis" in unknown.json()["fel"]
    assert post_draft(client, b"x", query="?doc_type=roman").status_code == 400
    wrong_type = post_draft(client, b"\x89PNG", "image/png")
    assert wrong_type.status_code == 415 and "image/png" in wrong_type.json()["fel"]
    no_field = client.post("/api/v1/granska", files={"annat": ("a.txt", b"x")})
    assert checked(client, no_field, "/granska", "post").status_code == 400
    assert "utkast" in no_field.json()["fel"]
    broken = post_draft(client, b"PK\x03\x04 inte ett riktigt Word-dokument", DOCX, query="?filnamn=trasig.docx")
    assert broken.status_code == 422
    assert broken.json()["plats"] == "trasig.docx" and "policygen-web" not in broken.text
    suffix = client.post("/api/v1/granska", files={"utkast": ("bild.png", b"\x89PNG")})
    assert checked(client, suffix, "/granska", "post").status_code == 422
    assert "'.png' stöds inte" in suffix.json()["fel"]


def test_too_large_and_limits(client):
    huge = client.post("/api/v1/granska", content=b"", headers={"content-type": "text/plain",
                                                                  "content-length": str(60 * 1024 * 1024)})
    assert checked(client, huge, "/granska", "post").status_code == 413
    profile = post_profile(client, b"a: 1\n" * 500_000)          # 2.5 MB: over the profile route's limit
    assert profile.status_code == 413 and "2 MB" in profile.json()["fel"]
    many = post_profile(client, json.dumps({"kommun": {"namn": "Kiruna"}, "x": list(range(6000))}),
                        "application/json")
    assert many.status_code == 413 and "5 000 värden" in many.json()["fel"]


# -- generate ------------------------------------------------------------------------


def test_generate_a_zip_of_the_profiles_documents(client):
    response = post_profile(client, (ROOT / "examples" / "ljungby.yaml").read_bytes())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["policygen-utkast"] in ("ja", "nej")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        assert names == ["ljungby-kommun-policy.docx", "ljungby-kommun-verksamhetsplan.docx"] or \
            all(n.endswith(".docx") for n in names) and len(names) == 2, names
        assert "Ljungby" in docx_text(archive.read(names[0]))
    assert 'filename="' in response.headers["content-disposition"]


def test_generate_one_docx_from_json(client):
    import yaml

    data = yaml.safe_load((ROOT / "examples" / "ljungby.yaml").read_text(encoding="utf-8"))
    response = post_profile(client, json.dumps(data, default=str), "application/json",
                            query="?format=docx&dokument=policy")
    assert response.status_code == 200 and response.headers["content-type"] == DOCX
    assert "Ljungby" in docx_text(response.content)
    upload = client.post("/api/v1/skapa?format=docx&dokument=policy",
                         files={"profil": ("ljungby.yaml", (ROOT / "examples" / "ljungby.yaml").read_bytes())})
    assert checked(client, upload, "/skapa", "post").status_code == 200


def test_generate_a_pdf(client):
    from conftest import require_libreoffice

    require_libreoffice()
    response = post_profile(client, (ROOT / "examples" / "ljungby.yaml").read_bytes(),
                            query="?format=pdf&dokument=policy")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    assert "Ljungby" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_starter_profile_gives_drafts_marked_as_such(client):
    from policygen.generate.starter_profile import starter_profile

    response = post_profile(client, starter_profile("Kiruna", "markaryd"), query="?format=docx&dokument=policy")
    assert response.status_code == 200
    assert response.headers["policygen-utkast"] == "ja"
    assert int(response.headers["policygen-oppna-punkter"]) > 10
    assert "UTKAST" in docx_text(response.content)


def test_generate_errors_are_swedish(client):
    problems = post_profile(client, json.dumps({"kommun": {"namn": "Kiruna"}, "stil": "okänd"}), "application/json")
    assert problems.status_code == 422
    fields = {p["falt"] for p in problems.json()["problem"]}
    assert {"stil", "ansvar"} <= fields
    assert post_profile(client, "kommun: [", query="").status_code == 422
    bad_json = post_profile(client, '{"kommun": ', "application/json")
    assert bad_json.status_code == 422 and bad_json.json()["plats"] == "profilen:1:12"
    assert post_profile(client, "arv: ../hemlig.yaml\n").json()["fel"].startswith("Profiler med 'arv'")
    assert post_profile(client, "[1, 2]").status_code == 422
    assert post_profile(client, "x", query="?format=docx").status_code == 400     # which document?
    assert post_profile(client, "x", query="?format=odt").status_code == 400
    assert post_profile(client, "x", "text/html").status_code == 415
    unknown = post_profile(client, (ROOT / "examples" / "ljungby.yaml").read_bytes(),
                           query="?format=docx&dokument=handlingsplan")
    assert unknown.status_code == 422 and "verksamhetsplan" in unknown.json()["atgard"]
    missing = client.post("/api/v1/skapa", files={"annat": ("p.yaml", b"x")})
    assert checked(client, missing, "/skapa", "post").status_code == 400


def test_pdf_without_libreoffice_is_501(client, monkeypatch):
    monkeypatch.setattr("policygen.web.api.soffice_command", lambda: None)
    response = post_profile(client, "x", query="?format=pdf&dokument=policy")
    assert response.status_code == 501 and "LibreOffice" in response.json()["fel"]


# -- rules, health, routes -----------------------------------------------------------


def test_rule_catalogue(client):
    response = checked(client, client.get("/api/v1/regler"), "/regler", "get")
    rules = response.json()["rules"]
    from policygen.lint.catalog import rule_catalog

    assert [r["id"] for r in rules] == [r.id for r in rule_catalog()]
    assert all(r["message"] and r["why"] for r in rules)


def test_health(client):
    response = client.get("/halsa")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["arbetsprocesser"] >= 1
    assert client.head("/halsa").status_code == 200


def test_unknown_addresses_and_methods_answer_json(client):
    missing = client.get("/api/v1/finns-inte")
    assert missing.status_code == 404 and missing.json()["fel"] == "Adressen finns inte i API:t."
    wrong = client.get("/api/v1/granska")
    assert wrong.status_code == 405 and "metod" in wrong.json()["atgard"]


# -- the guards ----------------------------------------------------------------------


def test_server_clients_pass_and_browsers_from_other_sites_do_not(client):
    # A server sends neither Origin nor Sec-Fetch-Site, and no form token: it is let through.
    assert post_draft(client, DRAFT_TEXT.encode()).status_code == 200
    # Our own page's script (same origin) may call it too.
    assert post_draft(client, DRAFT_TEXT.encode(), **{"sec-fetch-site": "same-origin"}).status_code == 200
    for headers in ({"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"},
                    {"origin": "https://elak.example"}):
        refused = post_draft(client, DRAFT_TEXT.encode(), **headers)
        assert refused.status_code == 403 and "annan webbplats" in refused.json()["fel"]
        refused_profile = post_profile(client, "x", **headers)
        assert refused_profile.status_code == 403
    # A name the server does not answer to (DNS rebinding) is refused, for every route.
    for path, method in (("/granska", "post"), ("/skapa", "post"), ("/regler", "get"), ("/openapi.json", "get")):
        response = client.request(method.upper(), f"/api/v1{path}", headers={"host": "elak.example"})
        assert checked(client, response, path, method).status_code == 400
        assert "namnet" in response.json()["fel"]


def test_the_key_is_required_when_set(keyed):
    no_key = keyed.get("/api/v1/regler")
    assert no_key.status_code == 401 and no_key.json()["fel"].startswith("Anropet saknar API-nyckel")
    assert no_key.headers["www-authenticate"].startswith("Bearer")
    wrong = keyed.get("/api/v1/regler", headers={"authorization": "Bearer " + KEY[:-1] + "x"})
    assert wrong.status_code == 401 and wrong.json()["fel"].startswith("API-nyckeln stämmer inte")
    for path, method in (("/granska", "post"), ("/skapa", "post"), ("/regler", "get")):
        response = keyed.request(method.upper(), f"/api/v1{path}", content=b"x",
                                 headers={"content-type": "text/plain", "x-api-key": "fel"})
        assert checked(keyed, response, path, method).status_code == 401
    assert keyed.get("/api/v1/regler", headers={"authorization": f"Bearer {KEY}"}).status_code == 200
    assert keyed.get("/api/v1/regler", headers={"x-api-key": KEY}).status_code == 200
    # The key guards the API only: the page and the health check are as before.
    assert keyed.get("/").status_code == 200 and keyed.get("/halsa").status_code in (200, 503)


def test_a_full_lane_and_a_greedy_client_answer_with_retry_after(client, monkeypatch):
    pool = _pool(client)
    for error, status in ((TooManyFromClient(7), 429), (ServiceBusy(9), 503)):
        def refuse(kind: str, who: str, error: Exception = error) -> None:
            raise error
        monkeypatch.setattr(pool, "admit", refuse)
        review = post_draft(client, DRAFT_TEXT.encode())
        assert review.status_code == status and review.headers["retry-after"] in ("7", "9")
        assert post_profile(client, "x").status_code == status
    monkeypatch.undo()


def _pool(client: TestClient) -> Any:
    app = client.app
    while not hasattr(app, "state"):
        app = app.app  # type: ignore[attr-defined]
    return app.state.pool


def test_an_unexpected_error_is_a_swedish_500_and_logged_by_kind_only(client, monkeypatch, caplog):
    def broken():
        raise RuntimeError(DRAFT_TEXT)

    monkeypatch.setattr("policygen.web.api.request_folder", broken)
    monkeypatch.setattr("policygen.web.api.rules_json", broken)
    monkeypatch.setattr("policygen.web.api._RULES", [])
    with caplog.at_level(logging.DEBUG):
        assert post_draft(client, DRAFT_TEXT.encode()).status_code == 500
        assert post_profile(client, "x").status_code == 500
        assert checked(client, client.get("/api/v1/regler"), "/regler", "get").status_code == 500
    assert "RuntimeError" in caplog.text and "sociala företag" not in caplog.text


def test_a_trickling_body_is_cut_with_408():
    import asyncio

    app = api_app(load_at_start=False, body_idle_seconds=0.3)
    sent: list[dict[str, Any]] = []

    async def call(path: str, media: bytes) -> None:
        pieces = [b"kommun:"]

        async def receive() -> dict[str, Any]:
            if pieces:   # one piece, then nothing more for longer than the server waits
                return {"type": "http.request", "body": pieces.pop(), "more_body": True}
            await asyncio.sleep(5)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "query_string": b"",
                 "headers": [(b"host", TEST_HOST.encode()), (b"content-type", media)], "client": ("127.0.0.1", 1),
                 "server": (TEST_HOST, 80), "scheme": "http", "http_version": "1.1", "root_path": "",
                 "asgi": {"version": "3.0"}}
        await app(scope, receive, send)

    with TestClient(api_app(load_at_start=False)) as describer:
        for path, media in (("/granska", b"text/plain"), ("/skapa", b"application/yaml")):
            sent.clear()
            asyncio.run(call(f"/api/v1{path}", media))
            start = next(m for m in sent if m["type"] == "http.response.start")
            body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")

            answer = _Answer(start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body)
            assert answer.status_code == 408
            checked(describer, answer, path, "post")


class _Answer:
    """An ASGI answer, read as checked() reads a test client's response."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status_code, self.headers, self.body = status, headers, body

    def json(self) -> Any:
        return json.loads(self.body)


# -- what users control --------------------------------------------------------------

_json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                                        max_size=4), max_leaves=20)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=st.dictionaries(st.sampled_from(["kommun", "stil", "ansvar", "iop", "x", "arv"]), _json_values,
                               max_size=4))
def test_any_json_profile_gets_a_documented_answer(client, profile):
    response = post_profile(client, json.dumps(profile), "application/json", query="?format=docx&dokument=policy")
    assert response.status_code in (200, 413, 422)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
       media=st.sampled_from(["text/plain", "text/markdown", "application/pdf", DOCX, "application/yaml"]))
def test_any_draft_body_gets_a_documented_answer(client, body, media):
    if media == "application/yaml":
        response = post_profile(client, body)
    else:
        response = post_draft(client, body, media)
    assert response.status_code in (200, 413, 422)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc_type=st.text(max_size=20), kommun=st.text(max_size=20), fmt=st.text(max_size=10),
       dokument=st.lists(st.text(max_size=15), max_size=3))
def test_any_query_gets_a_documented_answer(client, doc_type, kommun, fmt, dokument):
    review = client.post("/api/v1/granska", params={"doc_type": doc_type, "kommun": kommun}, content=b"Policy",
                         headers={"content-type": "text/plain"})
    assert checked(client, review, "/granska", "post").status_code in (200, 400)
    generate = client.post("/api/v1/skapa", params=[("format", fmt)] + [("dokument", d) for d in dokument],
                           content=b"stil: ljungby\n", headers={"content-type": "application/yaml"})
    assert checked(client, generate, "/skapa", "post").status_code in (400, 422, 501)


# -- no contents in the log ----------------------------------------------------------


def test_no_document_text_reaches_the_log(tmp_path, caplog, capfd):
    marker = "Hemligtextmarkör-7319"
    draft = word_draft(tmp_path / "utkast.docx", [(None, f"Policy för sociala företag. {marker}")])
    # A fresh service, so its workers write to the captured stderr too.
    with TestClient(api_app(), raise_server_exceptions=False) as fresh, caplog.at_level(logging.DEBUG):
        assert fresh.post("/api/v1/granska", files={"utkast": (f"{marker}.docx", draft.read_bytes())}).status_code \
            == 200
        assert fresh.post(f"/api/v1/granska?filnamn={marker}.docx&kommun={marker}", content=marker.encode() * 50,
                          headers={"content-type": DOCX}).status_code in (400, 422)
        assert fresh.post("/api/v1/granska?filnamn=x.docx", content=b"PK\x03\x04" + marker.encode(),
                          headers={"content-type": DOCX}).status_code == 422
        assert fresh.post("/api/v1/skapa", content=f"kommun:\n  namn: {marker}\nstil: [{marker}".encode(),
                          headers={"content-type": "application/yaml"}).status_code == 422
    captured = capfd.readouterr()
    logged = caplog.text + captured.out + captured.err
    assert "api POST /api/v1/granska 200" in caplog.text
    assert marker not in logged


# -- serve's key options -------------------------------------------------------------


def _serve(monkeypatch, capsys, *arguments: str) -> tuple[int, str]:
    from policygen import cli

    started: list[Any] = []
    monkeypatch.setattr("policygen.web.server.serve", lambda listening, workers, key, archive=None: started.append(key)
                        or listening.sock.close())
    code = cli.main(["serve", "--port", str(free_port()), *arguments])
    return code, capsys.readouterr().err + (f"\nnyckel={started[0]}" if started else "")


def test_serve_reads_the_key_from_a_file_or_the_environment(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("POLICYGEN_API_KEY", raising=False)
    key_file = tmp_path / "api-nyckel"
    key_file.write_text(f"  {KEY}\n", encoding="utf-8")
    code, err = _serve(monkeypatch, capsys, "--api-nyckel-fil", str(key_file))
    assert code == 0 and f"nyckel={KEY}" in err
    monkeypatch.setenv("POLICYGEN_API_KEY", KEY)
    code, err = _serve(monkeypatch, capsys)
    assert code == 0 and f"nyckel={KEY}" in err
    monkeypatch.setenv("POLICYGEN_API_KEY", "kort")
    code, err = _serve(monkeypatch, capsys)
    assert code == 2 and "POLICYGEN_API_KEY: API-nyckeln ska vara minst 16 tecken" in err
    assert "Traceback" not in err
    code, err = _serve(monkeypatch, capsys, "--api-nyckel-fil", str(tmp_path / "saknas"))
    assert code == 2 and "filen med API-nyckeln finns inte" in err and "Gör så här" in err
    (tmp_path / "tom").write_text("\n", encoding="utf-8")
    code, err = _serve(monkeypatch, capsys, "--api-nyckel-fil", str(tmp_path / "tom"))
    assert code == 2 and "API-nyckeln är tom" in err


def test_serve_warns_when_the_api_is_open_to_other_computers(monkeypatch, capsys):
    monkeypatch.delenv("POLICYGEN_API_KEY", raising=False)
    code, err = _serve(monkeypatch, capsys, "--host", "0.0.0.0")
    assert code == 0 and "API:t (/api/v1/) nås från andra datorer utan nyckel" in err
    assert "--api-nyckel-fil" in err
    code, err = _serve(monkeypatch, capsys)                          # only this computer: no warning
    assert code == 0 and "utan nyckel" not in err
    monkeypatch.setenv("POLICYGEN_API_KEY", KEY)
    code, err = _serve(monkeypatch, capsys, "--host", "0.0.0.0")
    assert code == 0 and "utan nyckel" not in err


# -- last: every documented answer was met ------------------------------------------


def test_every_documented_answer_was_validated(spec, request):
    module_tests = [item for item in request.session.items if item.module is request.module]
    if len(module_tests) < 20:
        pytest.skip("gäller bara när hela filen körs")
    documented = {(path, method, status) for path, methods in spec["paths"].items()
                  for method, operation in methods.items() for status in operation["responses"]}
    # 401 is documented in the keyed service's description only.
    documented |= {(path, method, "401") for path, method in (("/granska", "post"), ("/skapa", "post"),
                                                              ("/regler", "get"))}
    assert documented - SEEN == set()
