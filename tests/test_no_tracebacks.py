"""User errors that used to end in a traceback, and folders that are walked
safely (issue 14, items 5 and 16)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import EXAMPLES
from deep_folders import deep_folder, remove_deep_folder
from policygen.read.draft import find_drafts

DRAFT = "Policy för samverkan med sociala företag\n\nKommunen samverkar med sociala företag.\n"


def _clean(code: int, out: str, err: str) -> None:
    assert code in (0, 1, 2), err
    assert "Traceback" not in out + err and "internt fel" not in err


def _profile(tmp_path: Path, old: str, new: str) -> Path:
    profile = tmp_path / "profil.yaml"
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")
    assert old in text
    profile.write_text(text.replace(old, new, 1), encoding="utf-8")
    return profile


def test_a_name_with_nul(cli, tmp_path):
    profile = _profile(tmp_path, "namn: Ljungby", 'namn: "Lj\\0ungby"')
    result = cli("generate", profile, "-o", tmp_path / "ut", "--format", "md", "--utkast")
    _clean(*result)
    assert all("\0" not in p.name for p in (tmp_path / "ut").iterdir())


def test_a_name_of_ten_thousand_characters_gives_one_file_per_document(cli, tmp_path):
    profile = _profile(tmp_path, "namn: Ljungby", f"namn: {'Å' * 10_000}")
    code, out, err = cli("generate", profile, "-o", tmp_path / "ut", "--format", "md", "--utkast")
    _clean(code, out, err)
    assert code == 0 and len(list((tmp_path / "ut").iterdir())) == 2


def test_a_lone_surrogate_in_a_value_is_a_user_error(cli, tmp_path):
    profile = _profile(tmp_path, "kopplad_policy: näringslivspolicyn", 'kopplad_policy: "n\\ud800ringslivspolicyn"')
    for fmt in ("md", "docx"):
        code, out, err = cli("generate", profile, "-o", tmp_path / "ut", "--format", fmt)
        _clean(code, out, err)
        assert code == 2 and "ogiltigt tecken" in err and "profil.yaml" in err
    assert not (tmp_path / "ut").exists()


@pytest.mark.parametrize("target", ['"a\\0b.yaml"', "'" + "x" * 5000 + ".yaml'", "/", "saknas.yaml"],
                         ids=["nul", "lång", "mapp", "saknas"])
def test_bad_arv_paths(cli, tmp_path, target):
    profile = tmp_path / "profil.yaml"
    profile.write_text(f"arv: {target}\n", encoding="utf-8")
    code, out, err = cli("generate", profile, "-o", tmp_path / "ut")
    _clean(code, out, err)
    assert code == 2 and "profil.yaml" in err


def test_an_arv_loop(cli, tmp_path):
    (tmp_path / "a.yaml").write_text("arv: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("arv: a.yaml\n", encoding="utf-8")
    code, out, err = cli("generate", tmp_path / "a.yaml", "-o", tmp_path / "ut")
    _clean(code, out, err)
    assert code == 2 and "cirkel" in err


def test_path_arguments_longer_than_the_file_system_allows(cli, tmp_path):
    long_name = "x" * 5000
    for arguments in (("generate", tmp_path / f"{long_name}.yaml", "-o", tmp_path / "ut"),
                      ("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path / long_name),
                      ("lint", tmp_path / f"{long_name}.txt"),
                      ("init", "--kommun", "Ljungby", "-o", tmp_path / f"{long_name}.yaml")):
        code, out, err = cli(*arguments)
        _clean(code, out, err)
        assert code == 2


def test_a_folder_1500_levels_deep(cli, tmp_path):
    root = deep_folder(tmp_path / "djup", 1500)
    (root / "utkast.txt").write_text(DRAFT, encoding="utf-8")
    try:
        code, out, err = cli("lint", root, "--quiet")
    finally:
        remove_deep_folder(root)
    _clean(code, out, err)
    assert code in (0, 1)


def test_a_link_out_of_the_linted_folder_is_not_followed(tmp_path):
    folder = tmp_path / "utkast"
    folder.mkdir()
    (folder / "eget.txt").write_text(DRAFT, encoding="utf-8")
    secret = tmp_path / "hemlig.txt"
    secret.write_text("Hemligt innehåll utanför mappen.\n", encoding="utf-8")
    (folder / "länk.txt").symlink_to(secret)
    (folder / "värd.txt").symlink_to("/etc/hostname")
    (folder / "inuti.txt").symlink_to(folder / "eget.txt")
    (folder / "mapplänk").symlink_to(tmp_path)
    files, unreadable = find_drafts([folder])
    assert sorted(p.name for p in files) == ["eget.txt", "inuti.txt"] and unreadable == []


def test_an_unreadable_subfolder_is_reported(cli, tmp_path, monkeypatch):
    folder = tmp_path / "utkast"
    (folder / "låst").mkdir(parents=True)
    (folder / "eget.txt").write_text(DRAFT, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "låst":  # root reads every folder, so the refusal is simulated
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = cli("lint", folder, "--format", "json")
    _clean(code, out, err)
    assert code == 2 and "låst" in out and "går inte att läsa" in out


def test_values_longer_than_word_allows_in_a_document_property(cli, tmp_path):
    import docx

    profile = _profile(tmp_path, "namn: Ljungby", f"namn: {'Å' * 10_000}")
    code, out, err = cli("generate", profile, "-o", tmp_path / "ut", "--doc", "policy", "--utkast")
    _clean(code, out, err)
    assert code == 0
    (result,) = (tmp_path / "ut").iterdir()
    properties = docx.Document(str(result)).core_properties
    assert 0 < len(properties.title) <= 255 and len(properties.author) <= 255
