"""The fact rules against the table of Swedish sentences they were built on
(benchmarks/fakta-egna.yaml): every sentence must get the verdict the table
gives, in both directions; and every text rule's own examples in lint_rules/
must get theirs, with the exact evidence and replacement where they give one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from policygen.errors import UserError
from policygen.infra.resources import lint_rules_dir
from policygen.kommuner import find_kommun, kommun_mentions
from policygen.lint.examples import lint_text, text_example_outcomes
from policygen.lint.text.checks import run_text_rules
from policygen.lint.text.kinds import DraftFacts, TextUnit
from policygen.lint.text.rules import load_text_rule_file, load_text_rules
from policygen.model import Location
from policygen.nlp.sentences import sentences_of

TABLE = Path(__file__).parent.parent / "benchmarks" / "fakta-egna.yaml"
_TABLE = YAML(typ="safe").load(TABLE.read_text(encoding="utf-8"))
ENTRIES = [pytest.param(entry, id=f"{entry['rule']}-{'fel' if entry['fires'] else 'rätt'}-{number}",
                        marks=[pytest.mark.xfail(strict=True, reason="känd miss")] if entry.get("known_miss") else [])
           for number, entry in enumerate(_TABLE["sentences"])]


def test_the_table_covers_its_rules_in_both_directions_with_enough_sentences():
    entries = _TABLE["sentences"]
    assert len(entries) >= 60
    for rule in {e["rule"] for e in entries}:
        verdicts = [e["fires"] for e in entries if e["rule"] == rule]
        assert verdicts.count(True) >= 3 and verdicts.count(False) >= 3, rule


CLAIM_KINDS = ("lag", "belopp", "paragraf", "andel", "skyldighet", "påstående", "strategi", "giltighet", "ansvar", "organ", "antal")


@pytest.mark.parametrize("rule", [r for r in load_text_rules() if r.kind in CLAIM_KINDS], ids=lambda r: r.id)
def test_every_claim_rule_has_six_examples_each_way(rule):
    assert len(rule.examples.flags) >= 6 and len(rule.examples.passes) >= 6, rule.id


@pytest.mark.parametrize("entry", ENTRIES)
def test_fact_sentence(entry):
    findings = lint_text(entry["text"], entry["rule"], entry.get("kommun", _TABLE["kommun"]))
    assert bool(findings) == entry["fires"], [f.span.text for f in findings]


@pytest.mark.parametrize("outcome", text_example_outcomes(), ids=lambda o: f"{o.rule_id}-{o.expected}-{o.line}")
def test_rule_file_example(outcome):
    assert outcome.line is not None and outcome.file.name in ("klarsprak.yaml", "fakta.yaml")
    assert outcome.passed, f"{outcome.file.name}:{outcome.line}: {outcome.rule_id} {outcome.text!r}"


def _units(*texts: str) -> list[TextUnit]:
    return [TextUnit(text, Location(None, index), "stycke", tuple(sentences))
            for index, (text, sentences) in enumerate(zip(texts, sentences_of(texts)))]


def _expired(text: str, today: date) -> list[str]:
    rule = next(r for r in load_text_rules() if r.id == "FA06")
    facts = DraftFacts("policy", None, Location(None, 0), {}, today=today)
    return [hit.span.text for hit in run_text_rules([rule], _units(text), facts)]


def test_a_validity_date_is_expired_only_after_the_day_it_names():
    assert _expired("Gäller till: 2027-06-30", date(2027, 6, 30)) == []
    assert _expired("Gäller till: 2027-06-30", date(2027, 7, 1)) == ["2027-06-30"]
    # A month or a year lasts to its last day.
    assert _expired("Revideras senast i juni 2027.", date(2027, 6, 30)) == []
    assert _expired("Revideras senast i juni 2027.", date(2027, 7, 1)) == ["juni 2027"]
    assert _expired("Giltig till 2027.", date(2027, 12, 31)) == []
    assert _expired("Giltig till 2027.", date(2028, 1, 1)) == ["2027"]


def test_the_message_says_which_date_and_what_to_do():
    [finding] = lint_text("Gäller till: 2020-12-31", "FA06")
    assert finding.message.startswith("”Gäller till 2020-12-31” har redan passerat (i dag är det ")
    [finding] = lint_text("Beslutad 2024-02-30.", "FA07")
    assert finding.message == ("”2024-02-30” är inget giltigt datum. Kontrollera år, månad och dag "
                               "(skriv ÅÅÅÅ-MM-DD).")


def test_a_wrong_body_is_named_with_the_right_one_and_the_source():
    [finding] = lint_text("Medel ur ESF+ söks hos Tillväxtverket.", "FA19")
    assert finding.span.text == "Tillväxtverket"
    assert "sköts av Svenska ESF-rådet, inte av Tillväxtverket" in finding.message
    assert "Källa: Svenska ESF-rådet" in finding.message and "faktaregistret: esf-plus" in finding.message
    [finding] = lint_text("Varje IOP ska godkännas av Kammarkollegiet.", "FA19")
    assert "ingen myndighet som godkänner" in finding.message


@pytest.mark.parametrize("text, official", [
    ("Göteborgs Stad ska", "Göteborgs stad"), ("Borås Stads nämnder", "Borås stad"),
    ("Region Gotland ska", "Region Gotland"), ("Gotlands kommun ska", "Region Gotland"),
    ("Region Gotlands vision", "Region Gotland"), ("Markaryd kommuns upphandlingar", "Markaryds kommun"),
])
def test_official_names_are_found_in_every_spelling(text, official):
    [mention] = kommun_mentions(text)
    assert mention.kommun.officiellt_namn == official


# -- amounts: the spelling of a number never decides the verdict ---------------------

_SEPARATORS = st.sampled_from([" ", "\u00a0", "\u202f", ".", ""])
_UNITS = st.sampled_from(["kr", "kronor", "SEK", ":-"])


@settings(max_examples=40, deadline=None)
@given(amount=st.sampled_from([505800, 534890, 586907, 615312]), separator=_SEPARATORS, unit=_UNITS)
def test_an_old_limit_is_found_however_it_is_written(amount, separator, unit):
    written = f"{amount // 1000}{separator}{amount % 1000:03d}"
    found = lint_text(f"Direktupphandling får användas upp till {written} {unit}.", "FA02")
    assert [f.span.text for f in found] == [f"{written} {unit}"]
    assert lint_text(f"Föreningen fick {written} {unit} i bidrag.", "FA02") == []


@settings(max_examples=40, deadline=None)
@given(amount=st.integers(min_value=1000, max_value=10_000_000).filter(lambda a: abs(a - 700_000) > 2_000),
       separator=_SEPARATORS, unit=_UNITS)
def test_any_other_amount_stated_as_the_limit_is_flagged_and_no_grant_is(amount, separator, unit):
    written = f"{amount:,}".replace(",", separator)
    [finding] = lint_text(f"Gränsen för direktupphandling är {written} {unit}.", "FA02")
    assert finding.span.text == f"{written} {unit}" and "700 000 kronor" in finding.message
    assert finding.fact == "direktupphandling-lou"
    assert lint_text(f"Föreningen fick {written} {unit} i bidrag.", "FA02") == []


@given(separator=_SEPARATORS, unit=_UNITS)
def test_the_current_limit_is_never_flagged_however_it_is_written(separator, unit):
    assert lint_text(f"Gränsen för direktupphandling är 700{separator}000 {unit}.", "FA02") == []


# -- the rule files: errors name the file, the line and the remedy ------------------

def _rule_file(tmp_path: Path, old: str, new: str) -> Path:
    text = (lint_rules_dir() / "fakta.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "fakta.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, message, at", [
    ("    kind: belopp\n", "    kind: belopp\n    limit: 3\n", "fältet limit hör inte till regler av sorten belopp",
     "    limit: 3"),
    ("    default_limit: direktupphandling-lou\n", "", "saknar fältet default_limit", "    kind: belopp"),
    ("    default_limit: direktupphandling-lou\n", "    default_limit: finns-inte\n", "finns inte i faktaregistret",
     "    scopes:"),
    ("    message: ”{träff}” – dokumentet gäller {egen}", "    message: ”{träff}” – dokumentet gäller {kommun}",
     "meddelandet använder {kommun}", "{kommun}"),
    ("      förklaring: saknar värde", "      förklaring: saknar värde\n      extra: 1", "extra", "      extra: 1"),
    # A task whose registry entry names no responsible body, and a body the rule cannot recognise.
    ("      - fact: asf-kriterier\n", "      - fact: sociala-hansyn-bor\n", "har inget ansvarigt organ",
     "      - fact: sociala-hansyn-bor"),
    ("      Tillväxtverket: ['Tillväxtverk\\w*']\n", "", "Tillväxtverket saknas under bodies:", "      - fact: asf-kriterier"),
    # A count the registry does not have, and a provision the registry does not know.
    ("      regioner: ['\\bregioner\\b']\n", "      regioner: ['\\bregioner\\b']\n      län: ['\\blän\\b']\n",
     "räknar inte län", "      län: ['\\blän\\b']"),
    ("      - paragraph: reserverad-ideburna\n", "      - paragraph: finns-inte\n", "paragrafen finns-inte finns inte",
     "      - paragraph: finns-inte"),
])
def test_a_broken_rule_file_is_reported_with_file_and_line(tmp_path, old, new, message, at):
    path = _rule_file(tmp_path, old, new)
    with pytest.raises(UserError) as caught:
        load_text_rule_file(path)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if at in text)
    assert message in caught.value.message and caught.value.file == path.resolve()
    assert caught.value.line == line and caught.value.hint


def test_every_text_rule_needs_examples_both_ways(tmp_path):
    text = (lint_rules_dir() / "fakta.yaml").read_text(encoding="utf-8")
    start = text.index("      passes:\n", text.index("  - id: FA01"))
    end = text.index("\n\n", start)
    path = tmp_path / "fakta.yaml"
    path.write_text(text[:start] + "      passes:\n        - Kommunen följer lag (2016:1145) om offentlig upphandling."
                    + text[end:], encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_text_rule_file(path)
    assert "examples" in str(caught.value) and caught.value.line is not None


def test_an_example_the_rule_gets_wrong_is_reported_with_its_line(tmp_path):
    # An expert adds a sentence to "passes" that the rule in fact flags.
    path = _rule_file(tmp_path, "        - Energiinköp följer LUF (2016:1146).\n",
                      "        - Energiinköp följer LUF (2016:1146).\n        - Vi följer LOU (2007:1091).\n")
    [wrong] = [o for o in text_example_outcomes(path) if not o.passed]
    line = path.read_text(encoding="utf-8").splitlines().index("        - Vi följer LOU (2007:1091).") + 1
    assert (wrong.rule_id, wrong.expected, wrong.got, wrong.line, wrong.file) == (
        "FA01", "passes", "flags", line, path.resolve())
    # Only that file's rules are run.
    assert {o.rule_id for o in text_example_outcomes(path)} == {r.id for r in load_text_rule_file(path)}


# -- the labelled development set: real excerpts with the fact findings experts expect ---

DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "lint-devset"
EXPECTED_RULE = {"placeholder": "FA03", "skall": "KS01", "wrong-municipality": "FA04", "repealed-law": "FA01",
                 "stale-amount": "FA02", "expired": "FA06"}


@pytest.mark.skipif(not (DEVSET / "labels.yaml").exists(), reason="../shared/lint-devset finns inte här")
def test_the_development_set_gets_exactly_the_fact_findings_the_experts_expect():
    from policygen.lint.run import lint_files

    labels = YAML(typ="safe").load((DEVSET / "labels.yaml").read_text(encoding="utf-8"))["documents"]
    checked = set(EXPECTED_RULE.values()) | {"FA07"}
    for name, label in labels.items():
        kommun = label["kommun"] if find_kommun(label["kommun"]) else None   # "Region Gävleborg" is no kommun
        result = lint_files([DEVSET / name], label.get("doc_type"), kommun=kommun).results[0]
        fired = {f.rule for f in result.findings if f.rule in checked}
        assert fired == {EXPECTED_RULE[e] for e in label["expect_rules"]}, name


def test_patterns_that_compile_alone_but_not_together_are_reported_when_the_file_loads(tmp_path):
    path = _rule_file(tmp_path, "      - regex: '\\b(?:TODO|TBD|FIXME)\\b'", "      - regex: '(?i)\\b(?:TODO|TBD|FIXME)\\b'")
    with pytest.raises(UserError) as caught:
        load_text_rule_file(path)
    assert "mönstren går inte att köra tillsammans" in caught.value.message and "ignorecase" in caught.value.hint


def test_who_does_a_task_is_read_from_the_registry(tmp_path, monkeypatch):
    """An expert records that another body runs ESF+; the same sentence is then judged
    by the new entry, with no change to the rule file."""
    from policygen.facts.registry import load_registry
    from policygen.lint.text.kinds import fact_amounts, fact_roles

    text = (lint_rules_dir() / "faktaregister.yaml").read_text(encoding="utf-8")
    assert "    responsible: Svenska ESF-rådet\n" in text
    changed = tmp_path / "faktaregister.yaml"
    changed.write_text(text.replace("    responsible: Svenska ESF-rådet\n", "    responsible: Tillväxtverket\n"),
                       encoding="utf-8")
    registry = load_registry(changed)
    monkeypatch.setattr(fact_roles, "load_registry", lambda: registry)
    monkeypatch.setattr(fact_amounts, "load_registry", lambda: registry)
    rules = tmp_path / "fakta.yaml"    # a file of its own: loaded anew against the changed registry
    rules.write_text((lint_rules_dir() / "fakta.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    [rule] = [r for r in load_text_rule_file(rules) if r.id == "FA19"]
    facts = DraftFacts("policy", None, Location(None, 0), {})

    def wrong_bodies(sentence: str) -> list[str]:
        return [hit.span.text for hit in run_text_rules([rule], _units(sentence), facts)]

    assert wrong_bodies("Medel ur ESF+ söks hos Tillväxtverket.") == []
    assert wrong_bodies("Medel ur ESF+ söks hos Svenska ESF-rådet.") == ["Svenska ESF-rådet"]
