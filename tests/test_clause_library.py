import shutil
from pathlib import Path

import pytest

from policygen.errors import UserError
from policygen.generate.clauses import load_clause, load_library
from policygen.generate.recipes import load_recipe
from policygen.infra.resources import clauses_dir, templates_dir
from policygen.profile.load import profile_schema
from policygen.vocabulary import COVERAGE_IDS


def test_library_has_the_product_card_topics_and_the_usual_others():
    topics = {c.topic for c in load_library().clauses}
    assert {"syfte", "vagar_till_stod", "upphandling", "iop", "ansvarsfordelning", "uppfoljning"} <= topics
    assert {"inledning", "definition", "forhallningssatt", "stodstruktur", "information_utbildning",
            "intern_samverkan", "extern_samverkan", "ekonomi"} <= topics


def test_upphandling_covers_social_considerations_reserved_and_direct_awards():
    ids = {c.id for c in load_library().by_topic("upphandling")}
    assert {"upphandling-sociala-hansyn", "upphandling-reserverad", "upphandling-direktupphandling"} <= ids
    reserved = load_library().get("upphandling-reserverad")
    assert any("fakta.paragraf.reserverade_kontrakt" in s.text for s in reserved.sources)
    assert all(s.as_of for s in reserved.sources)


def test_every_coverage_id_has_at_least_one_clause_that_closes_it():
    library = load_library()
    assert {cid for cid in COVERAGE_IDS if not library.covering(cid)} == set()


def _schema_paths(schema, prefix=""):
    for key, sub in schema.get("properties", {}).items():
        path = f"{prefix}{key}"
        yield path
        yield from _schema_paths(sub, path + ".")
        if "items" in sub:
            yield from _schema_paths(sub["items"], path + ".")


def test_every_needed_profile_field_exists_in_the_profile_schema():
    known = set(_schema_paths(profile_schema()))
    for clause in load_library().clauses:
        assert set(clause.needs) <= known, clause.id


@pytest.fixture
def clause_copy(tmp_path):
    source = clauses_dir() / "iop.yaml"
    target = tmp_path / "iop.yaml"
    shutil.copy(source, target)
    return target


def _edit(path: Path, old: str, new: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text.splitlines()


def test_unknown_coverage_id_names_file_and_line(clause_copy):
    lines = _edit(clause_copy, "covers: [iop]", "covers: [iopp]")
    with pytest.raises(UserError) as error:
        load_clause(clause_copy)
    assert error.value.file == clause_copy
    assert error.value.line == lines.index("covers: [iopp]") + 1
    assert "covers" in str(error.value)


def test_footnote_without_source_is_reported(clause_copy):
    _edit(clause_copy, "båda delar.[^sou]", "båda delar.[^okand]")
    with pytest.raises(UserError, match=r"\[\^okand\]"):
        load_clause(clause_copy)


def test_jinja_syntax_error_in_a_clause_is_reported_with_line(clause_copy):
    lines = _edit(clause_copy, "title: Idéburet offentligt partnerskap (IOP)", "title: Idéburet {{ kommun.namn")
    with pytest.raises(UserError) as error:
        load_clause(clause_copy)
    assert "mallsyntaxen" in str(error.value)
    assert error.value.line == next(i for i, text in enumerate(lines) if text.startswith("title:")) + 1


def test_a_mistyped_fact_name_names_file_and_line(tmp_path):
    target = tmp_path / "upphandling-direktupphandling.yaml"
    shutil.copy(clauses_dir() / target.name, target)
    lines = _edit(target, "fakta.grans.direktupphandling_lou }}", "fakta.grans.direktupphandling_lu }}")
    with pytest.raises(UserError) as error:
        load_clause(target)
    assert "fakta.grans.direktupphandling_lu finns inte i faktaregistret" in str(error.value)
    assert "direktupphandling_lou" in error.value.hint
    assert error.value.line == next(i for i, text in enumerate(lines) if "direktupphandling_lu }}" in text) + 1


def test_an_unknown_field_of_a_fact_is_reported(tmp_path):
    target = tmp_path / "upphandling-reserverad.yaml"
    shutil.copy(clauses_dir() / target.name, target)
    _edit(target, "reserverade_kontrakt_andel.share_percent", "reserverade_kontrakt_andel.andel")
    with pytest.raises(UserError, match=r"fakta\.regel\.reserverade_kontrakt_andel\.andel finns inte"):
        load_clause(target)


def test_clause_id_must_match_file_name(clause_copy):
    renamed = clause_copy.with_name("annat.yaml")
    clause_copy.rename(renamed)
    with pytest.raises(UserError, match="filnamnet"):
        load_clause(renamed)


def test_recipe_with_unknown_topic_is_reported(tmp_path):
    folder = tmp_path / "ljungby"
    folder.mkdir()
    text = (templates_dir() / "ljungby" / "recipe.yaml").read_text(encoding="utf-8")
    (folder / "recipe.yaml").write_text(text.replace("- topic: iop", "- topic: ipo"), encoding="utf-8")
    with pytest.raises(UserError) as error:
        load_recipe(folder / "recipe.yaml")
    assert error.value.line is not None and "ipo" in str(error.value)
