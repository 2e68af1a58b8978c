"""Batch runs: every kommun's documents in one go, whole folders linted in
parallel, one bad input reported without stopping the rest, and Ctrl-C
leaving nothing half-written behind."""

from __future__ import annotations

import json
import os
import signal

import docx

from conftest import EXAMPLES
from policygen.infra.batch import run_batch

DEFAULTS = EXAMPLES / "gemensam.yaml"


def test_all_kommuner_with_shared_defaults_and_own_profiles(cli, tmp_path):
    own = tmp_path / "profiler"
    own.mkdir()
    (own / "ljungby.yaml").write_text("stil: ljungby\nvision:\n  text: Vi formar framtiden\n", encoding="utf-8")
    (own / "0760.yaml").write_text("ansvar:\n  namnd: 42\n", encoding="utf-8")  # Uppvidinge, broken
    out = tmp_path / "ut"
    code, stdout, err = cli("generate", "--all-kommuner", DEFAULTS, "--profiler", own, "-o", out,
                            "--doc", "policy", "--format", "md", "--jobs", "2")
    assert code == 2  # one kommun failed, and the exit code says so
    assert "0760.yaml" in err and "ansvar.namnd" in err
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 289 and "uppvidinge-policy-och-riktlinjer.md" not in files
    assert "Skapade 289 filer för 289 av 290 kommuner" in stdout
    # Ljungby's own file switched the style and added the vision.
    ljungby = (out / "ljungby-policy.md").read_text(encoding="utf-8")
    assert "Vi formar framtiden" in ljungby and "Ljungby kommun ska" in ljungby
    assert "Falu kommun" in (out / "falun-policy-och-riktlinjer.md").read_text(encoding="utf-8")
    # A second run stops before writing anything.
    code, _, err = cli("generate", "--all-kommuner", DEFAULTS, "-o", out, "--doc", "policy", "--format", "md")
    assert code == 2 and "finns redan" in err
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_profile_folder_with_a_file_that_is_no_kommun(cli, tmp_path):
    own = tmp_path / "profiler"
    own.mkdir()
    (own / "atlantis.yaml").write_text("stil: ljungby\n", encoding="utf-8")
    code, _, err = cli("generate", "--all-kommuner", DEFAULTS, "--profiler", own, "-o", tmp_path / "ut")
    assert code == 2 and "atlantis.yaml" in err and "kommunlistan" in err


def test_lint_folder_in_parallel_reports_a_bad_file_and_goes_on(cli, generated, tmp_path):
    folder = tmp_path / "utkast"
    folder.mkdir()
    for index, path in enumerate(sorted(generated.values())):
        (folder / f"{index} {path.name}").write_bytes(path.read_bytes())
    (folder / "trasig.docx").write_bytes(b"inte ett zip-arkiv")
    code, out, err = cli("lint", folder, "--format", "json", "--jobs", "2")
    data = json.loads(out)
    assert code == 2
    assert [entry["file"].endswith("trasig.docx") for entry in data].count(True) == 1
    broken = next(entry for entry in data if "error" in entry)
    assert "inte ett zip-arkiv" in broken["error"]
    assert len([entry for entry in data if "coverage" in entry]) == len(generated)
    assert f"Granskade {len(generated)} av {len(generated) + 1} utkast" in err
    assert "\r" not in err  # no progress bar when stderr is not a terminal
    code, _, err = cli("lint", folder, "--quiet", "--jobs", "2")
    assert err == ""


def _square(number: int) -> int:
    return number * number


def _interrupt_at_five(number: int) -> int:
    if number == 5:
        os.kill(os.getppid(), signal.SIGINT)  # as if the user pressed Ctrl-C
    return number


def test_batch_keeps_order_and_uses_worker_processes():
    report = run_batch(_square, list(range(40)), [str(i) for i in range(40)], jobs=2, show_progress=False)
    assert [o.value for o in report.outcomes] == [i * i for i in range(40)]
    assert not report.interrupted and not report.failed


def test_ctrl_c_stops_the_batch_and_says_how_far_it_got():
    report = run_batch(_interrupt_at_five, list(range(200)), [str(i) for i in range(200)], jobs=2,
                       show_progress=False)
    assert report.interrupted
    assert 5 <= len(report.outcomes) < 200
    assert all(o.value == int(o.name) for o in report.outcomes)


def test_interrupted_generation_leaves_only_whole_files(tmp_path, monkeypatch):
    from policygen.generate import all_kommuner as generation

    original = generation._generate_task
    calls = []

    def interrupt_after_three(task):
        calls.append(task)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return original(task)

    monkeypatch.setattr(generation, "_generate_task", interrupt_after_three)
    report = generation.generate_all_kommuner(DEFAULTS, tmp_path / "ut", doc_keys=["policy"], jobs=1,
                                              show_progress=False)
    assert report.interrupted and len(report.succeeded) == 3
    files = sorted((tmp_path / "ut").iterdir())
    assert len(files) == 3 and all(not f.name.startswith(".") for f in files)
    for path in files:
        assert docx.Document(str(path)).paragraphs


def test_progress_bar_is_shown_only_when_asked_for_a_terminal(capsys):
    run_batch(_square, list(range(6)), [str(i) for i in range(6)], jobs=1, show_progress=True,
              description="Granskar")
    shown = capsys.readouterr().err
    assert "Granskar: 0/6" in shown  # tqdm redraws at most ten times a second and clears at the end
    run_batch(_square, list(range(6)), [str(i) for i in range(6)], jobs=1, show_progress=False)
    assert capsys.readouterr().err == ""
