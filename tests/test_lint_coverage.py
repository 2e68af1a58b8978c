"""Coverage decisions on short Swedish drafts: inflections, compounds,
synonyms, negations and the false friends a careful reviewer rejects."""

import pytest

from policygen.lint.engine import lint_document
from policygen.read.text import parse_text


def status(text: str, coverage_id: str, doc_type: str = "policy") -> str:
    document = parse_text("# Policy för sociala företag\n\n" + text, source="utkast.md")
    return lint_document(document, doc_type).coverage[coverage_id].status


@pytest.mark.parametrize("text, expected", [
    ("Socialförvaltningen följer upp arbetet varje år.", "present"),
    ("En årlig uppföljning ska ske. Arbetsmarknadsenheten ansvarar för uppföljningen.", "present"),
    ("Kommunstyrelsen utvärderar insatserna två gånger per år.", "present"),
    ("Arbetet ska följas upp.", "partial"),   # follow-up without who or when
    ("Uppföljningen görs årligen.", "partial"),
    ("Näringslivsavdelningen ansvarar för uppföljningen.", "partial"),
    ("Arbetet följs inte upp av någon förvaltning varje år.", "missing"),
])
def test_uppfoljning_needs_who_and_how_often(text, expected):
    assert status(text, "uppfoljning") == expected


@pytest.mark.parametrize("text, expected", [
    ("Kommunstyrelsen har det övergripande ansvaret för arbetet med sociala företag.", "present"),
    ("Arbetsmarknadsnämnden får i uppdrag att leda arbetet.", "present"),
    ("Policyn är antagen av kommunfullmäktige.", "partial"),   # only the adopter
    ("Socialnämnden har tagit del av rapporten om sociala företag.", "partial"),
])
def test_politisk_placering_needs_a_named_body_with_the_task(text, expected):
    assert status(text, "politisk-placering") == expected


@pytest.mark.parametrize("text, expected", [
    ("Arbetsmarknadsenheten ansvarar för att genomföra policyn.", "present"),
    ("Kommunens näringslivsutvecklare samordnar arbetet och är ansvarig kontaktperson.", "present"),
    ("De sociala företagen tar själva ansvar för sin utveckling.", "missing"),
    ("Respektive förvaltning ansvarar för det egna arbetet.", "partial"),
])
def test_ansvarig_funktion_needs_a_named_unit_or_role(text, expected):
    assert status(text, "ansvarig-funktion") == expected


@pytest.mark.parametrize("text, expected", [
    ("Vi har ingen handlingsplan.", "missing"),
    ("Kommunstyrelsen antar en handlingsplan för arbetet senast 2027.", "present"),
    ("Kommunstyrelsen antar en handlingsplan för arbetet.", "partial"),   # owner but no date
    ("En handlingsplan kan bli aktuell.", "partial"),
])
def test_handlingsplan_negations_never_count(text, expected):
    assert status(text, "handlingsplan") == expected


def test_handlingsplan_from_an_activity_table():
    text = "| Aktivitet | Ansvarig | Tidpunkt |\n|---|---|---|\n| Informationsträff | Socialförvaltningen | 2027 |\n"
    document = parse_text("# Handlingsplan för sociala företag\n\nInledande text.\n\n" + text, source="plan.md")
    assert lint_document(document, "handlingsplan").coverage["handlingsplan"].status == "present"


@pytest.mark.parametrize("text, expected", [
    ("Kommunen kallar sociala företag och Coompanion till ett samverkansforum två gånger per år.", "present"),
    ("Kommunen för en regelbunden dialog med arbetsintegrerande sociala företag.", "present"),
    ("Samverkan är viktigt.", "missing"),
    ("Kommunen vill samverka med sociala företag.", "partial"),
    # "målgrupp" ends in "grupp" but is no group that meets.
    ("Sociala företag är en viktig ingång för specifika målgrupper.", "missing"),
])
def test_extern_samverkan_needs_a_standing_structure(text, expected):
    assert status(text, "extern-samverkan") == expected


@pytest.mark.parametrize("text, expected", [
    ("Kommunen ställer sociala hänsyn i sina upphandlingar.", "present"),
    ("Kommunen använder reserverade kontrakt när det passar.", "present"),   # a procurement method
    ("Förvaltningarna ska pröva reserverad upphandling för arbetsintegrerande företag.", "present"),
    ("Upphandling sker enligt inköpspolicyn.", "partial"),
])
def test_upphandling_needs_social_considerations(text, expected):
    assert status(text, "upphandling") == expected


@pytest.mark.parametrize("text, coverage_id, expected", [
    ("En samordningsgrupp med representanter för förvaltningarna träffas fyra gånger per år och samordnar arbetet.",
     "intern-samordning", "present"),
    ("Alla förvaltningar ska samverka i frågorna.", "intern-samordning", "partial"),
    ("Syftet med policyn är att göra kommunens roll tydlig.", "syfte", "present"),
    ("Med sociala företag avses företag som återinvesterar sitt överskott.", "definition", "present"),
    # "men" has the lemma "mena" in the lookup table; a conjunction defines nothing.
    ("Sociala företag är bra, men de behöver stöd.", "definition", "missing"),
    ("Alla nämnder ska samverka i frågorna.", "intern-samordning", "partial"),
    ("Kommunen kan ingå idéburet offentligt partnerskap med föreningar.", "iop", "present"),
    ("Kommunen ingår inte IOP.", "iop", "present"),   # an explicit no is a position
    ("Kommunen stödjer sociala företag genom rådgivning.", "vagar-till-stod", "present"),
    ("Kommunfullmäktige antar policyn.", "styrdokument", "present"),
])
def test_other_coverage_ids(text, coverage_id, expected):
    assert status(text, coverage_id) == expected


def test_coverage_always_holds_all_twelve_ids_and_findings_are_ordered():
    document = parse_text("# Policy\n\nSamverkan är viktigt.\n", source="x.md")
    result = lint_document(document)
    assert len(result.coverage) == 12
    assert [f.rule for f in result.findings] == sorted(f.rule for f in result.findings)
    assert result.to_json() == lint_document(document).to_json()  # deterministic
