"""The type hints in src/ are checked and the code is linted: mypy runs with the configuration in
pyproject.toml ([tool.mypy]) and must find nothing. It runs as its own process
from the repository root, as a developer would run `mypy`, so its settings,
the stubs installed beside it and its incremental cache (.mypy_cache) are the
same as on the command line."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def require_mypy() -> None:
    """Without mypy the test is skipped on a developer's machine but fails in
    CI (CI=true), where the [test] extra installs it."""
    if importlib.util.find_spec("mypy") is None:
        message = "mypy saknas – installera testverktygen (sh tools/venv.sh test) för att kontrollera typerna"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def test_mypy_finds_no_errors_in_src() -> None:
    require_mypy()
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    report = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, f"mypy hittade fel i src/:\n{report}"
    assert report.startswith("Success: no issues found"), report


def test_ruff_finds_nothing() -> None:
    """The code linter, with the rules and the reasons for each ignore in
    pyproject.toml ([tool.ruff]), over the library, the tests, the benchmarks
    and the tools."""
    if importlib.util.find_spec("ruff") is None:
        message = "ruff saknas – installera testverktygen (sh tools/venv.sh test)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests", "benchmarks",
                             "tools"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"ruff hittade fel:\n{result.stdout}{result.stderr}"
