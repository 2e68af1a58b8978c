"""The error classes reviewers found on real municipal documents, each on
sentences of our own: words in another sense, missed inflections and units,
present vs partial, off-topic drafts, document structure and negation scope."""

from __future__ import annotations

from policygen.lint.engine import lint_document
from policygen.read.text import parse_text

TITLE = "Policy för sociala företag"


def lint(text: str, title: str = TITLE, markdown: bool = False):
    return lint_document(parse_text(f"{title}\n\n{text}", source="utkast.txt", markdown=markdown), "policy")


def status(text: str, coverage_id: str, title: str = TITLE) -> str:
    return lint(text, title).coverage[coverage_id].status


# 1. A word used in another sense earns no credit.

def test_a_quoted_definition_is_a_definition_not_the_kommuns_purpose():
    text = ("Sociala företag\n\n"
            "Kommunen bygger på Tillväxtverkets beskrivning av sociala företag enligt följande definition:\n\n"
            "• företag med det övergripande ändamålet att ge arbete åt människor långt från arbetsmarknaden\n"
            "• företag som återinvesterar sina vinster\n")
    result = lint(text)
    assert result.coverage["definition"].status == "present"
    assert result.coverage["syfte"].status == "partial"   # no purpose of the policy itself


def test_an_organisations_name_is_no_external_structure():
    text = ("Organisationen Forum – idéburna organisationer med social inriktning utvecklade avtalsformen.\n\n"
            "Sociala företag finns i många branscher.")
    assert status(text, "extern-samverkan") == "missing"


def test_local_social_enterprises_get_no_support_from_the_word_lokal():
    assert status("Kommunen har många lokala sociala företag inom service och café.", "vagar-till-stod") == "missing"
    assert status("Sociala företag hjälper kommunen att nå visionen.", "vagar-till-stod") == "missing"


def test_the_kommun_meaning_something_is_no_definition():
    assert status("Kommunen menar att sociala företag behövs i hela kommunen.", "definition") == "missing"


def test_the_board_of_a_social_enterprise_is_no_political_placement():
    assert status("Det sociala företagets styrelse ansvarar för att verksamheten bär sig.",
                  "politisk-placering") == "missing"


def test_what_another_body_does_is_not_the_kommuns_commitment():
    text = ("Coompanion Kronoberg\n\n"
            "Coompanion ger rådgivning till den som vill starta sociala företag. De har ett nätverk för "
            "kooperativ i länet och ansvarar för ett projekt om sociala företag.")
    result = lint(text)
    assert result.coverage["vagar-till-stod"].status == "missing"
    assert result.coverage["extern-samverkan"].status == "missing"
    assert result.coverage["ansvarig-funktion"].status == "missing"


# 2. Inflections, synonyms and units are found.

def test_a_municipal_company_is_a_responsible_unit():
    assert status("Näringslivsbolaget har ansvaret för kontakterna med sociala företag.",
                  "ansvarig-funktion") == "present"


def test_revision_is_follow_up():
    assert status("Policyn för sociala företag skall därefter revideras.", "uppfoljning") == "partial"
    assert status("Kommunstyrelsen reviderar policyn för sociala företag varje mandatperiod.",
                  "uppfoljning") == "present"


def test_social_economy_and_the_idea_based_sector_can_be_defined():
    assert status("Med social ekonomi avses verksamheter med samhällsnyttiga mål som står fria från staten.",
                  "definition") == "present"
    assert status("Med idéburen sektor menas föreningar, stiftelser och trossamfund.", "definition") == "present"
    # "består av" defines as "utgörs av" does.
    assert status("Den sociala ekonomin består av verksamheter med samhälleliga mål som står fria från det "
                  "offentliga.", "definition") == "present"


# 3. present and partial follow the rubric.

def test_procurement_without_a_method_is_partial_and_with_one_present():
    assert status("Kommunens upphandlingar följer lagen.", "upphandling") == "partial"
    assert status("Kommunen använder reserverade kontrakt för sociala företag.", "upphandling") == "present"


def test_named_partners_in_a_standing_collaboration_are_present():
    assert status("Kommunen samarbetar med Coompanion och samordningsförbundet kring sociala företag.",
                  "extern-samverkan") == "present"
    assert status("Kommunen vill samarbeta mer med sociala företag.", "extern-samverkan") == "partial"


def test_adoption_by_the_council_in_the_metadata_is_a_governing_document():
    text = "Fastställd av: Kommunfullmäktige\nDatum: 2026-03-01\n\nPolicyn gäller arbetet med sociala företag."
    result = lint(text)
    assert result.coverage["styrdokument"].status == "present"
    # The council only adopts the document: that is no political placement of the work.
    assert result.coverage["politisk-placering"].status == "partial"


# 4. A draft about another subject says so once and gets no credit.

def test_an_off_topic_procurement_policy_gets_one_clear_finding():
    text = ("Kommunstyrelsen ansvarar för upphandlingsarbetet. Upphandlingsenheten följer upp policyn varje år "
            "och rapporterar till kommunstyrelsen. Syftet med policyn är att köpa rätt kvalitet till rätt pris.")
    result = lint(text, title="Upphandlingspolicy")
    # The ten parts about these partners are missing; whether the document says its own
    # purpose and who adopts it is judged whatever its subject.
    judged = {cid: c.status for cid, c in result.coverage.items() if c.status != "missing"}
    assert judged == {"syfte": "present", "styrdokument": "partial"}
    coverage_findings = [f for f in result.findings if f.rule.startswith("SKR")]
    assert [f.rule for f in coverage_findings] == ["SKR00", "SKR04"]
    assert "handlar inte om sociala företag" in coverage_findings[0].message
    assert "vem som antar dokumentet" in coverage_findings[1].message


def test_one_aside_about_social_enterprises_does_not_make_a_draft_on_topic():
    text = ("Kommunen köper varor och tjänster till lägsta kostnad. Även sociala företag får lämna anbud. "
            "Upphandlingsenheten ansvarar för ramavtalen.")
    assert any(f.rule == "SKR00" for f in lint(text, title="Inköpspolicy").findings)


# 5. The structure of a styrdokument is read as a reviewer reads it.

def test_metadata_lines_are_document_facts_not_headings():
    text = ("Fastställt av: Kommunfullmäktige\nDokumentansvarig: Kommundirektören\nDnr: KS 2026/12\n\n"
            "Kommunen ska främja sociala företag.")
    document = parse_text(f"{TITLE}\n\n{text}", source="utkast.txt", markdown=False)
    assert [h.text for h in document.headings()] == [TITLE]
    assert document.metadata_value("Fastställt av") == "Kommunfullmäktige"
    assert document.metadata_value("Dnr") == "KS 2026/12"
    result = lint_document(document, "policy")
    # Metadata about the document makes the responsible function at most partial.
    assert result.coverage["ansvarig-funktion"].status == "partial"


def test_the_title_is_not_content():
    result = lint("Sociala företag ger arbete åt många.", title="Policy för uppföljning av sociala företag")
    assert result.coverage["uppfoljning"].status == "missing"


def test_a_metadata_block_is_not_glued_to_the_first_sentence():
    text = ("Dokumenttyp Policy Fastställd av Kommunfullmäktige Dokumentansvarig Kommunchef Giltighetstid "
            "Tillsvidare\n\nKommunen vill att fler sociala företag startar.")
    document = parse_text(f"{TITLE}\n\n{text}", source="utkast.txt", markdown=False)
    sentences = [b for b in document.blocks if type(b).__name__ == "Paragraph"]
    assert [p.text for p in sentences] == ["Kommunen vill att fler sociala företag startar."]


def test_evidence_is_the_sentence_under_a_heading_never_the_heading():
    text = "Uppföljning\n\nKommunstyrelsen gör detta varje år och får en rapport från socialförvaltningen."
    coverage = lint(text).coverage["uppfoljning"]
    assert coverage.status == "present"
    assert coverage.evidence[0].text.startswith("Kommunstyrelsen gör detta varje år")


def test_table_of_contents_and_page_markers_are_not_content():
    text = ("Innehåll\n\n1 Inledning ... 3\n2 Uppföljning ... 7\n3 Definition av sociala företag ... 8\n\n"
            "(2)\n\nSida 2 av 9\n\nKommunen vill ha fler sociala företag.")
    result = lint(text)
    assert result.coverage["uppfoljning"].status == "missing"
    assert result.coverage["definition"].status == "missing"


# 6. Negation covers the clause.

def test_negation_covers_the_whole_clause():
    text = "IOP är ett samarbete med sociala företag, vilket inte ska förväxlas med en upphandling av tjänster."
    assert status(text, "upphandling") == "missing"
    assert status("Någon samordningsgrupp för sociala företag finns inte mellan förvaltningarna.",
                  "intern-samordning") == "missing"
    # "inte minst" denies nothing.
    assert status("Inte minst ska kommunen använda reserverade kontrakt för sociala företag.",
                  "upphandling") == "present"


def test_an_explicit_no_on_support_is_a_position():
    assert status("Kommunen ger inte bidrag till enskilda sociala företag.", "vagar-till-stod") == "present"
    assert status("Kommunen ingår inte IOP med sociala företag.", "iop") == "present"


def test_partial_reason_names_the_missing_specific():
    coverage = lint("Arbetet med sociala företag ska följas upp.").coverage["uppfoljning"]
    assert coverage.status == "partial"
    assert coverage.reason.startswith("Uppföljning nämns, men det står inte vem som följer upp")
