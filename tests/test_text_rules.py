"""Klarspråk and fact rules beyond their own examples (which carry the exact
evidence and replacement, and run in tests/test_fact_rules_table.py): limits
from the configuration, LIX per section, what counts as a sentence, whose
document a draft is, the document calling itself another type."""

from __future__ import annotations

from policygen.lint.engine import lint_document
from policygen.read.text import parse_text


def findings(text: str, rule: str, doc_type: str = "policy", kommun: str | None = None,
             title: str = "Policy för sociala företag"):
    document = parse_text(f"# {title}\n\n{text}\n", source="utkast.md")
    result = lint_document(document, doc_type, kommun=kommun)
    return [(f.span.text, f.replacement) for f in result.findings if f.rule == rule]


def test_long_sentences_and_the_configurable_limit():
    long = "Kommunen " + " ".join(["stödjer"] * 36) + " företag."
    assert len(findings(long, "KS08")) == 1
    assert findings("Kommunen stödjer sociala företag med råd.", "KS08") == []
    from policygen.lint.config import LintConfig
    document = parse_text("# Policy\n\nKommunen stödjer sociala företag med råd och stöd.\n", source="x.md")
    result = lint_document(document, "policy", config=LintConfig(limits={"meningslängd": 5}))
    assert [f.message for f in result.findings if f.rule == "KS08"] == [
        "Meningen har 8 ord (gränsen är 5). Dela upp den."]


def test_lix_is_reported_only_where_a_section_is_harder_than_the_limit():
    easy = " ".join(["Vi gör det nu. Du får hjälp."] * 10)
    hard = " ".join(["Arbetsmarknadsförvaltningens samverkansöverenskommelser kompletterar "
                     "myndighetsgemensamma utvecklingsinsatser och upphandlingsrelaterade "
                     "kvalitetsuppföljningar inom välfärdsverksamheterna"] * 6) + "."
    document = parse_text(f"# Policy\n\n## Lätt\n\n{easy}\n\n## Svår\n\n{hard}\n", source="x.md")
    lix = [(f.severity, f.span.text, f.message) for f in lint_document(document, "policy").findings
           if f.rule == "KS09"]
    # The whole document, mostly short sentences, is not hard; the hard section is.
    assert [(severity, evidence) for severity, evidence, _ in lix] == [("warning", "Svår")]
    assert lix[0][2].startswith("Avsnittet ”Svår” har LIX 140 – mycket svår (gränsen är 60).")
    plain = " ".join(["Kommunen köper tjänster av sociala företag och ger dem råd om upphandling."] * 6)
    easy_only = parse_text(f"# Policy\n\n## Lätt\n\n{easy}\n\n## Vanlig\n\n{plain}\n", source="x.md")
    assert not any(f.rule == "KS09" for f in lint_document(easy_only, "policy").findings)
    from policygen.lint.config import LintConfig
    stricter = lint_document(easy_only, "policy", config=LintConfig(limits={"lix": 30}))
    assert [f.span.text for f in stricter.findings if f.rule == "KS09"] == ["Vanlig"]


def test_list_items_and_metadata_lines_are_not_long_sentences():
    items = "\n".join(f"- {' '.join(['kooperativ'] * 40)} nummer {n}" for n in range(3))
    metadata = ("Dnr: KS 2024/0312 Antagen av: Kommunfullmäktige Antagen datum: 2024-03-18 Gäller för: "
                "alla nämnder och bolag Dokumentansvarig: Näringslivschefen Reviderad: 2025-01-10 "
                "Nästa revidering: 2027 Beslutsparagraf: § 27 Diarieplan: 1.4.2 Version: 3 Status: gällande")
    document = parse_text(f"# Policy\n\nKommunen ska:\n\n{items}\n\n{metadata}\n", source="x.md")
    assert not any(f.rule == "KS08" for f in lint_document(document, "policy").findings)


def test_own_kommun_is_detected_from_the_title():
    flagged = findings("Markaryds kommun ska stödja sociala företag.", "FA04",
                       title="Policy för sociala företag i Sollefteå kommun")
    assert flagged == [("Markaryds kommun ska", None)]
    # Without a title or --kommun, a single mention decides nothing.
    assert findings("Markaryds kommun ska stödja sociala företag.", "FA04", title="Policy") == []


def test_inconsistent_document_type():
    text = ("Denna riktlinje gäller alla förvaltningar. Riktlinjen gäller från 2027. "
            "Dessa riktlinjer följs upp årligen.")
    assert findings(text, "FA05", "policy") == [("Denna riktlinje", "denna policy")]
    assert findings(text, "FA05", "riktlinje") == []
    assert findings("Handlingsplanen genomför policyn. Policyn gäller hela kommunen.", "FA05",
                    "handlingsplan") == []
