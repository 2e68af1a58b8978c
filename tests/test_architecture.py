"""The layout is the architecture: the import contract in pyproject.toml holds,
no module imports another in a cycle (function-level imports included), a
planted upward import breaks the contract, and every function-level import of
policygen's own modules that remains says why."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
PACKAGE = SRC / "policygen"


def _lint_imports(source_root: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(source_root)}
    command = Path(sys.executable).with_name("lint-imports")  # import-linter's command, in the test environment
    return subprocess.run([str(command), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)


def test_the_import_contract_holds():
    done = _lint_imports(SRC)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_a_planted_upward_import_breaks_the_contract(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(PACKAGE, copy / "policygen", ignore=shutil.ignore_patterns("__pycache__", "data"))
    model = copy / "policygen" / "model.py"
    # The shared kernel reaching up into the linter: exactly what the layers forbid.
    model.write_text(model.read_text(encoding="utf-8") + "\n\ndef _planted():\n"
                     "    from policygen.lint.engine import lint_documents\n    return lint_documents\n",
                     encoding="utf-8")
    done = _lint_imports(copy)
    assert done.returncode != 0
    assert "policygen.model -> policygen.lint.engine" in done.stdout


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the groups of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def test_no_module_imports_another_in_a_cycle():
    graph = grimp.build_graph("policygen", cache_dir=None)
    edges = {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    # A package's __init__ is not a step of a cycle through its own children.
    for _module, imported in edges.items():
        imported.discard("policygen")
    assert _strongly_connected(edges) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _function_level_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("policygen"):
                found.append((node.lineno, node.module or ""))
    return found


def test_every_lazy_import_of_our_own_modules_says_why():
    """A function-level import exists for start-up time only, and says so in a
    comment on its line or in the comment block just above its group."""
    silent = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for line_number, module in _function_level_imports(path):
            at = line_number - 1
            if "#" in lines[at]:
                continue
            above = at - 1
            while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
                above -= 1
            if above >= 0 and lines[above].strip().startswith("#"):
                continue
            silent.append(f"{path.relative_to(SRC)}:{line_number} {module}")
    assert silent == []


@pytest.mark.parametrize("stage", ["profile", "generate", "render", "read", "nlp", "facts", "lint", "report", "overview", "ooxml",
                                   "infra", "web"])
def test_the_folder_list_shows_the_stages(stage):
    assert (PACKAGE / stage / "__init__.py").is_file()
    docstring = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
    assert docstring, f"{stage}/__init__.py says what the stage does"
