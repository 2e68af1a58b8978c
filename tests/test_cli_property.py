"""The whole command line driven with generated input (issue 14, "Done
means"): profiles with hostile names and values, configuration files with
hostile values, Word templates (valid and broken), --profiler folders, drafts
with hostile names and text, and combinations of arguments (an output that is
a file or an input, missing values, unknown flags). Whatever comes in: exit 0,
1 or 2, no traceback, no file created outside the output folder, and no file
that was there before changed unless --force was given, and then only in the
output folder.

A few thousand examples run in about a minute: every command runs in this
process (conftest.run_cli), documents are mostly written as Markdown and one
at a time, drafts are a few lines, and the templates and other inputs are built
once and copied into each example's folder. PDF output is left out: it starts
LibreOffice, seconds per run. POLICYGEN_CLI_EXAMPLES sets the number of
examples (default 2000)."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, run_cli
from template_factory import edit_package

EXAMPLES_COUNT = int(os.environ.get("POLICYGEN_CLI_EXAMPLES", "2000"))

hostile = st.lists(st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(["/", "\\", "..", "../", "\x00", "\x1b[2J", "\x1b]0;x\x07", "\u202e", ":", "CON", "NUL.txt",
                     "å", " ", "*", "~", "\n", "{{ x }}", "{% if %}", "&a", "*a", "'", '"', ".", "-",
                     "--force", "Alvesta", "Ljungby", "0781"]),
), max_size=40).map("".join)

PROFILE = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")
SECRET = "orörd hemlighet utanför"


def _yaml_string(value: str) -> str:
    """`value` as a YAML double-quoted string; characters YAML does not allow
    as they are (control characters, lone surrogates) as escapes, so that the
    value reaches the program instead of stopping at the YAML parser."""
    def escaped(char: str) -> str:
        if char in '"\\':
            return "\\" + char
        return char if char.isprintable() else f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}"
    return '"' + "".join(map(escaped, value)) + '"'


def _valid_template() -> bytes:
    buffer = io.BytesIO()
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "Kommunens sidhuvud"
    word.save(buffer)
    return buffer.getvalue()


def _templates() -> dict[str, bytes]:
    valid = _valid_template()
    relationships = "word/_rels/document.xml.rels"
    return {
        "mall.docx": valid,
        "avkortad.docx": valid[:len(valid) // 2],
        "ingen-zip.docx": b"PK\x03\x04" + b"\x00" * 40,
        "textfil.docx": "Det här är ingen Word-fil.".encode(),
        "tom.docx": b"",
        "trasig-xml.docx": edit_package(valid, {"word/document.xml": lambda xml: xml[:len(xml) // 2]}),
        "makro.docx": edit_package(valid, {relationships: lambda xml: xml.replace(
            "</Relationships>", '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/hyperlink" Target="file:///etc/passwd" TargetMode="External"/></Relationships>')},
            {"word/vbaProject.bin": b"\x00" * 64}),
        "xxe.docx": edit_package(valid, {"word/document.xml": lambda xml: xml.replace(
            "?>", '?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/hostname">]>', 1).replace(
            "<w:body>", "<w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p>", 1)}),
    }


TEMPLATES = _templates()


def _docx_draft() -> bytes:
    """A short Word draft (the same for every example: building one costs more than linting it)."""
    buffer = io.BytesIO()
    word = docx.Document()
    word.add_heading("Riktlinje för samverkan med sociala företag", 0)
    word.add_paragraph("Kommunen skall stödja sociala företag \u202e och följa upp arbetet varje år.")
    word.add_paragraph("Näringslivsenheten ansvarar; se {{ x }} och &a.")
    word.save(buffer)
    return buffer.getvalue()


DOCX_DRAFT = _docx_draft()

CONFIGS = [
    "regler:\n  av: [{v}]\n",
    "regler:\n  på: [{v}]\n",
    "regler:\n  nivå: {{v}: warning}\n",
    "gränser: {meningslängd: {v}}\n",
    "gränser: {lix: {v}}\n",
    "accepterade:\n  - {regel: KS01, text: {v}, kommentar: ok}\n",
    "{v}\n",
    "a: &a [{v}, {v}]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: [*c, *c, *c, *c]\n",
    "regler:\n" + "  " * 1 + "av:\n" + "".join("  " * (n + 2) + "-\n" for n in range(60)) + "  " * 62 + "x\n",
]
CONFIG_VALUES = st.one_of(hostile.map(_yaml_string), hostile, st.sampled_from(
    ["KS01", "klarspråk", "FA05", "-1", "0", "10000000000000000000000", "1e400", ".nan", "[]", "{}", "null",
     "~", "!!binary aGVq", "*nope", "&x", "|", ">"]))

def one_in(n: int) -> st.SearchStrategy[bool]:
    """True about once in n draws. (integers(0, n) == 0 is true far more often:
    hypothesis favours the ends of a range.)"""
    return st.sampled_from(range(n)).map(lambda index: index == n // 2)


# Lines of the example profile whose value the test replaces: the kommun's name
# (which decides file names), free text, a role, the style.
PROFILE_FIELDS = ["  namn: Ljungby", "  text: I Ljungby", "  namnd: Kommunstyrelsen", "  roll: näringslivsstrateg",
                  "stil: ljungby"]
HOSTILE_PROFILES = [
    "", "[]", "- a\n- b\n", "kommun: [\n", "arv: ../../utanför/X.md\n", "arv: profil.yaml\n", "arv: /dev/zero\n",
    "kommun:\n  namn: &n [x, x]\n  kommunkod: 99999999999999999999\n",
    PROFILE.replace("  namn: Ljungby", '  namn: "Ljung\\ud800by"', 1),  # a lone surrogate
    "a: &a [1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n",
]


@st.composite
def profiles(draw) -> str:
    if draw(one_in(10)):
        return draw(st.sampled_from(HOSTILE_PROFILES))
    field = draw(st.sampled_from(PROFILE_FIELDS))
    start = PROFILE.index(field)
    end = PROFILE.index("\n", start)
    value = draw(st.one_of(hostile.filter(bool), hostile))
    written = value if draw(one_in(10)) else _yaml_string(value)  # now and then not even quoted
    return PROFILE[:start] + field.split(":")[0] + ": " + written + PROFILE[end:]


@st.composite
def invocations(draw):
    """(command, input files, arguments with {in}/{out}/{outside} placeholders, chdir into the inputs?,
    is there already a file where the output would go?)."""
    command = draw(st.sampled_from(["generate"] * 5 + ["lint"] * 4 + ["init"]))
    files: dict[str, str | bytes] = {}
    arguments: list[str] = [command]
    change_folder = False
    if command == "generate":
        files["profil.yaml"] = draw(profiles())
        arguments += ["{in}/profil.yaml"]
        docs = draw(st.lists(st.sampled_from(["policy"] * 24 + ["handlingsplan"] * 4 + ["riktlinje", "okänd", ""]),
                             min_size=1, max_size=2))
        for doc in docs:
            arguments += ["--doc", doc]
        docx_output = draw(one_in(6))
        arguments += ["--format", "docx" if docx_output else "md"]
        if docx_output and draw(st.booleans()):
            name = draw(st.sampled_from(sorted(TEMPLATES)))
            files[name] = TEMPLATES[name]
            arguments += ["--reference-docx", "{in}/" + name]
        if draw(one_in(10)):
            arguments += ["--style", draw(st.sampled_from(["markaryd", "ljungby", "okänd"]))]
        if draw(st.booleans()):
            arguments.append("--utkast")
        if draw(one_in(151)):
            # The whole country: about a second, so rarely. Its own profiles in a --profiler folder.
            files["profiler/ljungby.yaml"] = draw(profiles())
            if not draw(one_in(3)):  # Alvesta's own file renames it Ljungby: two kommuner, one file name
                files["profiler/0764.yaml"] = "kommun:\n  namn: Ljungby\n"
            else:
                name = draw(hostile).replace("/", "-").replace("\x00", "-")[:40] or "x"
                files[f"profiler/{name}.yaml"] = draw(profiles())
            arguments += ["--all-kommuner", "--profiler", "{in}/profiler", "--jobs", "1", "--quiet"]
        elif draw(one_in(31)):
            arguments += ["--profiler", "{in}"]  # without --all-kommuner
        output = draw(st.sampled_from(["{out}"] * 8 + ["{out}/ny/mapp", "{out}/ljungby-policy.md", "{in}/profil.yaml",
                                                         "{out}/../ut"]))
        arguments += ["-o", output]
    elif command == "lint":
        name = draw(hostile).replace("/", "-").replace("\x00", "-")[:60] or "x"
        suffix = draw(st.sampled_from([".txt"] * 4 + [".md"] * 2 + [".docx"]))
        files[name + suffix] = (DOCX_DRAFT if suffix == ".docx" else
                                f"Policy\n\n{draw(hostile)}\n\nKommunen skall stödja sociala företag.\n")
        target = draw(st.sampled_from(["file", "file", "file", "folder"]))
        arguments += ["{in}/" + name + suffix if target == "file" else "{in}"]
        if target == "folder" and draw(st.booleans()):
            files["@länk.md"] = "{outside}/X.md"  # a symlink out of the folder
        arguments += ["--format", draw(st.sampled_from(["text", "json", "sarif", "html"]))]
        config = draw(st.sampled_from(["ingen"] * 3 + ["given", "i mappen", "no-config"]))
        if config != "ingen":
            files["policygen.yaml"] = draw(st.sampled_from(CONFIGS)).replace("{v}", draw(CONFIG_VALUES))
            if config == "given":
                arguments += ["--config", "{in}/policygen.yaml"]
            elif config == "i mappen":
                change_folder = True
            else:
                arguments.append("--no-config")
        if draw(st.booleans()):
            arguments += ["--min-severity", draw(st.sampled_from(["error", "warning", "info"]))]
        if draw(one_in(5)):
            arguments += ["--kommun", draw(hostile)]
        if draw(one_in(5)):
            arguments += ["--doc-type", draw(st.sampled_from(["policy", "riktlinje", "handlingsplan"]))]
        output = draw(st.sampled_from(["{out}/rapport.txt"] * 6 + ["stdout"] * 3 + [
            "{out}", "{in}/" + name + suffix, "{out}/ljungby-policy.md"]))
        if output != "stdout":
            arguments += ["-o", output]
        if draw(one_in(4 if suffix == ".docx" else 16)):
            arguments += ["--annotate", draw(st.sampled_from(["{out}/kopia.docx"] * 3 + ["{in}/" + name + suffix]))]
    else:
        arguments += ["--kommun", draw(st.one_of(st.sampled_from(["Ljungby", "0781", "ljungby", "Upplands Väsby"]),
                                                 hostile))]
        if draw(st.booleans()):
            arguments += ["--stil", draw(st.sampled_from(["markaryd", "ljungby", "okänd", ""]))]
        arguments += ["-o", draw(st.sampled_from(["{out}/profil.yaml", "{out}/ljungby-policy.md", "{out}",
                                                  "{out}/ny/profil.yaml"]))]
    if draw(st.booleans()):
        arguments.append("--force")
    mangle = draw(st.sampled_from(range(40)))  # one in ten examples has its arguments mangled
    if mangle == 20:
        arguments.insert(draw(st.integers(1, len(arguments))), "--okänd-flagga")
    elif mangle == 21:
        arguments.append(draw(st.sampled_from(["-o", "--format", "--doc", "--config", "--kommun"])))  # no value
    elif mangle == 22:
        arguments.insert(draw(st.integers(1, len(arguments))), "")
    elif mangle == 23:
        arguments += ["-o", "{out}/" + "å" * draw(st.sampled_from([200, 5000]))]  # longer than a name may be
    return command, files, arguments, change_folder, draw(one_in(3))


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def _place(files: dict[str, str | bytes], folder: Path, outside: Path) -> bool:
    """Write the example's inputs; False when this file system refuses a name."""
    for name, content in files.items():
        try:
            path = folder / name.lstrip("@")
            path.parent.mkdir(parents=True, exist_ok=True)
            if name.startswith("@"):
                path.symlink_to(str(content).replace("{outside}", str(outside)))
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        except (OSError, ValueError):
            return False
    return True


@settings(max_examples=EXAMPLES_COUNT, deadline=None, suppress_health_check=list(HealthCheck))
@given(invocations())
def test_any_invocation_ends_cleanly_inside_the_output_folder(invocation):
    command, files, arguments, change_folder, occupied = invocation
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        given_folder, out, outside = root / "in", root / "ut", root / "utanför"
        for folder in (given_folder, out, outside):
            folder.mkdir()
        if occupied:
            (out / "ljungby-policy.md").write_text("fanns före", encoding="utf-8")
        (outside / "X.md").write_text(SECRET, encoding="utf-8")
        if not _place(files, given_folder, outside):
            return
        before = _snapshot(root)
        places = {"{in}": str(given_folder), "{out}": str(out), "{outside}": str(outside)}
        concrete = []
        for argument in arguments:
            for mark, value in places.items():
                argument = argument.replace(mark, value)
            concrete.append(argument)
        previous = os.getcwd()
        try:
            if change_folder:
                os.chdir(given_folder)  # policygen.yaml is picked up from the current folder
            code, stdout, stderr = run_cli(*concrete)
        finally:
            os.chdir(previous)
        assert code in (0, 1, 2), (concrete, code, stderr)
        assert "Traceback" not in stdout + stderr and "internt fel" not in stderr, (concrete, stderr)
        assert SECRET not in stdout + stderr, concrete  # a symlink out of a linted folder is not followed
        after = _snapshot(root)
        created = [p for p in after if p not in before]
        assert all(out in p.parents for p in created), (concrete, created)
        assert all(SECRET not in p.read_text(encoding="utf-8", errors="replace")
                   for p in created if p.suffix != ".docx"), concrete
        changed = [p for p in before if before[p] != after.get(p)]
        assert "--force" in concrete or not changed, (concrete, changed)
        assert all(out in p.parents for p in changed), (concrete, changed)


def test_the_broken_templates_are_refused_with_a_message(tmp_path):
    """The templates the property test draws from are what their names say."""
    profile = EXAMPLES / "ljungby.yaml"
    for name, content in TEMPLATES.items():
        path = tmp_path / name
        path.write_bytes(content)
        code, stdout, stderr = run_cli("generate", profile, "--doc", "policy", "--reference-docx", path,
                                       "-o", tmp_path / name.replace(".docx", ""))
        if name in ("mall.docx", "makro.docx", "xxe.docx"):
            # Macros and external links dropped; a DOCTYPE dropped unread, so
            # the external entity is never resolved.
            assert code == 0, (name, stderr)
            written = next((tmp_path / name.replace(".docx", "")).glob("*.docx"))
            with open(written, "rb") as handle:
                package = handle.read()
            assert b"vbaProject" not in package and b"/etc/" not in package, name
        else:
            assert code == 2 and name in stderr and "Traceback" not in stderr, (name, stderr)


@pytest.fixture(autouse=True, scope="module")
def _cache_in_place():
    """Warm the caches once, so that the first examples are not the slowest."""
    with tempfile.TemporaryDirectory() as temporary:
        run_cli("generate", EXAMPLES / "ljungby.yaml", "--doc", "policy", "--format", "md", "-o", temporary)
        draft = Path(temporary) / "utkast.txt"
        draft.write_text("Policy\n\nKommunen skall stödja sociala företag.\n", encoding="utf-8")
        run_cli("lint", draft)
    yield
