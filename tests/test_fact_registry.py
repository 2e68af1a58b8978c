"""The fact registry (lint_rules/faktaregister.yaml): facts with periods and
sources, validated when loaded, listed by `policygen fakta`, kept checked, and
the ground every fact finding names."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from policygen.errors import UserError
from policygen.facts.listing import overdue, template_facts
from policygen.facts.registry import load_registry, parse_ref
from policygen.infra.resources import lint_rules_dir
from policygen.lint.engine import lint_documents
from policygen.lint.examples import lint_text, text_example_document

REGISTRY = lint_rules_dir() / "faktaregister.yaml"


def test_the_registry_answers_as_of_a_date():
    registry = load_registry()
    limit = registry.limit("direktupphandling-lou")
    assert limit.at(date(2026, 12, 7)).amount == 700_000
    assert limit.at(date(2021, 12, 31)).amount == 615_312
    assert limit.at(date(2022, 1, 15)).amount == 626_284
    assert limit.at(date(2014, 6, 1)).amount == 270_964
    assert registry.current_law("lou-2007", date(2026, 12, 7)).sfs == "2016:1145"
    assert registry.law_by_sfs("2016:1146").short == "LUF"
    assert parse_ref("19 a kap. 11 §").text() == "19 a kap. 11 §"


def test_every_fact_that_can_change_was_checked_within_a_year():
    late = overdue(load_registry(), date.today())
    assert late == [], "kontrollera mot källan och uppdatera checked: för " + ", ".join(f.id for f in late)


def test_every_limit_period_follows_the_one_before():
    for limit in load_registry().limits:
        for earlier, later in zip(limit.amounts, limit.amounts[1:]):
            assert earlier.period.end is not None and later.period.start is not None
            assert (later.period.start - earlier.period.end).days == 1, limit.id


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = REGISTRY.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "faktaregister.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, message, at", [
    ("      - {amount: 586907, percent_of_threshold: 28, from: 2018-01-01, to: 2019-12-31}",
     "      - {amount: 586907, percent_of_threshold: 28, from: 2018-01-01, to: 2020-06-30}",
     "perioderna följer inte på varandra", "{amount: 615312"),
    ("    sources: [sfs-2016-1146]\n", "    sources: [sfs-2016-9999]\n", "källan sfs-2016-9999 finns inte",
     "sfs-2016-9999"),
    ("  - id: luf\n", "  - id: lou\n", "id:t lou används två gånger", "  - id: lou\n    sfs: \"2016:1146\""),
    ("    replaced_by: luf\n", "    replaced_by: luf-2030\n", "lagen luf-2030 finns inte", "luf-2030"),
    ("    ref: 4 kap. 18 §\n    subject: reserverade kontrakt", "    ref: fyra kapitlet\n    subject: reserverade kontrakt",
     "är ingen paragrafhänvisning", "fyra kapitlet"),
])
def test_a_mistake_in_the_registry_names_file_and_line(tmp_path, old, new, message, at):
    path = _broken(tmp_path, old, new)
    with pytest.raises(UserError) as caught:
        load_registry(path)
    text = path.read_text(encoding="utf-8")
    line = text[:text.index(at)].count("\n") + 1
    assert message in caught.value.message and caught.value.file == path.resolve()
    assert caught.value.line == line and caught.value.hint


def test_policygen_fakta_lists_each_fact_with_its_value_period_and_check_date(cli):
    code, out, _ = cli("fakta")
    assert code == 0
    assert "direktupphandling-lou: 700 000 kronor [från 2022-02-01]" in out
    assert "lou-2007: lagen (2007:1091) om offentlig upphandling (LOU), upphävd" in out
    assert "kontrollerad 2026-12-07" in out
    code, out, _ = cli("fakta", "--datum", "2021-05-01", "--historik")
    assert "direktupphandling-lou: 615 312 kronor [2020-01-01 – 2021-12-31]" in out
    assert "270 964 kronor (till 2014-06-30)" in out
    code, _, err = cli("fakta", "--datum", "igår")
    assert code == 2 and "inget datum" in err


# The sentences the fact rules missed before they compared claims with the registry.
MISSED_BEFORE = [
    ("Gränsen för direktupphandling är 626 284 kr.", "FA02"),
    ("Direktupphandling är tillåten upp till 270 964 kr.", "FA02"),
    ("Vi köper direkt från sociala företag när värdet är högst 586 907 kronor.", "FA02"),
    ("Gränsen för direktupphandling är SEK 615312.", "FA02"),
    ("Upphandlingar under 600 000 kronor får göras som direktupphandling.", "FA02"),
    ("Inom försörjningssektorerna får bolaget direktupphandla upp till 1 142 723 kr.", "FA02"),
    ("Direktupphandling regleras i 15 kap. 3 § LOU.", "FA08"),
    ("Upphandlingen följer lag (2016:1146) om offentlig upphandling.", "FA01"),
    ("Ett reserverat kontrakt kräver att 50 procent av de anställda tillhör målgruppen.", "FA09"),
    ("Enligt 4 kap. 3 § LOU ska kommunen ställa sociala krav.", "FA10"),
    ("Med IOP kan kommunen köpa tjänster utan upphandling.", "FA11"),
    ("Kommunen ger bidrag till nystartade sociala företag.", "FA12"),
    ("Regeringens strategi för sociala företag gäller 2018–2030.", "FA13"),
]


@pytest.mark.parametrize("text, rule", MISSED_BEFORE)
def test_claims_of_the_kinds_once_missed_are_found_and_name_their_fact(text, rule):
    [finding] = lint_text(text, rule)
    assert finding.fact is not None and f"faktaregistret: {finding.fact}" in finding.message
    assert "kontrollerat 2026-12-07" in finding.message


def test_a_validity_period_that_has_ended_is_found():
    [finding] = lint_text("Handlingsplanen gäller under perioden 2015-01-01 – 2018-12-31.", "FA06")
    assert finding.span.text == "2015-01-01 – 2018-12-31"


def test_a_historical_sentence_is_silent():
    text = "Kommunens upphandlingspolicy från 2015 hänvisade till lag (2007:1091)."
    result = lint_documents([text_example_document(text)], "policy")[0]
    assert [f for f in result.findings if f.category == "fakta"] == []


def test_the_message_gives_the_period_the_old_limit_had():
    [finding] = lint_text("Gränsen för direktupphandling är 615 312 kr.", "FA02")
    assert "615 312 kronor gällde 2020-01-01 – 2021-12-31" in finding.message
    assert "Sedan 2022-02-01 är direktupphandlingsgränsen enligt LOU 700 000 kronor" in finding.message
    assert finding.replacement == "700 000 kronor"


def test_json_names_the_fact(tmp_path, cli):
    draft = tmp_path / "utkast.txt"
    draft.write_text("Policy för sociala företag\n\nGränsen för direktupphandling är 586 907 kr.\n", encoding="utf-8")
    code, out, _ = cli("lint", draft, "--format", "json")
    facts = [f["fact"] for f in json.loads(out)["findings"] if f["rule"] == "FA02"]
    assert facts == ["direktupphandling-lou"]


def test_templates_read_the_registry_values_of_the_day():
    values = template_facts(load_registry(), date(2026, 12, 7))
    assert values["grans"]["direktupphandling_lou"] == "700 000 kronor"
    assert values["lag"]["lou"]["citat"] == "lagen (2016:1145) om offentlig upphandling"
    assert values["paragraf"]["reserverade_kontrakt"] == "4 kap. 18 §"
    assert values["regel"]["reserverade_kontrakt_andel"]["share_percent"] == 30
    assert template_facts(load_registry(), date(2021, 6, 1))["grans"]["direktupphandling_lou"] == "615 312 kronor"
