"""Written files: the user's normal permissions, and names that work on Windows."""

from __future__ import annotations

import os
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES, run_cli
from policygen.infra.output import windows_safe_name, write_atomic

FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}


@pytest.fixture
def umask():
    def set_mask(mask: int) -> None:
        os.umask(mask)

    previous = os.umask(0o022)
    os.umask(previous)
    yield set_mask
    os.umask(previous)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_file_gets_the_permissions_of_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    path = tmp_path / "policy.docx"
    write_atomic(path, b"innehall")
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_overwritten_file_keeps_its_permissions(tmp_path, umask):
    umask(0o022)
    path = tmp_path / "policy.md"
    path.write_text("gammal")
    path.chmod(0o640)
    write_atomic(path, "ny", force=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text() == "ny"


def test_generated_documents_are_readable_by_the_group_like_other_files(tmp_path, umask):
    umask(0o022)
    code, _, err = run_cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path)
    assert code == 0, err
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


@pytest.mark.parametrize("name, safe", [
    ("sollefteå-policy-och-riktlinjer", "sollefteå-policy-och-riktlinjer"),
    ('kommun: "test"?', "kommun- -test"),
    ("a<b>c|d*e", "a-b-c-d-e"),
    ("slutar med punkt.", "slutar med punkt"),
    ("con", "con-dokument"),
    ("LPT1.policy", "LPT1-dokument.policy"),
    ("...", "dokument"),
])
def test_windows_safe_names(name, safe):
    assert windows_safe_name(name) == safe


@given(st.text(max_size=300))
def test_any_name_becomes_valid_on_windows_and_keeps_swedish_letters(name):
    safe = windows_safe_name(name)
    assert safe and not (set(safe) & FORBIDDEN)
    assert not safe.endswith((".", " "))
    assert len(safe) <= 150
    for letter in "åäöÅÄÖ":
        if letter in name and len(name) < 100:
            assert letter in safe
