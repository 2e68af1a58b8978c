"""Klarspråk and fact rules: each with texts it must flag and texts it must
leave alone, with the exact evidence and proposed replacement."""

from __future__ import annotations

import pytest

from policygen.lint.engine import lint_document
from policygen.read.text import parse_text


def findings(text: str, rule: str, doc_type: str = "policy", kommun: str | None = None,
             title: str = "Policy för sociala företag"):
    document = parse_text(f"# {title}\n\n{text}\n", source="utkast.md")
    result = lint_document(document, doc_type, kommun=kommun)
    return [(f.span.text, f.replacement) for f in result.findings if f.rule == rule]


@pytest.mark.parametrize("rule, text, expected", [
    ("KS01", "Kommunen skall stödja sociala företag.", [("skall", "ska")]),
    ("KS01", "Skall kommunen stödja dem?", [("Skall", "Ska")]),
    ("KS01", "En skallig man och en skalle är inga fynd.", []),
    ("KS02", "Arbetet föreslås utredas under året.", [("föreslås utredas", None)]),
    ("KS02", "Insatsen planeras att genomföras 2027.", [("planeras att genomföras", None)]),
    ("KS02", "Kommunen hoppas att företagen lyckas.", []),
    ("KS02", "Arbetet ska genomföras 2027.", []),
    ("KS03", "Beslut avseende stöd fattas av nämnden.", [("avseende", "om")]),
    ("KS03", "Stödet ges i enlighet med policyn.", [("i enlighet med", "enligt")]),
    ("KS03", "Nämnden beslutar om stöd.", []),
    # No replacement where it would change the meaning.
    ("KS03", "Ärendet väcktes med anledning av en motion.", [("med anledning av", None)]),
    ("KS03", "Policyn är tydlig i detta avseende.", []),
    ("KS03", "Lokalen stängs i samband med att projektet slutar.", [("i samband med att", "när")]),
    ("KS04", "Stöd ges icke till bolag som ej uppfyller kraven.", [("icke", "inte"), ("ej", "inte")]),
    ("KS04", "Ejderns bo är icketroligt.", []),
    ("KS05", "Föreningar och/eller kooperativ kan få stöd.", [("och/eller", "eller")]),
    ("KS05", "Föreningar eller kooperativ kan få stöd.", []),
    ("KS06", "Kommunen informerar samt utbildar.", [("samt", "och")]),
    ("KS06", "Samtliga förvaltningar deltar.", []),
    ("KS07", "Tjänstemännen ger råd.", [("Tjänstemännen", "Tjänstepersonerna")]),
    ("KS07", "Tjänstepersonerna ger råd.", []),
])
def test_klarsprak_rules(rule, text, expected):
    assert findings(text, rule) == expected


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


@pytest.mark.parametrize("text, expected", [
    ("Upphandling sker enligt LOU 2007:1092.", ["LOU 2007:1092"]),
    ("Upphandling sker enligt lagen (2007:1091) om offentlig upphandling.",
     ["lagen (2007:1091) om offentlig upphandling"]),
    ("Upphandling sker enligt lag (2016:1145) om offentlig upphandling.", []),
])
def test_repealed_law_references(text, expected):
    assert [e for e, _ in findings(text, "FA01")] == expected


@pytest.mark.parametrize("text, flagged", [
    ("Gränsen för direktupphandling är 615 312 kr.", ["615 312 kr"]),
    ("Gränsen är 586907 kronor.", ["586907 kronor"]),
    ("Gränsen är 534\u00a0890 SEK.", ["534\u00a0890 SEK"]),
    ("Gränsen för direktupphandling är 700 000 kr.", []),
    ("Projektet kostar 615 312 000 kr.", []),
])
def test_stale_direct_award_amounts(text, flagged):
    assert [e for e, _ in findings(text, "FA02")] == flagged


@pytest.mark.parametrize("text, flagged", [
    ("Antagen av kommunfullmäktige xxxx-xx-xx, § XX/XXXX.", ["xxxx-xx-xx", "§ XX/XXXX"]),
    ("[Kommun] ska samverka med företagen. TODO: fyll i nämnd.", ["[Kommun]", "TODO"]),
    ("Lorem ipsum dolor sit amet.", ["Lorem ipsum"]),
    ("Antagen av kommunfullmäktige 2024-03-18, § 45.", []),
])
def test_placeholders(text, flagged):
    assert [e for e, _ in findings(text, "FA03")] == flagged


@pytest.mark.parametrize("text, flagged", [
    ("Markaryds kommun ska stödja sociala företag.", ["Markaryds kommun ska"]),
    ("Markaryds kommuns vision är tydlig.", ["Markaryds kommuns vision"]),
    ("Sollefteå kommun samverkar med Kramfors kommun och Härnösands kommun.", []),
    ("Kommunen samarbetar med Markaryds kommun i projektet.", []),
    ("Sollefteå kommun ska stödja sociala företag.", []),
])
def test_another_kommuns_name_used_as_the_documents_own(text, flagged):
    assert [e for e, _ in findings(text, "FA04", kommun="Sollefteå")] == flagged


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
