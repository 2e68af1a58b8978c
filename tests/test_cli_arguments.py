"""Arguments and YAML keys a user can get wrong without noticing: an empty path
(an unset shell variable) and a list or table written where a key belongs."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, run_cli


@pytest.mark.parametrize("arguments", [
    ["lint", "utkast.txt", ""],
    ["lint", ""],
    ["lint", "utkast.txt", "-o", ""],
    ["lint", "utkast.txt", "--config", " "],
    ["lint", "utkast.txt", "--annotate", ""],
    ["generate", ""],
    ["generate", str(EXAMPLES / "ljungby.yaml"), "-o", ""],
    ["generate", str(EXAMPLES / "ljungby.yaml"), "--reference-docx", ""],
    ["init", "--kommun", "Ljungby", "-o", ""],
])
def test_an_empty_path_is_refused_instead_of_meaning_the_current_folder(tmp_path, monkeypatch, arguments):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "utkast.txt").write_text("Policy för sociala företag\n\nKommunen samverkar.\n", encoding="utf-8")
    (tmp_path / "annat.txt").write_text("Policy för sociala företag\n\nEtt annat utkast.\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run_cli(*arguments)
    assert code == 2
    assert "tom sökväg" in err and "Traceback" not in err
    assert "annat.txt" not in out  # the folder was not linted
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("key", ["{SKR01: x}", "[SKR01, SKR02]"])
def test_a_table_or_list_as_a_key_in_the_configuration_is_named_with_its_line(tmp_path, key):
    config = tmp_path / "policygen.yaml"
    config.write_text(f"regler:\n  nivå:\n    ? {key}\n    : error\n", encoding="utf-8")
    draft = tmp_path / "utkast.txt"
    draft.write_text("Policy för sociala företag\n\nKommunen samverkar.\n", encoding="utf-8")
    code, _, err = run_cli("lint", draft, "--config", config)
    assert code == 2
    assert f"{config}:3:" in err and "en nyckel i inställningsfilen är en lista eller tabell" in err
    assert "ordereddict" not in err and "Traceback" not in err


def test_a_table_as_a_key_in_a_profile_is_named_with_its_line(tmp_path):
    profile = tmp_path / "profil.yaml"
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")
    profile.write_text(text + "\n? {a: b}\n: c\n", encoding="utf-8")
    code, _, err = run_cli("generate", profile, "-o", tmp_path / "ut")
    assert code == 2
    assert f"{profile}:{len(text.splitlines()) + 2}:" in err
    assert "en nyckel i profilen är en lista eller tabell" in err
    assert not (tmp_path / "ut").exists()


def test_an_empty_argument_that_is_no_path_is_shown_as_empty():
    code, _, err = run_cli("rules", "list", "")
    assert code == 2
    assert "'' (ett tomt argument)" in err


@pytest.mark.parametrize("jobs", ["²", "0", "-1", "1" * 5000])
def test_jobs_must_be_a_small_positive_whole_number(tmp_path, jobs):
    draft = tmp_path / "utkast.txt"
    draft.write_text("Policy för sociala företag\n\nKommunen samverkar.\n", encoding="utf-8")
    code, _, err = run_cli("lint", draft, "--jobs", jobs)
    assert code == 2
    assert "är inget positivt heltal" in err and "invalid" not in err
