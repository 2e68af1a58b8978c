"""Attribution by name for everything a user controls: every kommun found
from the ways its name is written in a file name, and no file name or kommun
list, however odd, makes the overview fail with anything but a Swedish error."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policygen.errors import UserError
from policygen.kommuner import all_kommuner
from policygen.overview.attribution import _fold, owner_from_name, parse_mapping

# Written without å, ä and ö, Håbo is Habo; a code that can be a year (Dalarna's 20xx) is not read as one.
YEAR_LIKE = {"2021", "2023", "2026", "2029", "2031", "2034", "2039"}


def test_every_kommun_is_found_from_its_name_its_official_name_and_its_code():
    for kommun in all_kommuner():
        spellings = [f"{kommun.namn} policy", kommun.namn.lower().replace(" ", "-") + "-handlingsplan",
                     kommun.officiellt_namn, f"{kommun.kod}.docx"]
        if kommun.namn != "Håbo":
            spellings.append(_fold(kommun.namn).replace(" ", "_") + "_plan")
        for spelling in spellings:
            if spelling == f"{kommun.kod}.docx" and kommun.kod in YEAR_LIKE:
                continue
            owner = owner_from_name(spelling)
            assert owner is not None and owner.kod == kommun.kod, spelling


def test_regions_are_found_apart_from_their_kommuner():
    assert owner_from_name("Region Skåne – strategi").namn == "Region Skåne"
    assert owner_from_name("vastra-gotalandsregionen-plan").namn == "Västra Götalandsregionen"
    assert owner_from_name("Region Gotland policy").kind == "kommun"    # Gotland is a kommun with a region's tasks
    assert owner_from_name("region-uppsala").kind == "region" and owner_from_name("uppsala").kind == "kommun"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_file_name_gives_a_kommun_or_nothing(name):
    owner = owner_from_name(name)
    assert owner is None or owner.kind in ("kommun", "region")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
                          st.sampled_from(["Ljungby", "0781", "Region Kronoberg", "", "Atlantis", "ljungby kommun"])),
                max_size=6),
       st.sampled_from([",", ";"]))
def test_any_kommun_list_is_read_or_refused_in_swedish(rows, delimiter):
    text = f"fil{delimiter}kommun\n" + "".join(f'"{f.replace(chr(34), "")}"{delimiter}{k}\n' for f, k in rows)
    try:
        mapping = parse_mapping(text, "lista.csv")
    except UserError as error:
        assert error.line is not None and error.hint
        return
    assert all(owner.kind in ("kommun", "region") for owner in mapping.values())
