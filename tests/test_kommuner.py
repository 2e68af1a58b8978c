import pytest

from policygen.errors import UserError
from policygen.kommuner import all_kommuner, find_kommun, lookup_kommun


def test_table_has_all_290_kommuner_in_21_lan():
    kommuner = all_kommuner()
    assert len(kommuner) == 290
    assert len({k.kod for k in kommuner}) == 290
    assert len({k.lan for k in kommuner}) == 21
    assert len({k.region for k in kommuner}) == 21
    assert all(k.kod[:2] == k.lanskod for k in kommuner)


def test_lookup_by_name_official_name_and_code():
    assert lookup_kommun("Markaryd").kod == "0767"
    assert lookup_kommun("Markaryds kommun").namn == "Markaryd"
    assert lookup_kommun("0781").officiellt_namn == "Ljungby kommun"
    assert lookup_kommun("malmö stad").officiellt_namn == "Malmö stad"
    assert find_kommun("Upplands-Bro").lan == "Stockholms län"


def test_unknown_kommun_suggests_the_closest_name():
    with pytest.raises(UserError) as error:
        lookup_kommun("Ljungbi")
    assert "Ljungby" in str(error.value)
