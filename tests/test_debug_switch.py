"""POLICYGEN_DEBUG: a bug in policygen is a short Swedish message ("internt
fel") for the user, and the full traceback for whoever fixes it, also when the
bug is inside one file's work in a batch. The bug is injected by replacing the
per-file lint job with one that fails the way a programming error does."""

from __future__ import annotations

import pytest

import policygen.lint.many

DRAFT = "Riktlinje för arbetet med sociala företag\n\nNämnden följer upp samarbetet varje höst.\n"


def _broken_job(task: object) -> object:
    raise ZeroDivisionError("ett fel i programmet")


@pytest.fixture
def draft(tmp_path, monkeypatch):
    path = tmp_path / "utkast.txt"
    path.write_text(DRAFT, encoding="utf-8")
    monkeypatch.setattr(policygen.lint.many, "_lint_one", _broken_job)
    return path


def test_a_bug_is_a_short_message_without_the_switch(cli, draft, monkeypatch):
    monkeypatch.delenv("POLICYGEN_DEBUG", raising=False)
    code, out, err = cli("lint", draft, "--no-config", "--jobs", "1")
    assert code == 2
    assert "internt fel i policygen (ZeroDivisionError: ett fel i programmet)" in out + err
    assert "POLICYGEN_DEBUG=1 visar detaljerna" in out + err
    assert "Traceback" not in out + err


def test_the_switch_lets_the_bug_through_with_its_traceback(cli, draft, monkeypatch):
    monkeypatch.setenv("POLICYGEN_DEBUG", "1")
    with pytest.raises(ZeroDivisionError, match="ett fel i programmet"):
        cli("lint", draft, "--no-config", "--jobs", "1")


def test_user_errors_look_the_same_with_the_switch(cli, tmp_path, monkeypatch):
    missing = tmp_path / "finns-inte.docx"
    monkeypatch.delenv("POLICYGEN_DEBUG", raising=False)
    plain = cli("lint", missing, "--no-config")
    monkeypatch.setenv("POLICYGEN_DEBUG", "1")
    assert cli("lint", missing, "--no-config") == plain
    assert plain[0] == 2 and "finns-inte.docx" in plain[2]
