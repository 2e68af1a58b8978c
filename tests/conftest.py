from __future__ import annotations

import io
import os
import tempfile
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from policygen.cli import main

# The tests build their own cache (lemma table, validated data) instead of using the user's.
os.environ["POLICYGEN_CACHE"] = tempfile.mkdtemp(prefix="policygen-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def docx_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> dict[str, Path]:
    """Every document of every example profile, generated once per test run."""
    out = tmp_path_factory.mktemp("utkast")
    files: dict[str, Path] = {}
    for profile in ("markaryd", "ljungby", "solleftea"):
        code, stdout, stderr = run_cli("generate", EXAMPLES / f"{profile}.yaml", "-o", out)
        assert code == 0, stderr
    for path in sorted(out.glob("*.docx")):
        files[path.stem] = path
    return files
