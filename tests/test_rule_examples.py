"""The examples in the coverage rule file are tests: pytest runs every one, and
`policygen rules test` runs them for an expert who edits a rule file."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygen.infra.resources import lint_rules_dir
from policygen.lint.coverage.rules import load_rules
from policygen.lint.examples import coverage_example_outcomes

OUTCOMES = coverage_example_outcomes()


@pytest.mark.parametrize("outcome", OUTCOMES, ids=[f"{o.rule_id}-{o.expected}-{o.line}" for o in OUTCOMES])
def test_every_rule_example_gets_its_verdict(outcome):
    assert outcome.got == outcome.expected, f"{outcome.file.name}:{outcome.line}: {outcome.text!r}"


def test_every_coverage_rule_has_three_examples_of_each_verdict():
    for rule in load_rules():
        assert {status: len(items) >= 3 for status, items in rule.examples.items()} == \
            {"present": True, "partial": True, "missing": True}, rule.id
    assert len(OUTCOMES) >= 12 * 9


def test_rules_test_command_passes_on_the_bundled_rules(cli):
    code, out, _ = cli("rules", "test", lint_rules_dir() / "skr.yaml")
    assert code == 0
    assert out.strip().endswith(f"{len(OUTCOMES)} exempel: {len(OUTCOMES)} rätt, 0 fel.")


def test_rules_test_without_a_file_runs_coverage_and_text_rule_examples(cli):
    code, out, _ = cli("rules", "test", "--alla")
    assert code == 0
    assert "SKR07 finns" in out and "KS01 ger anmärkning" in out and "FA01 ger ingen anmärkning" in out


def _edited_rules(tmp_path: Path, old: str, new: str) -> Path:
    text = (lint_rules_dir() / "skr.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "skr.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_rules_test_reports_a_failing_example_with_file_and_line(cli, tmp_path):
    # An expert adds an example that the rule does not support: an intention only.
    path = _edited_rules(tmp_path, "        - Socialförvaltningen följer upp arbetet med sociala företag varje år",
                         "        - Vi tänker följa upp arbetet med sociala företag.\n"
                         "        - Socialförvaltningen följer upp arbetet med sociala företag varje år")
    code, out, _ = cli("rules", "test", path)
    assert code == 1
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "Vi tänker" in text)
    assert f"FEL   skr.yaml:{line}  SKR07: väntat finns, blev delvis: ”Vi tänker följa upp" in out
    assert out.strip().endswith("1 fel. Ändra regeln eller exemplet och kör igen.")


def test_rules_test_names_file_and_line_of_an_unknown_concept(cli, tmp_path):
    path = _edited_rules(tmp_path, "      - [politiskt_organ|fullmaktige]", "      - [politiskt_organ|fullmäktig]")
    code, _, err = cli("rules", "test", path)
    assert code == 2
    assert "skr.yaml:" in err and "okänt begrepp 'fullmäktig'" in err and "Traceback" not in err


def test_rules_test_refuses_a_missing_file(cli, tmp_path):
    code, _, err = cli("rules", "test", tmp_path / "finns-inte.yaml")
    assert code == 2 and "regelfilen finns inte" in err


def test_rules_test_runs_in_a_fresh_process():
    # The command line imports modules in its own order; run it as a user does.
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "policygen.cli", "rules", "test", str(lint_rules_dir() / "skr.yaml")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "0 fel." in done.stdout


def test_rules_test_checks_an_edited_text_rule_file_with_its_own_rules(cli, tmp_path):
    # An expert adds "torde" to KS01's words in a copy and an example for it:
    # the copy's rule must be the one that is tested.
    text = (lint_rules_dir() / "klarsprak.yaml").read_text(encoding="utf-8")
    edited = text.replace("      skall: ska\n", "      skall: ska\n      torde: bör nog\n", 1).replace(
        "        - Nämnden skall följa upp arbetet varje år.\n",
        "        - Nämnden skall följa upp arbetet varje år.\n        - Det torde bli bra.\n", 1)
    path = tmp_path / "klarsprak.yaml"
    path.write_text(edited, encoding="utf-8")
    code, out, _ = cli("rules", "test", path)
    assert code == 0, out
    assert "FEL" not in out
