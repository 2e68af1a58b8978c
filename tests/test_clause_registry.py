"""The generator states amounts, law citations and paragraph numbers from the
fact registry (lint_rules/faktaregister.yaml), the same data the linter checks
drafts against, so a generated document and its review never disagree."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from policygen.facts.registry import load_registry
from policygen.generate import assemble as assemble_module
from policygen.generate.assemble import clause_preview
from policygen.generate.clauses import load_library
from policygen.infra.resources import clauses_dir, lint_rules_dir
from policygen.lint.engine import lint_document
from policygen.model import Document, DocumentBuilder
from policygen.profile.load import load_profile

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "markaryd.yaml"
_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _literal_text(path: Path) -> str:
    """A clause file without its template expressions: what it states literally."""
    return _TEMPLATE_CODE.sub(" ", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(clauses_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_no_clause_writes_a_registered_fact_literally(path):
    registry = load_registry()
    text = " ".join(_literal_text(path).split())
    assert not re.search(r"\(\d{4}:\d+\)", text), f"{path.name}: skriv lagen som {{{{ fakta.lag.….citat }}}}"
    assert not re.search(r"\b\d{1,3}(?: \d{3})+ kronor", text), f"{path.name}: hämta beloppet ur faktaregistret"
    for paragraph in registry.paragraphs:
        if "§" in paragraph.ref.text():
            assert paragraph.ref.text() not in text, f"{path.name}: skriv {{{{ fakta.paragraf.… }}}}"
    assert not re.search(r"\b\d+ procent\b", text), f"{path.name}: hämta andelen ur faktaregistret"


def _preview_text(clause_id: str) -> str:
    document = clause_preview(load_profile(EXAMPLE), load_library().get(clause_id), "riktlinje")
    return " ".join(" ".join(str(part) for part in _strings(document)).split())


def _strings(node: object):
    """Every string in a document model, footnotes included."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, (list, tuple, dict)):
        for item in (node.values() if isinstance(node, dict) else node):
            yield from _strings(item)
    elif hasattr(node, "__dataclass_fields__"):
        for name in node.__dataclass_fields__:
            yield from _strings(getattr(node, name))


def test_a_generated_clause_states_todays_registry_values():
    text = _preview_text("upphandling-direktupphandling")
    assert "19 a kap. lagen (2016:1145) om offentlig upphandling" in text
    assert "700 000 kronor sedan 2022-02-01" in text and "100 000 kronor eller mer" in text
    reserved = _preview_text("upphandling-reserverad")
    assert "Minst 30 procent" in reserved and "4 kap. 18 § lagen (2016:1145)" in reserved
    assert "Kommunallagen (2017:725) 2 kap. 8 §" in _preview_text("vagar-till-stod")


def test_a_new_limit_in_the_registry_reaches_the_document_and_the_check(tmp_path, monkeypatch):
    """An expert records a new direct-award limit; the next generated document
    states it, and the linter, reading the same registry, accepts it."""
    text = (lint_rules_dir() / "faktaregister.yaml").read_text(encoding="utf-8")
    old = "      - {amount: 700000, from: 2022-02-01}"
    assert old in text
    start = dt.date.today() - dt.timedelta(days=30)
    text = text.replace(old, f"      - {{amount: 700000, from: 2022-02-01, to: {start - dt.timedelta(days=1)}}}\n"
                             f"      - {{amount: 800000, from: {start}}}")
    changed = tmp_path / "faktaregister.yaml"
    changed.write_text(text, encoding="utf-8")
    registry = load_registry(changed)
    monkeypatch.setattr(assemble_module, "load_registry", lambda: registry)
    stated = _preview_text("upphandling-direktupphandling")
    assert f"800 000 kronor sedan {start.isoformat()}" in stated and "700 000" not in stated

    from policygen.lint.text.kinds import fact_amounts
    monkeypatch.setattr(fact_amounts, "load_registry", lambda: registry)
    sentence = "Direktupphandling får användas när värdet understiger 800 000 kronor."
    findings = lint_document(_draft(sentence), "policy").findings
    assert not [f for f in findings if f.category == "fakta"]
    stale = lint_document(_draft(sentence.replace("800 000", "700 000")), "policy").findings
    assert [f.rule for f in stale if f.category == "fakta"] == ["FA02"]


def _draft(sentence: str) -> Document:
    builder = DocumentBuilder("Policy för sociala företag", doc_type="policy")
    builder.heading("Policy för sociala företag", 0)
    builder.paragraph(sentence)
    return builder.document
