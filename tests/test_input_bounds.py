"""Every input is a regular file measured before it is read, and YAML aliases
cannot blow a few kilobytes up into billions of values (issue 14, items 12
and 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES
from policygen.errors import UserError
from policygen.infra.inputs import read_regular_file
from policygen.infra.yamlio import load_yaml

SRC = Path(__file__).resolve().parents[1] / "src"


def _policygen(*args: object, timeout: float = 60) -> subprocess.CompletedProcess:
    """The real command in a child process: a hang fails the test instead of stopping the suite."""
    environment = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "policygen.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=environment)


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "rör.yaml"
    os.mkfifo(path)
    return path


def _refused_at_once(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 2, result.stderr
    assert "vanlig fil" in result.stderr and "Traceback" not in result.stderr


def test_dev_zero_as_profile_is_refused_at_once(tmp_path):
    _refused_at_once(_policygen("generate", "/dev/zero", "-o", tmp_path / "ut"))


def test_fifo_as_profile_does_not_hang(tmp_path, fifo):
    _refused_at_once(_policygen("generate", fifo, "-o", tmp_path / "ut"))


def test_dev_zero_as_configuration_is_refused_at_once(tmp_path):
    draft = tmp_path / "utkast.txt"
    draft.write_text("Policy\n\nKommunen samverkar med sociala företag.\n", encoding="utf-8")
    _refused_at_once(_policygen("lint", draft, "--config", "/dev/zero"))


def test_fifo_as_configuration_does_not_hang(tmp_path, fifo):
    draft = tmp_path / "utkast.txt"
    draft.write_text("Policy\n\nKommunen samverkar med sociala företag.\n", encoding="utf-8")
    _refused_at_once(_policygen("lint", draft, "--config", fifo))


def test_arv_pointing_at_a_device_or_fifo(tmp_path, fifo):
    for target in ("/dev/zero", fifo):
        profile = tmp_path / "profil.yaml"
        profile.write_text(f"arv: {target}\n", encoding="utf-8")
        _refused_at_once(_policygen("generate", profile, "-o", tmp_path / "ut"))


def test_fifo_and_device_behind_a_draft_name(tmp_path):
    draft = tmp_path / "utkast.txt"
    os.mkfifo(draft)
    _refused_at_once(_policygen("lint", draft))
    link = tmp_path / "noll.docx"
    link.symlink_to("/dev/zero")
    _refused_at_once(_policygen("lint", link))


def test_dev_zero_as_reference_docx(tmp_path):
    _refused_at_once(_policygen("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path / "ut",
                                "--reference-docx", "/dev/zero"))


def test_a_large_profile_is_refused_by_its_size_before_it_is_read(tmp_path):
    big = tmp_path / "stor.yaml"
    with open(big, "wb") as handle:
        handle.truncate(6 * 1024 * 1024)  # sparse: nothing is written, only the size is set
    with pytest.raises(UserError, match="för stor fil"):
        load_yaml(big, "profilen")


def test_reading_stops_at_the_limit(tmp_path):
    path = tmp_path / "fil.yaml"
    path.write_bytes(b"a" * 101)
    assert read_regular_file(path, "filen", 101) == b"a" * 101
    with pytest.raises(UserError, match="för stor fil"):
        read_regular_file(path, "filen", 100)


def _billion_laughs(levels: int = 9) -> str:
    lines = ["lol0: &lol0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*lol{level - 1}"] * 10)
        lines.append(f"lol{level}: &lol{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_profile_is_refused_not_expanded(cli, tmp_path):
    profile = tmp_path / "skratt.yaml"
    profile.write_text("kommun:\n  namn: Ljungby\n" + _billion_laughs(), encoding="utf-8")
    assert profile.stat().st_size < 4096
    code, _, err = cli("generate", profile, "-o", tmp_path / "ut")
    assert code == 2 and "YAML-aliasen" in err
    assert not (tmp_path / "ut").exists()


def test_billion_laughs_configuration_is_refused(cli, tmp_path):
    draft = tmp_path / "utkast.txt"
    draft.write_text("Policy\n\nKommunen samverkar med sociala företag.\n", encoding="utf-8")
    config = tmp_path / "policygen.yaml"
    config.write_text(_billion_laughs(), encoding="utf-8")
    code, _, err = cli("lint", draft, "--config", config)
    assert code == 2 and "YAML-aliasen" in err


def test_a_few_shared_aliases_are_still_fine(tmp_path):
    path = tmp_path / "delad.yaml"
    path.write_text("a: &gemensam {namn: X}\nb: *gemensam\nc: *gemensam\n", encoding="utf-8")
    assert load_yaml(path)["c"]["namn"] == "X"


def test_huge_integers_are_refused(tmp_path):
    path = tmp_path / "tal.yaml"
    path.write_text(f"antal: {'9' * 40}\n", encoding="utf-8")
    with pytest.raises(UserError, match="orimligt stort"):
        load_yaml(path, "profilen")


def test_a_socket_as_profile_is_refused(tmp_path):
    import socket

    path = tmp_path / "uttag.yaml"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        _refused_at_once(_policygen("generate", path, "-o", tmp_path / "ut"))
    finally:
        server.close()
