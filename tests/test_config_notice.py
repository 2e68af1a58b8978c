"""A configuration that changes the verdict says so in every report, and
--no-config ignores it (issue 14, item 3)."""

from __future__ import annotations

import json

import pytest

CONFIG = "regler:\n  av: [klarspråk]\n  nivå:\n    FA04: info\naccepterade:\n  - regel: FA03\n    text: xxxx\n"
DRAFT = ("Policy för samverkan med sociala företag\n\nKommunen skall utföra en utvärdering av arbetet med "
         "sociala företag i syfte att åstadkomma en förbättring av verksamheten under året som kommer.\n")


@pytest.fixture
def setup(tmp_path, monkeypatch):
    draft = tmp_path / "utkast.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    (tmp_path / "policygen.yaml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # picked up from the working folder, as a user would have it
    return draft


def test_every_report_names_the_configuration_and_what_it_changed(cli, setup):
    code, out, err = cli("lint", setup)
    first = out.splitlines()[0]
    assert first.startswith("Inställningar från ") and "policygen.yaml:" in first and "regler avstängda" in first
    assert "1 anmärkning godtagna" in out and "1 nivå ändrade" in out
    assert "policygen.yaml: " in err and "Inställningar från" in err
    code, out, _ = cli("lint", setup, "--format", "json")
    notice = json.loads(out)["config"]
    assert notice["file"].endswith("policygen.yaml") and notice["rules_off"] > 0 and notice["accepted"] == 1
    code, out, _ = cli("lint", setup, "--format", "sarif")
    assert json.loads(out)["runs"][0]["properties"]["policygenConfig"]["rules_off"] == notice["rules_off"]
    code, out, _ = cli("lint", setup, "--format", "html")
    assert 'class="config-notice"' in out and "Inställningar från" in out


def test_no_config_ignores_the_file(cli, setup):
    _, with_config, _ = cli("lint", setup, "--format", "json", "--min-severity", "info")
    _, without, err = cli("lint", setup, "--format", "json", "--min-severity", "info", "--no-config")
    data = json.loads(without)
    assert "config" not in data and "Inställningar" not in err
    categories = {f["category"] for f in data["findings"]}
    assert "klarspråk" in categories
    assert "klarspråk" not in {f["category"] for f in json.loads(with_config)["findings"]}


def test_no_config_and_config_together_is_a_usage_error(cli, setup):
    code, _, err = cli("lint", setup, "--config", "policygen.yaml", "--no-config")
    assert code == 2 and "--no-config" in err
