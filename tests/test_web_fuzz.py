"""Random form values and files never give a server error: whatever a user
(or anyone on the intranet) posts, the answer is a page or a Swedish 4xx."""

from __future__ import annotations

import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web_client import PageClient, page_app

# Field names the profile form really has, mixed with invented ones and
# indexes far outside the rows shown.
_NAMES = st.sampled_from([
    "stil", "kommun.namn", "kommun.kommunkod", "ansvar.namnd", "ansvar.ovriga.0.vem", "ansvar.ovriga.7.uppgift",
    "intern_samordning.deltagare.0", "intern_samordning.deltagare.99999", "upphandling.sociala_hansyn",
    "iop.anvands", "handlingsplan.aktiviteter.0.aktivitet", "handlingsplan.aktiviteter.-1.ansvarig",
    "dokument.policy.datum", "dokument.policy.versioner.0.datum", "dokument_val", "atgard", "okänt.fält",
    "kommun", "ansvar", "handlingsplan.aktiviteter",
])
_VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["ja", "nej", "TODO: ja eller nej (förslag: ja)", "Kiruna", "2584", "markaryd", "ljungby",
                     "policy", "handlingsplan", "docx:policy", "pdf:policy", "yaml", "forhandsgranska",
                     "rad:handlingsplan.aktiviteter", "rad:finns.inte", "2027-02-30", "{{ 7*7 }}",
                     "<script>alert(1)</script>", "\x00", "0" * 500]),
)
_FILE_HEADS = st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.4\n", b"\xef\xbb\xbf", b"\xff\xfe", b"<?xml"])


@pytest.fixture(scope="module")
def client():
    with PageClient(page_app(workers=2), raise_server_exceptions=False) as test_client:
        yield test_client


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.lists(st.tuples(_NAMES, _VALUES), max_size=25))
def test_random_profile_forms_never_give_a_server_error(client, fields):
    base = [("stil", "markaryd"), ("kommun.namn", "Kiruna")]
    body = urllib.parse.urlencode(base + fields)
    response = client.post("/skapa/profil", content=body,
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code < 500, response.text[:500]
    assert "Traceback" not in response.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=40), suffix=st.sampled_from([".docx", ".pdf", ".txt", ".md", ".exe", ""]),
       head=_FILE_HEADS, body=st.binary(max_size=2000),
       doc_type=st.sampled_from(["", "policy", "riktlinje", "x"]), kommun=st.text(max_size=20))
def test_random_uploads_never_give_a_server_error(client, name, suffix, head, body, doc_type, kommun):
    response = client.post("/granska", files={"utkast": (name + suffix, head + body, "application/octet-stream")},
                           data={"doc_type": doc_type, "kommun": kommun})
    assert response.status_code < 500, response.text[:500]
    assert "Traceback" not in response.text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=3000) | st.text(max_size=3000).map(lambda t: t.encode("utf-8")))
def test_random_profile_uploads_never_give_a_server_error(client, content):
    response = client.post("/skapa/ladda-upp", files={"profil": ("profil.yaml", content, "text/yaml")})
    assert response.status_code < 500, response.text[:500]


@pytest.mark.parametrize("query", ["kommun=&stil=", "kommun=Kiruna&stil=okänd", "kommun=%00", "stil=ljungby"])
def test_odd_start_queries_are_4xx(client, query):
    response = client.get("/skapa/profil?" + query)
    assert 400 <= response.status_code < 500
