"""The organisation and who may decide what (issue 21).

Each test is one of the faults the issue lists: the organisation's own words
(Region Gotland, a stad), a body deciding beyond its power, metadata that
disagrees with the body text, commitments without their choice, and free
text that says what a choice denies."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from conftest import EXAMPLES
from policygen.errors import UserError
from policygen.generate.assemble import assemble_all
from policygen.generate.clauses import load_clause
from policygen.generate.run import NotReadyError, build_documents
from policygen.generate.starter_profile import starter_profile
from policygen.infra.yamlio import parse_yaml, to_plain
from policygen.model import BulletList, Document, Paragraph
from policygen.profile.load import profile_from_data, read_profile_data


def _data(example: str = "ljungby") -> dict:
    return read_profile_data(EXAMPLES / f"{example}.yaml")


def _profile(data: dict, name: str = "profil.yaml"):
    return profile_from_data(copy.deepcopy(data), Path(name))


def _profile_from_text(text: str):
    root = parse_yaml(text, "profil.yaml")
    return profile_from_data(to_plain(root), Path("profil.yaml"), root)


def _text(documents: list[Document]) -> str:
    parts: list[str] = []
    for document in documents:
        parts += [h.text for h in document.headings()]
        for block in document.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, BulletList):
                parts += ([block.intro.text] if block.intro else []) + [item.text for item in block.items]
    return "\n".join(parts)


def _gotland() -> dict:
    data = _data()
    data["kommun"] = {"namn": "Gotland"}
    data["vision"] = {"text": "Gotland växer med hållbar utveckling"}
    data["kopplad_policy"] = "näringslivsprogrammet"
    data["ansvar"].update(namnd="Regionstyrelsen", forvaltning="Regionstyrelseförvaltningen")
    data["ansvar"]["ovriga"] = [{"vem": "Socialförvaltningen", "uppgift": "bjuda in till forumet"}]
    data["intern_samordning"]["deltagare"] = ["Regionstyrelseförvaltningen", "Socialförvaltningen"]
    data["uppfoljning"].update(ansvarig="Regionstyrelseförvaltningen", rapporteras_till="Regionstyrelsen")
    data["stod"]["foreningsbidrag"] = "regionens webbplats"
    data["iop"]["kontakt"] = "Regionstyrelseförvaltningen"
    for activity in data["handlingsplan"]["aktiviteter"]:
        activity["ansvarig"] = "Regionstyrelseförvaltningen"
    policy, plan = data["dokument"]["policy"], data["dokument"]["handlingsplan"]
    policy.update(beslutad_av="Regionfullmäktige", dokumentansvarig="Regiondirektör", diarienummer="RS 2026/1",
                  galler_for="Alla nämnder och förvaltningar")
    policy["versioner"] = [{"version": "1.0", "datum": policy["datum"], "andring": "Antagen av regionfullmäktige § 8"}]
    policy["relaterade_styrdokument"] = [{"namn": "Näringslivsprogram", "beslutad_av": "Regionfullmäktige"}]
    plan.update(beslutad_av="Regionstyrelsen", galler_for="Regionstyrelsens förvaltningar", diarienummer="RS 2026/2")
    return data


# -- the organisation --------------------------------------------------------

def test_region_gotland_writes_regionen_and_its_own_bodies():
    profile = _profile(_gotland())
    assert profile.organisation.kind == "region"
    text = _text(assemble_all(profile))
    assert "regionens vision" in text and "stannar i regionen" in text
    assert "Regionen får reservera" in text
    for wrong in ("kommunens", "Kommunen ", " kommunen", "kommunfullmäktige", "Kommunfullmäktige", "kommunala bolag"):
        assert wrong not in text, wrong


def test_a_body_the_organisation_does_not_have_is_an_error_with_its_line():
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")
    text = text.replace("  namn: Ljungby\n  kommunkod: \"0781\"", "  namn: Gotland")
    with pytest.raises(UserError) as error:
        _profile_from_text(text)
    message = str(error.value)
    assert "Kommunstyrelsen" in message and "Regionstyrelsen" in message
    assert error.value.line is not None


def test_init_defaults_to_the_organisations_own_bodies():
    gotland = starter_profile("Gotland")
    assert "beslutad_av: Regionfullmäktige" in gotland and "beslutad_av: Regionstyrelsen" in gotland
    assert "Kommunfullmäktige" not in gotland
    malmo = starter_profile("Malmö")
    assert "beslutad_av: Kommunfullmäktige" in malmo and "organisation: stad" in malmo


def test_a_city_writes_staden_in_running_text():
    data = _data()
    data["kommun"] = {"namn": "Malmö"}
    data["vision"] = {"text": "Malmö är en stad för alla"}
    data["stod"]["foreningsbidrag"] = "malmo.se"
    data["ansvar"]["ovriga"] = [{"vem": "Socialförvaltningen", "uppgift": "bjuda in till forumet"}]
    text = _text(assemble_all(_profile(data)))
    assert "stadens" in text and "Staden " in text
    assert "kommunens" not in text and " kommunen" not in text


# -- who may decide what -----------------------------------------------------

def test_a_policy_adopted_by_kommunstyrelsen_cannot_give_a_namnd_political_responsibility():
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")
    text = text.replace("    beslutad_av: Kommunfullmäktige\n    datum: 2027-01-25",
                        "    beslutad_av: Kommunstyrelsen\n    datum: 2027-01-25")
    text = text.replace("  namnd: Kommunstyrelsen", "  namnd: Socialnämnden")
    with pytest.raises(UserError) as error:
        _profile_from_text(text)
    assert "kan inte ge Socialnämnden det politiska ansvaret" in error.value.message
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "beslutad_av: Kommunstyrelsen" in row)
    assert error.value.line == line


def _ks_policy(data: dict) -> dict:
    policy = data["dokument"]["policy"]
    policy.update(beslutad_av="Kommunstyrelsen", galler_for="Kommunstyrelsens förvaltningar")
    policy["versioner"] = [{"version": "1.0", "datum": policy["datum"], "andring": "Antagen av kommunstyrelsen § 3"}]
    policy.pop("relaterade_styrdokument")
    return data


def test_a_kommunstyrelsen_policy_proposes_a_plan_to_fullmaktige_instead_of_binding_it():
    data = _ks_policy(_data())
    data["dokument"]["handlingsplan"].update(beslutad_av="Kommunfullmäktige", galler_for="Alla nämnder")
    policy, plan = assemble_all(_profile(data))
    text = _text([policy])
    assert "föreslå kommunfullmäktige en verksamhetsplan" in text
    assert "som kommunfullmäktige beslutar senast" not in text
    # The plan refers to the responsibility the policy gave; the policy's own adopter is the responsible body.
    assert "låta kommunledningsförvaltningen leda genomförandet under kommunstyrelsen" in text
    assert "ge kommunstyrelsen det politiska ansvaret" not in text


def test_a_kommunstyrelsen_policy_cannot_make_another_namnd_adopt_the_plan():
    data = _ks_policy(_data())
    data["dokument"]["handlingsplan"].update(beslutad_av="Socialnämnden", galler_for="Socialnämndens verksamheter")
    with pytest.raises(UserError, match="inte kan bestämma att Socialnämnden ska anta"):
        _profile(data)


def test_only_the_adopter_reconsiders_the_iop_position():
    data = _data("markaryd")
    data["iop"] = {"anvands": False}
    data["handlingsplan"]["aktiviteter"] = [a for a in data["handlingsplan"]["aktiviteter"] if "IOP" not in a["aktivitet"]]
    text = _text(assemble_all(_profile(data)))
    assert "Kommunstyrelsen kan ompröva" not in text
    assert "Det beslutar kommunfullmäktige, på förslag av kommunstyrelsen" in text


def test_the_plan_states_the_responsibility_the_policy_gave():
    data = _data("markaryd")
    data["ansvar"]["namnd"] = "Socialnämnden"
    text = _text(assemble_all(_profile(data))[1:])
    assert "har det politiska ansvaret för arbetet med sociala företag och därmed för planen" not in text
    assert "Kommunstyrelsen har antagit planen och beslutar om ändringar i den" in text


def test_a_kommunstyrelsen_document_cannot_apply_to_all_namnder():
    data = _ks_policy(_data())
    data["dokument"]["policy"]["galler_for"] = "Alla nämnder och förvaltningar"
    with pytest.raises(UserError, match="kan inte gälla för 'Alla nämnder'"):
        _profile(data)


def test_the_version_history_names_the_adopter():
    data = _data()
    data["dokument"]["policy"]["versioner"][0]["andring"] = "Antagen av kommunstyrelsen § 8"
    with pytest.raises(UserError, match="versionshistoriken säger"):
        _profile(data)


def test_scope_in_the_text_is_the_scope_in_the_metadata():
    data = _ks_policy(_data())
    policy = assemble_all(_profile(data))[0]
    assert policy.metadata_value("Gäller för") == "Kommunstyrelsens förvaltningar"
    assert "Policyn gäller för kommunstyrelsens förvaltningar." in _text([policy])
    assert "alla nämnder" not in _text([policy])


def test_a_related_document_of_the_set_takes_its_own_decision_data():
    data = _data()
    data["dokument"]["policy"]["relaterade_styrdokument"][1]["beslutad_av"] = "Kommunfullmäktige"
    with pytest.raises(UserError, match="relaterade_styrdokument säger"):
        assemble_all(_profile(data))


def test_the_plan_implements_the_policy_that_calls_it_its_plan():
    policy, plan = assemble_all(_profile(_data()))
    assert "genomför ”Policy för sociala företag” i praktiken" in _text([plan])
    assert "Den hör också till näringslivspolicyn" in _text([plan])
    assert "genomföra policyn med en verksamhetsplan" in _text([policy])


# -- every commitment from a choice --------------------------------------------

def test_meetings_when_needed_promise_no_regular_structure():
    data = _data()
    data["extern_samverkan"]["motesfrekvens"] = "vid behov"
    text = _text(assemble_all(_profile(data)))
    assert "regelbundet" not in text and "fast struktur" not in text
    assert "kallar till forumet vid behov" in text


def test_no_needs_analysis_promise_without_the_choice():
    data = _data()
    data["upphandling"]["analys_fore_upphandling"] = False
    text = _text(assemble_all(_profile(data)))
    assert "behovsanalysen" not in text
    assert "rutin för att pröva sociala hänsyn" not in text


def test_no_reservation_check_of_every_procurement_without_a_schedule():
    data = _data()
    del data["upphandling"]["provning_reserverad"]
    text = _text(assemble_all(_profile(data)))
    assert "prövar den tillsammans med" not in text and "om upphandlingen kan reserveras" not in text
    assert "får hjälp att bedöma det" in text


def test_no_coompanion_collaboration_the_profile_does_not_name():
    data = _data()
    del data["extern_samverkan"]["coompanion"]
    text = _text(assemble_all(_profile(data)))
    assert "samarbetar med Coompanion" not in text


def test_no_information_promise_without_the_section_and_no_one_item_list():
    data = _data()
    del data["information"]
    text = _text(assemble_all(_profile(data)))
    assert "informationsträff" not in text and "öka kunskapen" not in text
    data = _data()
    data["information"] = {"traffar": "en gång per år", "utbildning": False}
    documents = assemble_all(_profile(data))
    lists = [b for d in documents for b in d.blocks if isinstance(b, BulletList)]
    assert all(len(b.items) > 1 for b in lists)
    assert "Kommunledningsförvaltningen ansvarar för att ordna en informationsträff" in _text(documents)


def test_direct_procurement_is_an_option_not_a_commitment():
    policy = assemble_all(_profile(_data()))[0]
    commitments = next(b for b in policy.blocks if isinstance(b, BulletList) and b.intro
                       and b.intro.text.endswith("ska:"))
    assert not any("direkt" in item.text for item in commitments.items)


def test_support_is_not_denied_and_offered_in_the_same_breath():
    text = _text(assemble_all(_profile(_data())))
    assert "ger inte ekonomiskt stöd till enskilda sociala företag" not in text
    assert "individuellt riktat" in text and "enskilda näringsidkare" in text
    assert "ideell förening kan söka kommunens föreningsbidrag" in text


def test_a_commitment_must_say_what_it_rests_on(tmp_path):
    path = tmp_path / "lofte.yaml"
    path.write_text("id: lofte\ntopic: syfte\ntitle: Löfte\nversion: 1\ndoc_types: [policy]\n"
                    "styles: [ljungby]\ncovers: []\ncommitment: lova något\nbody:\n  - p: Text.\n",
                    encoding="utf-8")
    with pytest.raises(UserError, match="rests_on") as error:
        load_clause(path)
    assert error.value.line == 8


# -- free text against the choices ----------------------------------------------

def test_free_text_that_contradicts_a_choice_is_an_open_item_naming_both_places():
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8")
    text = text.replace("  sociala_hansyn: true", "  sociala_hansyn: false")
    profile = _profile_from_text(text)
    items = [item for item in profile.open_items if "sociala_hansyn" in item.message]
    assert items, profile.open_items
    lines = text.splitlines()
    activity_line = next(i for i, row in enumerate(lines, 1) if "Utbilda förvaltningarnas beställare" in row)
    choice_line = next(i for i, row in enumerate(lines, 1) if "sociala_hansyn:" in row)
    assert any(item.line == activity_line and f"rad {choice_line}" in item.message for item in items)
    with pytest.raises(NotReadyError):
        build_documents(profile)
    assert all(document.draft for _, document in build_documents(profile, draft=True))


def test_free_text_with_a_negation_agrees_with_a_no():
    data = _data()
    data["upphandling"]["reserverade_kontrakt"] = False
    data.pop("upphandling")["provning_reserverad"]
    data["upphandling"] = {"funktion": "Upphandlingsenheten", "sociala_hansyn": True, "reserverade_kontrakt": False,
                           "direktupphandling": True, "analys_fore_upphandling": True}
    data["handlingsplan"]["aktiviteter"] = [
        {"aktivitet": "Förklara varför kommunen inte använder reserverad upphandling", "ansvarig": "KS",
         "tidpunkt": "2027", "indikator": "Klart"}]
    profile = _profile(data)
    assert not [item for item in profile.open_items if "reserverade_kontrakt" in item.message]


def test_the_shared_batch_defaults_name_region_gotlands_own_bodies():
    from policygen.generate.all_kommuner import kommun_profiles

    profiles = dict(kommun_profiles(EXAMPLES / "gemensam.yaml"))
    gotland, malmo = profiles["Gotland"], profiles["Malmö"]
    assert not isinstance(gotland, UserError) and not isinstance(malmo, UserError)
    assert gotland.get("dokument.policy.beslutad_av") == "Regionfullmäktige"
    assert gotland.get("ansvar.namnd") == "Regionstyrelsen"
    assert malmo.get("dokument.policy.beslutad_av") == "Kommunfullmäktige"
