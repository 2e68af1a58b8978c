"""The whole command line driven with generated input (issue 14, "Done
means"): profiles with hostile names and values, drafts with hostile names and
text, and combinations of arguments. Whatever comes in: exit 0, 1 or 2, no
traceback, no file created outside the output folder, and no file that was
there before changed unless --force was given."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, run_cli

EXAMPLES_COUNT = int(os.environ.get("POLICYGEN_CLI_EXAMPLES", "150"))

hostile = st.lists(st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(["/", "\\", "..", "../", "\x00", "\x1b[2J", "\u202e", ":", "CON", "å", " ", "*", "~", "\n",
                     "{{ x }}", "&a", "*a", "'", '"']),
), max_size=40).map("".join)

PROFILE = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


@st.composite
def invocations(draw):
    command = draw(st.sampled_from(["generate", "lint", "init"]))
    force = draw(st.booleans())
    if command == "generate":
        field = draw(st.sampled_from(["namn: Ljungby", "text: I Ljungby", "namnd: Kommunstyrelsen"]))
        value = draw(hostile)
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        key = field.split(":")[0]
        profile = PROFILE.replace(field, f"{key}: {quoted}", 1)
        extra = draw(st.lists(st.sampled_from(["--utkast", "--doc=policy", "--format=md"]), unique=True))
        return command, {"profil.yaml": profile}, extra, force
    if command == "lint":
        name = draw(hostile).replace("/", "-").replace("\x00", "-")[:60] or "x"
        text = draw(hostile)
        fmt = draw(st.sampled_from(["text", "json", "sarif", "html"]))
        return command, {f"{name}.txt": f"Policy\n\n{text}\n"}, [f"--format={fmt}"], force
    return command, {}, ["--kommun", draw(hostile) or "Ljungby"], force


@settings(max_examples=EXAMPLES_COUNT, deadline=None, suppress_health_check=list(HealthCheck))
@given(invocations())
def test_any_invocation_ends_cleanly_inside_the_output_folder(invocation):
    command, inputs, extra, force = invocation
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        given_folder, out, outside = root / "in", root / "ut", root / "utanför"
        for folder in (given_folder, out, outside):
            folder.mkdir()
        (out / "ljungby-policy.md").write_text("fanns före", encoding="utf-8")
        (outside / "X.md").write_text("orörd", encoding="utf-8")
        paths = []
        for name, content in inputs.items():
            try:
                path = given_folder / name
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
                paths.append(path)
            except (OSError, ValueError):  # a name this file system itself refuses
                return
        before = _snapshot(root)
        if command == "generate":
            arguments = ["generate", paths[0], "-o", out, *extra]
        elif command == "lint":
            arguments = ["lint", paths[0], *extra, "-o", out / "rapport.txt"]
        else:
            arguments = ["init", *extra, "-o", out / "profil.yaml"]
        if force:
            arguments.append("--force")
        code, stdout, stderr = run_cli(*arguments)
        assert code in (0, 1, 2), (arguments, stderr)
        assert "Traceback" not in stdout + stderr and "internt fel" not in stderr, stderr
        after = _snapshot(root)
        created = [p for p in after if p not in before]
        assert all(p.parent == out for p in created), created
        changed = [p for p in before if before[p] != after.get(p)]
        assert force or not changed, changed
        assert all(p.parent == out for p in changed), changed
