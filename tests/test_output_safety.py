"""Output paths are built from safe names inside the output folder, --force
replaces regular files only, and one run never writes a file twice or over
its own inputs (issue 14, items 1, 7, 8 and 9)."""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from policygen.errors import UserError
from policygen.infra.output import (
    OutputPlan,
    path_in_folder,
    windows_safe_name,
    write_all,
    write_atomic,
)

DEFAULTS = EXAMPLES / "gemensam.yaml"
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}

# Names an attacker or an unlucky paste would try, mixed with ordinary text.
hostile_text = st.lists(st.one_of(
    st.characters(),
    st.sampled_from(["/", "\\", "..", ".", "\x00", "\x1b", "\u202e", "\u2066", "\u200b", ":", "CON", "å", " "]),
), max_size=200).map("".join)


@settings(max_examples=500, deadline=None)
@given(hostile_text)
@example("\xa0CON")        # a no-break space in front of a reserved name
@example("\u3000COM1.txt")
def test_any_name_is_one_harmless_file_name(name):
    safe = windows_safe_name(name)
    assert safe not in ("", ".", "..") and ".." not in safe
    assert not set(safe) & set('<>:"/\\|?*')
    assert all(unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"} for c in safe)
    assert not safe.endswith((".", " ")) and not safe.startswith((".", " "))
    assert len(safe.encode("utf-8")) <= 150
    assert safe.split(".")[0].strip().lower() not in RESERVED


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile_text, st.sampled_from(["docx", "md", "pdf"]))
def test_any_name_lands_directly_in_the_output_folder(tmp_path, name, extension):
    path = path_in_folder(tmp_path, name, extension)
    assert path.parent == tmp_path and path.resolve().parent == tmp_path.resolve()
    assert path.name.endswith(f".{extension}")


def _profile_named(tmp_path: Path, name: str) -> Path:
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8").replace("namn: Ljungby", f"namn: {name!r}")
    text = text.replace('kommunkod: "0781"', "")
    profile = tmp_path / "profil" / "hostile.yaml"
    profile.parent.mkdir(exist_ok=True)
    profile.write_text(text, encoding="utf-8")
    return profile


@pytest.mark.parametrize("name", ["../../X", "/tmp/absolut", "..\\..\\X", "a/../../b", "..", "CON"])
def test_a_kommun_name_never_takes_a_file_out_of_the_output_folder(cli, tmp_path, name):
    out = tmp_path / "a" / "b" / "ut"
    code, _, err = cli("generate", _profile_named(tmp_path, name), "-o", out, "--doc", "policy",
                       "--format", "md", "--utkast")
    assert code == 0, err
    files = list(out.iterdir())
    assert len(files) == 1 and files[0].suffix == ".md"
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents and p.parent.name != "profil"]
    assert outside == []


def test_a_symbolic_link_in_the_output_folder_is_never_followed(cli, tmp_path):
    victim = tmp_path / "viktig.txt"
    victim.write_text("orört", encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()
    (out / "ljungby-policy.md").symlink_to(victim)
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", out, "--doc", "policy", "--format", "md",
                       "--force")
    assert code == 2 and "utanför utmappen" in err and "Traceback" not in err
    assert victim.read_text(encoding="utf-8") == "orört"


def test_force_replaces_regular_files_only(tmp_path):
    link_target = tmp_path / "mål.txt"
    link_target.write_text("orört")
    link = tmp_path / "länk.txt"
    link.symlink_to(link_target)
    fifo = tmp_path / "rör"
    os.mkfifo(fifo)
    for path in (link, fifo, Path("/dev/null")):
        with pytest.raises(UserError, match="inte en vanlig fil"):
            write_atomic(path, "nytt", force=True)
    assert link_target.read_text() == "orört" and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_init_refuses_dev_null_even_with_force(cli):
    code, _, err = cli("init", "--kommun", "Ljungby", "-o", "/dev/null", "--force")
    assert code == 2 and "inte en vanlig fil" in err


def test_two_kommuner_renamed_to_one_name_stop_the_run_before_any_write(cli, tmp_path):
    own = tmp_path / "profiler"
    own.mkdir()
    # Alvesta's own file claims to be Upplands Väsby: both would write one file.
    (own / "alvesta.yaml").write_text("kommun:\n  namn: Upplands Väsby\n  kommunkod: \"0114\"\n", encoding="utf-8")
    out = tmp_path / "ut"
    code, _, err = cli("generate", "--all-kommuner", DEFAULTS, "--profiler", own, "-o", out,
                       "--doc", "policy", "--format", "md")
    assert code == 2 and "samma fil" in err and "Upplands Väsby" in err
    assert not out.exists() or list(out.iterdir()) == []


def test_a_template_in_the_output_folder_is_never_overwritten(cli, tmp_path):
    out = tmp_path / "ut"
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", out, "--doc", "policy")
    assert code == 0, err
    template = out / "ljungby-policy.docx"
    before = template.read_bytes()
    code, _, err = cli("generate", EXAMPLES / "ljungby.yaml", "-o", out, "--doc", "policy",
                       "--reference-docx", template, "--force")
    assert code == 2 and "samma fil som indata" in err
    assert template.read_bytes() == before


def test_a_lint_report_never_overwrites_the_configuration(cli, tmp_path):
    draft = tmp_path / "utkast.txt"
    draft.write_text("Policy för samverkan med sociala företag\n\nKommunen ska samverka.\n", encoding="utf-8")
    config = tmp_path / "policygen.yaml"
    config.write_text("{}\n", encoding="utf-8")
    code, _, err = cli("lint", draft, "--config", config, "-o", config, "--force")
    assert code == 2 and "indata" in err
    assert config.read_text(encoding="utf-8") == "{}\n"


def test_one_plan_never_claims_a_file_twice_even_in_another_case(tmp_path):
    plan = OutputPlan(tmp_path, force=False)
    plan.add("Alvesta-policy", "docx")
    with pytest.raises(UserError, match="samma fil"):
        plan.add("alvesta-policy", "docx")


def test_a_failed_write_leaves_no_partial_set(tmp_path, monkeypatch):
    real_replace = os.replace
    calls = []

    def replace_then_fail(source, target):
        calls.append(target)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace_then_fail)
    with pytest.raises(UserError, match="disken"):
        write_all([(tmp_path / "a.md", "a"), (tmp_path / "b.md", "b")])
    assert list(tmp_path.iterdir()) == []


def test_a_write_error_in_one_kommun_leaves_no_partial_country(tmp_path, monkeypatch):
    from policygen.generate import all_kommuner as generation

    real_fsync = os.fsync
    calls = []

    def disk_fills_up(descriptor):
        calls.append(descriptor)
        if len(calls) == 20:
            raise OSError(28, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", disk_fills_up)
    out = tmp_path / "ut"
    with pytest.raises(UserError, match="inga filer skrivits") as caught:
        generation.generate_all_kommuner(DEFAULTS, out, doc_keys=["policy"], fmt="md", jobs=1,
                                         show_progress=False)
    assert "No space left" in str(caught.value) or "disk" in str(caught.value)
    assert not out.exists() or list(out.iterdir()) == []
