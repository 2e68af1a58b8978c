"""Whatever a user hands the tool, the answer is a result or a clean user error
(exit 2, a Swedish message, no traceback) – never a crash, never a corrupt or
half-written file. The hostile files are built here, not stored as blobs."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from docx_factory import p, write_docx
from pdf_factory import write_pdf
from policygen.errors import UserError
from policygen.infra.resources import clauses_dir, data_root, lint_rules_dir
from yaml_mutations import mutate

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def _mutations(text: str):
    """Random edits of a valid file: what a hurried expert's typo looks like."""
    edit = st.tuples(st.integers(0, len(text)), st.integers(0, 12),
                     st.text(alphabet=st.sampled_from(list(":-[]{}'\"#&*!|> \n\t0123456789abcåäöKS_%\\")),
                             max_size=6))
    return st.lists(edit, min_size=1, max_size=4).map(lambda edits: _apply(text, edits))


def _apply(text: str, edits) -> str:
    for position, cut, insert in edits:
        position = min(position, len(text))
        text = text[:position] + insert + text[position + cut:]
    return text


def _clean_or_user_error(load, path: Path, content: str) -> None:
    path.write_text(content, encoding="utf-8")
    try:
        load(path)
    except UserError as error:
        assert str(error) and str(path.name) in str(error)


CLAUSE = (clauses_dir() / "uppfoljning.yaml").read_text(encoding="utf-8")


@FUZZ
@given(_mutations(CLAUSE))
def test_mutated_clause_files(tmp_path_factory, content):
    from policygen.generate.clauses import load_clause
    _clean_or_user_error(load_clause, tmp_path_factory.mktemp("k") / "uppfoljning.yaml", content)


@FUZZ
@given(_mutations((lint_rules_dir() / "fakta.yaml").read_text(encoding="utf-8")))
def test_mutated_text_rule_files(tmp_path_factory, content):
    from policygen.lint.text.rules import _load
    _clean_or_user_error(_load.__wrapped__, tmp_path_factory.mktemp("t") / "fakta.yaml", content)


# -- rule files: YAML-aware mutations of the whole valid file, then a lint with it ---------------------

RULE_FUZZ = settings(max_examples=int(os.environ.get("POLICYGEN_RULE_FUZZ_EXAMPLES", "100")), deadline=None,
                     suppress_health_check=list(HealthCheck))
BUNDLED_RULES = lint_rules_dir()
RULE_FILES = {name: yaml.safe_load((BUNDLED_RULES / name).read_text(encoding="utf-8"))
              for name in ("skr.yaml", "concepts.yaml")}
RULE_DRAFT = """Riktlinje för kommunens arbete med sociala företag

Kommunstyrelsen äger frågan och näringslivsenheten samordnar arbetet mellan förvaltningarna.

Kommunen skall följa upp samverkan med de sociala företagen varje år och redovisa resultatet för nämnden.

Ett idéburet offentligt partnerskap (IOP) kan användas när ett socialt företag driver en verksamhet som
kommunen vill stödja långsiktigt.
"""


@pytest.fixture(scope="module")
def rule_root(tmp_path_factory) -> Path:
    """A data folder like the installed one, with its own copies of the rule files."""
    root = tmp_path_factory.mktemp("data")
    real = data_root()
    for name in ("clauses", "templates"):
        (root / name).symlink_to(real / name)
    (root / "lint_rules").mkdir()
    for path in (real / "lint_rules").glob("*.yaml"):
        shutil.copy(path, root / "lint_rules" / path.name)
    (root / "utkast.txt").write_text(RULE_DRAFT, encoding="utf-8")
    return root


def _forget_loaded_rules() -> None:
    from policygen.lint.coverage import rules
    from policygen.nlp import concepts
    rules._load.cache_clear()
    concepts._load.cache_clear()


def _load_rules_in(root: Path, name: str, text: str):
    """The coverage rules the linter would use with `text` as lint_rules/`name`."""
    from policygen.lint.coverage.rules import load_rules
    from policygen.nlp.concepts import load_lexicon

    (root / "lint_rules" / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    _forget_loaded_rules()
    load_lexicon()
    return load_rules()


def _lint_with_mutated_rule_file(root: Path, name: str, text: str) -> str:
    """Load the mutated file as the linter would; when it loads, lint a known
    draft with it and check the result. Returns "laddad" or "fel"."""
    from policygen.infra import resources
    from policygen.lint.coverage.rules import OFF_TOPIC_RULE
    from policygen.lint.text.rules import load_text_rules

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resources, "data_root", lambda: root)
        try:
            try:
                rules = _load_rules_in(root, name, text)
            except UserError as error:
                assert name in str(error) or "skr.yaml" in str(error), str(error)
                assert "internt fel" not in str(error)
                return "fel"
            code, out, err = run_cli("lint", root / "utkast.txt", "--format=json", "--no-config",
                                     "--min-severity=info")
            assert code in (0, 1), err
            assert "Traceback" not in out + err
            result = json.loads(out)
            by_coverage = {rule.coverage_id: rule for rule in rules}
            assert set(result["coverage"]) == set(by_coverage)
            assert all(entry["name"] == by_coverage[cid].name for cid, entry in result["coverage"].items())
            known = {rule.id for rule in rules} | {rule.id for rule in load_text_rules()} | {OFF_TOPIC_RULE}
            assert {finding["rule"] for finding in result["findings"]} <= known
            for finding in result["findings"]:
                if finding["coverage_id"] is not None:
                    rule = by_coverage[finding["coverage_id"]]
                    assert finding["rule"] == rule.id
                    assert finding["message"] == rule.message or finding["message"].startswith("Bara delvis")
            return "laddad"
        finally:
            shutil.copy(BUNDLED_RULES / name, root / "lint_rules" / name)
            _forget_loaded_rules()


@RULE_FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_mutated_coverage_rule_files_load_cleanly_and_lint_with_what_they_say(rule_root, rng):
    _lint_with_mutated_rule_file(rule_root, "skr.yaml", mutate(rng, RULE_FILES["skr.yaml"]))


@RULE_FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_mutated_concept_lexicons_load_cleanly_and_lint_with_what_they_say(rule_root, rng):
    _lint_with_mutated_rule_file(rule_root, "concepts.yaml", mutate(rng, RULE_FILES["concepts.yaml"]))


@pytest.mark.parametrize("name", list(RULE_FILES))
def test_most_rule_file_mutations_load_and_reach_the_linter(rule_root, name):
    """The fuzz above is worth running only if most mutated files still load."""
    outcomes = [_lint_with_mutated_rule_file(rule_root, name, mutate(random.Random(seed), RULE_FILES[name]))
                for seed in range(40)]
    # Half: a concept phrase has a form check (no stray whitespace or line break), so a
    # mutated phrase is often a clean, named error rather than a file that loads.
    assert outcomes.count("laddad") >= 20, outcomes


CONFIG = """regler:
  av: [klarspråk, FA05]
  på: [KS01]
  nivå: {FA04: warning, fakta: info}
gränser: {meningslängd: 30, lix: 55}
accepterade:
  - {regel: FA03, text: xxxx-xx-xx, kommentar: fylls i senare}
"""


@FUZZ
@given(_mutations(CONFIG))
def test_mutated_configuration(tmp_path_factory, content):
    from policygen.lint.catalog import rule_catalog
    from policygen.lint.config import load_config
    catalog = rule_catalog()
    ids, categories = {r.id for r in catalog}, {r.category for r in catalog}
    _clean_or_user_error(lambda path: load_config(path, ids, categories),
                         tmp_path_factory.mktemp("cfg") / "policygen.yaml", content)


def _valid_docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_heading("Policy för sociala företag", 0)
    document.add_paragraph("Kommunstyrelsen ansvarar. Näringslivsenheten följer upp arbetet varje år.")
    document.save(buffer)
    return buffer.getvalue()


DOCX_BYTES = _valid_docx_bytes()


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(DOCX_BYTES) - 1), st.integers(0, 255)), min_size=1, max_size=20),
       st.integers(200, len(DOCX_BYTES)))
def test_corrupted_docx_files(tmp_path_factory, flips, length):
    from policygen.read.draft import read_document
    data = bytearray(DOCX_BYTES[:length])
    for position, value in flips:
        if position < len(data):
            data[position] = value
    path = tmp_path_factory.mktemp("d") / "utkast.docx"
    path.write_bytes(bytes(data))
    try:
        read_document(path)
    except UserError as error:
        assert "utkast.docx" in str(error)


PDF_PAGES = [["Policy för sociala företag", "Kommunstyrelsen ansvarar för arbetet."]]


@FUZZ
@given(st.data())
def test_truncated_and_mangled_pdfs(tmp_path_factory, data):
    from policygen.read.draft import read_document
    folder = tmp_path_factory.mktemp("p")
    valid = write_pdf(folder / "hel.pdf", PDF_PAGES).read_bytes()
    cut = data.draw(st.integers(10, len(valid)))
    junk = data.draw(st.binary(max_size=40))
    at = data.draw(st.integers(0, cut))
    path = folder / "trasig.pdf"
    path.write_bytes(valid[:at] + junk + valid[at:cut])
    try:
        read_document(path)
    except UserError as error:
        assert "trasig.pdf" in str(error)


def test_thousands_of_tiny_paragraphs_and_a_500_page_draft(tmp_path):
    from policygen.lint.run import lint_files
    tiny = write_docx(tmp_path / "små.docx", p("Policy", style="Title") + "".join(p(f"Ord{i}.") for i in range(5000)))
    result = lint_files([tiny]).results[0]
    assert len(result.coverage) == 12
    # About 500 pages: 15 000 paragraphs of ordinary sentences.
    sentence = "Kommunen samverkar med sociala företag och följer upp arbetet varje år."
    long = write_docx(tmp_path / "lång.docx", p("Handlingsplan", style="Title") + p(sentence) * 15000)
    assert lint_files([long]).results[0].doc_type == "handlingsplan"


@pytest.mark.parametrize("encoding, newline", [
    ("latin-1", "\n"), ("cp1252", "\r\n"), ("utf-16", "\r\n"), ("utf-8-sig", "\r"), ("utf-8", "mixed")])
def test_text_in_other_encodings_and_line_endings(tmp_path, encoding, newline):
    from policygen.read.draft import read_document
    lines = ["Riktlinje för sociala företag", "", "Näringslivsenheten ansvarar för rådgivningen.", "",
             "Uppföljning", "", "Kommunstyrelsen följer upp arbetet varje år."]
    text = ("\n".join(lines[:3]) + "\r\n" + "\r".join(lines[3:])) if newline == "mixed" else newline.join(lines)
    path = tmp_path / "utkast.txt"
    path.write_bytes(text.encode(encoding))
    document = read_document(path)
    texts = [t for t, _ in document.text_units()]
    assert texts[0] == "Riktlinje för sociala företag"
    assert "Näringslivsenheten ansvarar för rådgivningen." in texts
    assert "Kommunstyrelsen följer upp arbetet varje år." in texts


def test_file_names_with_spaces_swedish_letters_and_leading_dashes(cli, tmp_path, monkeypatch):
    folder = tmp_path / "utkast från nämnden"
    folder.mkdir()
    for name in ("-utkast.txt", "åäö med mellanslag.txt", "--help.md"):
        (folder / name).write_text("Policy\n\nKommunen skall stödja sociala företag.\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    code, out, _ = cli("lint", "--min-severity", "info", "--", "-utkast.txt")
    assert code == 1 and "Granskning av -utkast.txt" in out and "KS01" in out
    code, out, _ = cli("lint", "./-utkast.txt", "--min-severity", "info")
    assert code == 1 and "Granskning av -utkast.txt" in out
    code, out, _ = cli("lint", folder, "--format", "json", "--quiet")
    import json
    files = sorted(Path(entry["file"]).name for entry in json.loads(out))
    assert files == ["--help.md", "-utkast.txt", "åäö med mellanslag.txt"]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(min_size=1, max_size=60))
def test_any_profile_text_gives_a_valid_docx(tmp_path_factory, value):
    from conftest import EXAMPLES
    from policygen.generate.assemble import assemble
    from policygen.profile.load import load_profile
    from policygen.render.docx.writer import render_docx
    profile = load_profile(EXAMPLES / "solleftea.yaml", overrides={"ansvar": {"enhet": value}})
    data = render_docx(assemble(profile, "policy"))
    opened = docx.Document(io.BytesIO(data))  # parses every part: no illegal XML
    assert opened.paragraphs
