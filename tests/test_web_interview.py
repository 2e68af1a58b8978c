"""The interview without a browser: the step file is checked against the
profile schema, the answers carried in the page cannot break the service,
nothing empty reaches the profile, and wrong uploads say what they are."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policygen.errors import UserError
from policygen.web import interview as iv
from web_client import PageClient, page_app
from web_drafts import word_draft


@pytest.fixture(scope="module")
def client():
    with PageClient(page_app(workers=1), raise_server_exceptions=False) as test_client:
        yield test_client


def post(client, **fields: str):
    body = urllib.parse.urlencode({key.replace("__", "."): value for key, value in fields.items()})
    return client.post("/skapa/intervju", content=body, headers={"content-type": "application/x-www-form-urlencoded"})


def state(html: str) -> dict:
    found = re.search(r'name="svar" value="([^"]*)"', html)
    import html as h
    return json.loads(h.unescape(found.group(1)))


def summary(html: str) -> list[str]:
    block = re.search(r'<div class="felsammanfattning".*?</div>', html, re.S)
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', block.group(0)) if block else []


def test_every_step_of_the_shipped_file_points_at_the_schema():
    steps = iv.steps()
    assert [s.id for s in steps] == ["organisation", "beslut", "ansvar", "samordning", "extern", "upphandling",
                                     "iop", "stod", "handlingsplan", "uppfoljning"]
    assert all(q.label and "TODO" not in q.help for s in steps for q in s.questions)


def test_a_question_about_a_field_the_schema_lacks_is_refused_with_its_line(tmp_path: Path):
    bad = tmp_path / "intervju.yaml"
    bad.write_text("steg:\n  - id: ansvar\n    rubrik: Ansvar\n    falt:\n      - falt: ansvar.namdn\n",
                   encoding="utf-8")
    with pytest.raises(UserError) as caught:
        iv.load_steps(bad)
    assert "ansvar.namdn" in caught.value.message and caught.value.line == 5


def test_a_condition_on_a_text_field_is_refused(tmp_path: Path):
    bad = tmp_path / "intervju.yaml"
    bad.write_text("steg:\n  - id: iop\n    rubrik: IOP\n    falt:\n      - falt: iop.kontakt\n"
                   "        nar: {falt: ansvar.namnd, ar: ja}\n", encoding="utf-8")
    with pytest.raises(UserError, match="ja/nej"):
        iv.load_steps(bad)


def test_the_style_decides_the_decision_blocks():
    assert [key for key, _ in iv.decision_blocks("ljungby")] == ["policy", "handlingsplan"]
    assert "riktlinje" not in [key for key, _ in iv.decision_blocks("markaryd")]


@pytest.mark.parametrize("typed,found", [("Gotland", "0980"), ("0980", "0980"), ("malmö", "1280"),
                                         ("0781", "0781")])
def test_organisation_by_name_or_code(typed, found):
    data, problem = iv.choose_organisation({}, typed)
    assert problem is None and data["kommun"]["kommunkod"] == found


@pytest.mark.parametrize("typed", ["2548", "Atlantis", "9999"])
def test_unknown_organisation_is_refused(typed):
    _, problem = iv.choose_organisation({}, typed)
    assert problem and typed in problem


def test_an_uploaded_code_of_no_kommun_is_a_problem_on_the_first_step():
    problem = iv.organisation_problem({"kommun": {"namn": "Ljungby", "kommunkod": "2548"}})
    assert problem and "2548" in problem


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
                    max_leaves=30))
def test_clean_never_keeps_empty_or_none(value):
    def empty(node) -> bool:
        if isinstance(node, dict):
            return not node or any(empty(v) for v in node.values())
        if isinstance(node, list):
            return not node or any(empty(v) for v in node)
        return node is None or (isinstance(node, str) and not node.strip())

    cleaned = iv.clean(value)
    assert cleaned is None or not empty(cleaned)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_carried_state_is_read_as_answers_or_none(text):
    assert isinstance(iv.state_from_text(text), dict)


def test_deeply_nested_state_is_no_error():
    assert iv.state_from_text("[" * 100_000) == {}


def test_rows_removed_and_empty_rows_never_reach_the_profile(client):
    first = post(client, skydd="", svar="{}", steg="0", kommun__namn="Ljungby", stil="markaryd", atgard="nasta")
    data = state(first.text)
    response = post(client, svar=json.dumps(data), steg="3", atgard="bort:intern_samordning.deltagare:1",
                    **{"intern_samordning.deltagare.0": "Socialförvaltningen", "intern_samordning.deltagare.1": "X",
                       "intern_samordning.deltagare.2": "  ", "intern_samordning.deltagare.3": "Upphandlingsenheten"})
    assert state(response.text)["intern_samordning"]["deltagare"] == ["Socialförvaltningen", "Upphandlingsenheten"]


def test_problems_name_the_visible_label_never_the_key(client):
    first = post(client, svar="{}", steg="0", kommun__namn="Ljungby", stil="markaryd", atgard="nasta")
    response = post(client, svar=json.dumps(state(first.text)), steg="2", atgard="nasta")
    assert response.status_code == 400
    messages = summary(response.text)
    assert len(messages) == 3
    assert all("ansvar." not in m and "'" not in m for m in messages)
    assert any("Nämnd eller styrelse med det politiska ansvaret" in m for m in messages)


def test_a_bad_date_is_reported_with_the_other_problems(client):
    first = post(client, svar="{}", steg="0", kommun__namn="Ljungby", stil="ljungby", atgard="nasta")
    response = post(client, svar=json.dumps(state(first.text)), steg="1", atgard="nasta",
                    **{"dokument.policy.beslutad_av": "Kommunfullmäktige", "dokument.policy.datum": "2027-02-30"})
    messages = summary(response.text)
    assert any("inget datum" in m for m in messages) and any("Diarienummer" in m for m in messages)


def test_a_word_file_as_profile_says_what_it_is(client, tmp_path):
    draft = word_draft(tmp_path / "beslut.docx").read_bytes()
    response = client.post("/skapa/intervju/ladda-upp", files={"profil": ("beslut.docx", draft)},
                           data={"svar": "{}", "steg": "0"})
    assert response.status_code == 422
    assert "Word-fil" in response.text and "UTF-8" not in response.text and ".yaml" in response.text


def test_a_starter_profile_upload_leaves_todo_hints_out(client):
    from policygen.generate.starter_profile import starter_profile

    text = starter_profile("Ljungby", "markaryd").encode("utf-8")
    response = client.post("/skapa/intervju/ladda-upp", files={"profil": ("profil.yaml", text)},
                           data={"svar": "{}", "steg": "0"})
    assert response.status_code == 200
    assert "TODO" not in json.dumps(state(response.text))
