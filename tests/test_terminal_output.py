"""Text from drafts, file names and profiles never acts on the terminal, and
writing the result never ends in a traceback: a closed pipe, a full disk
behind stdout, a terminal without å, ä and ö, a file name that is not UTF-8
(issue 14, items 2 and 16)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES
from policygen.infra.terminal import json_visible, visible

SRC = Path(__file__).resolve().parents[1] / "src"
ESCAPES = ("\x1b", "\x07", "\x9b", "\u202e")
DRAFT = "Policy för samverkan med sociala företag\n\nKommunen samverkar med sociala företag.\n"


def _policygen(*args: object, **options) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(SRC), **options.pop("env", {})}
    return subprocess.run([sys.executable, "-m", "policygen.cli", *[os.fsencode(a) if isinstance(a, (Path, bytes))
                                                                    else a for a in args]],
                          capture_output=not options, timeout=120, env=environment, **options)


@given(st.text())
def test_nothing_left_that_a_terminal_would_obey(text):
    shown = visible(text)
    assert all(c in "\n\t" or unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
               for c in shown)
    if text.isprintable():
        assert shown == text  # Swedish text is left as it is


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=10))
def test_json_stays_valid_and_means_the_same(value):
    text = json.dumps(value, ensure_ascii=False, indent=2)
    shown = json_visible(text)
    assert not any(c in shown for c in ESCAPES)
    assert json.loads(shown) == value


def test_a_file_name_with_escape_sequences_is_shown_not_obeyed(cli, tmp_path):
    draft = tmp_path / "utkast\x1b]0;titel\x07\x1b[2J\u202e.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    for fmt in ("text", "json", "sarif"):
        code, out, err = cli("lint", draft, "--format", fmt)
        assert code in (0, 1), err
        assert not any(c in out + err for c in ESCAPES), fmt
        if fmt != "sarif":  # SARIF names the file by a percent-encoded URI
            assert "\\x1b" in out or "\\u001b" in out
    report = tmp_path / "rapport.json"
    cli("lint", draft, "--format", "json", "-o", report)
    assert "\x1b" not in report.read_text(encoding="utf-8")
    assert json.loads(report.read_text(encoding="utf-8"))["file"] == str(draft)


def test_a_profile_value_with_escapes_is_shown_in_the_error(cli, tmp_path):
    profile = tmp_path / "profil.yaml"
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")
    profile.write_text(text.replace("stil: ljungby", 'stil: "\\e[31mröd\\a"'), encoding="utf-8")
    code, out, err = cli("generate", profile, "-o", tmp_path / "ut")
    assert code == 2 and "röd" in err
    assert not any(c in out + err for c in ESCAPES)


def test_a_file_name_that_is_not_utf8(tmp_path):
    draft = Path(os.fsdecode(bytes(tmp_path) + b"/utkast-\xff.txt"))
    draft.write_text(DRAFT, encoding="utf-8")
    result = _policygen("lint", draft)
    assert result.returncode in (0, 1), result.stderr
    assert b"Traceback" not in result.stderr and b"\\udcff" in result.stdout


def test_a_terminal_without_swedish_letters(tmp_path):
    result = _policygen("lint", tmp_path / "saknas.txt", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    assert b"finns inte" in result.stderr


def test_a_closed_pipe_ends_quietly(tmp_path):
    draft = tmp_path / "utkast.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(SRC)}
    process = subprocess.Popen([sys.executable, "-m", "policygen.cli", "lint", str(draft)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    process.stdout.close()  # like `| head` that has already stopped reading
    _, err = process.communicate(timeout=120)
    assert process.returncode in (0, 1, 2) and b"Traceback" not in err and b"Exception" not in err


def test_a_full_disk_behind_stdout(tmp_path):
    draft = tmp_path / "utkast.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    with open("/dev/full", "w") as full:
        result = _policygen("lint", draft, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    assert "disken inte är full".encode() in result.stderr


def test_generate_still_names_the_files_it_wrote(cli, tmp_path):
    code, out, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", tmp_path, "--doc", "policy", "--format", "md")
    assert code == 0 and "Skapade" in out and "ljungby-policy.md" in out


def test_a_closed_stdout(tmp_path):
    draft = tmp_path / "utkast.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(SRC)}
    # The shell's `>&-`: the command starts without a stdout at all.
    result = subprocess.run(f'"{sys.executable}" -m policygen.cli lint "{draft}" >&-', shell=True,
                            stderr=subprocess.PIPE, timeout=120, env=environment)
    assert result.returncode in (0, 1, 2) and b"Traceback" not in result.stderr
