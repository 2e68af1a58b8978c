from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from policygen.errors import UserError
from policygen.infra.yamlio import parse_yaml, to_plain
from policygen.profile.load import load_profile, profile_from_data


@pytest.mark.parametrize("name", ["markaryd", "ljungby", "solleftea"])
def test_example_profiles_load_and_fill_the_kommun_table(name):
    profile = load_profile(EXAMPLES / f"{name}.yaml")
    assert profile.data["kommun"]["lan"]
    assert profile.data["kommun"]["region"].startswith("Region")
    assert len(profile.data["kommun"]["kommunkod"]) == 4


def test_markaryd_gets_its_official_genitive_name():
    assert load_profile(EXAMPLES / "markaryd.yaml").officiellt_namn == "Markaryds kommun"


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    path = write(tmp_path, "stil: ljungby\nkommun:\n  namn: Ljungby\n   kommunkod: '0781'\n")
    with pytest.raises(UserError) as error:
        load_profile(path)
    assert error.value.line == 4
    assert error.value.column is not None
    assert str(path) in str(error.value) and "YAML-syntaxfel" in str(error.value)


def test_unknown_key_suggests_the_closest_valid_key(tmp_path):
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8").replace("uppfoljning:", "uppfölning:")
    path = write(tmp_path, text)
    with pytest.raises(UserError) as error:
        load_profile(path)
    message = str(error.value)
    assert "okänt fält 'uppfölning'" in message
    assert "menade du 'uppfoljning'" in message
    assert error.value.line == text.splitlines().index("uppfölning:") + 1


def test_wrong_type_names_the_field_and_line(tmp_path):
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8").replace("  anvands: true", "  anvands: kanske")
    path = write(tmp_path, text)
    with pytest.raises(UserError) as error:
        load_profile(path)
    assert "'iop.anvands' ska vara ja eller nej" in str(error.value)
    assert error.value.line == text.splitlines().index("  anvands: kanske") + 1


def test_kommunkod_that_belongs_to_another_kommun_is_refused(tmp_path):
    text = (EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8").replace('"0781"', '"0767"')
    with pytest.raises(UserError) as error:
        load_profile(write(tmp_path, text))
    assert "hör till Markaryd" in str(error.value)


def test_profile_inheritance_merges_shared_defaults(tmp_path):
    base = (EXAMPLES / "markaryd.yaml").read_text(encoding="utf-8")
    write(tmp_path, base, "gemensamt.yaml")
    child = write(tmp_path, "arv: gemensamt.yaml\nkommun:\n  namn: Alvesta\n  kommunkod: '0764'\n"
                            "uppfoljning:\n  frekvens: varje halvår\n", "alvesta.yaml")
    profile = load_profile(child)
    assert profile.officiellt_namn == "Alvesta kommun"
    assert profile.get("uppfoljning.frekvens") == "varje halvår"
    assert profile.get("uppfoljning.ansvarig") == "Kommunledningsförvaltningen"


def test_circular_inheritance_is_a_user_error(tmp_path):
    write(tmp_path, "arv: b.yaml\n", "a.yaml")
    write(tmp_path, "arv: a.yaml\n", "b.yaml")
    with pytest.raises(UserError, match="cirkel"):
        load_profile(tmp_path / "a.yaml")


_LJUNGBY_ROOT = parse_yaml((EXAMPLES / "ljungby.yaml").read_text(encoding="utf-8"), "ljungby.yaml")
_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                     st.lists(st.text(max_size=5), max_size=3))
_keys = st.sampled_from(["stil", "kommun", "ansvar", "iop", "stod", "dokument", "handlingsplan",
                         "uppfoljning", "okänd", "arv", "vision"])


@settings(max_examples=300, deadline=None)
@given(key=_keys, value=_scalars)
def test_mutated_profiles_load_or_fail_cleanly(key, value):
    root = _LJUNGBY_ROOT
    data = to_plain(root)
    data[key] = value
    try:
        profile_from_data(data, Path("ljungby.yaml"), root)
    except UserError as error:
        assert str(error).startswith("ljungby.yaml")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_arbitrary_text_never_crashes_the_profile_reader(tmp_path, text):
    path = tmp_path / "random.yaml"
    path.write_bytes(text.encode("utf-8", errors="replace"))
    try:
        load_profile(path)
    except UserError as error:
        assert error.file is not None


@pytest.mark.parametrize("value", ["-_", "+_", "._", "0o_", "0x_", "0b_"])
def test_scalars_that_crash_ruamel_become_a_user_error(tmp_path, value):
    path = tmp_path / "profil.yaml"
    path.write_text(f"kommun:\n  namn: {value}\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_profile(path)
    assert "profil.yaml" in str(caught.value) and "citattecken" in str(caught.value)
