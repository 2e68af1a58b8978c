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


def require_libreoffice() -> str:
    """LibreOffice's command. Without it a test is skipped on a developer's
    machine but fails in CI (CI=true), where .ci/run installs it."""
    from policygen.render.pdf import soffice_command

    command = soffice_command()
    if command is None:
        message = ("LibreOffice (soffice) saknas – installera libreoffice-writer och fonts-crosextra-carlito "
                   "för att köra PDF-testerna")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return command


@pytest.fixture(scope="session")
def municipal_template_path(tmp_path_factory) -> Path:
    from template_factory import municipal_template

    return municipal_template(tmp_path_factory.mktemp("mall") / "kommunmall.docx")


@pytest.fixture(scope="session")
def generated_with_template(tmp_path_factory, municipal_template_path) -> dict[str, Path]:
    """The Markaryd and Ljungby documents made with a kommun's own Word template."""
    out = tmp_path_factory.mktemp("utkast-mall")
    for profile in ("markaryd", "ljungby"):
        code, _, stderr = run_cli("generate", EXAMPLES / f"{profile}.yaml", "--reference-docx",
                                  municipal_template_path, "-o", out)
        assert code == 0, stderr
    return {path.stem: path for path in sorted(out.glob("*.docx"))}


@pytest.fixture(scope="session")
def published(tmp_path_factory, municipal_template_path) -> dict[str, Path]:
    """DOCX and PDF (generate --format docx,pdf) of the Markaryd and Ljungby
    documents, without and with the kommun's template; keys like
    'markaryd-handlingsplan' and 'mall/markaryd-handlingsplan', values the PDF."""
    require_libreoffice()
    files: dict[str, Path] = {}
    for variant, extra in (("", []), ("mall/", ["--reference-docx", municipal_template_path])):
        out = tmp_path_factory.mktemp("publicerat")
        for profile in ("markaryd", "ljungby"):
            code, _, stderr = run_cli("generate", EXAMPLES / f"{profile}.yaml", "--format", "docx,pdf",
                                      *extra, "-o", out)
            assert code == 0, stderr
        files.update({variant + path.stem: path for path in sorted(out.glob("*.pdf"))})
    return files
