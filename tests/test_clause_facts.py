"""The law and the facts in the clause library (checked 2026-11, see FACTS.md).

Facts change: every clause that states one carries a source with an as_of
date, and this suite fails when a date is older than 18 months, so someone
re-checks the fact instead of letting it go stale."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from policygen.facts.listing import template_facts
from policygen.facts.registry import load_registry
from policygen.generate.clauses import Clause, load_library

MAX_AGE = dt.timedelta(days=548)  # 18 months

# Words that show a clause states a law, an amount or another body's position.
_FACT_MARKERS = re.compile(r"\bLOU\b|\blagen\b|[Kk]ommunallagen|§|\bSKR\b|strategi|ESF|Kammarkollegiet|statsstöd|"
                           r"Coompanion|procent|kronor|SOU")


_FACTS = template_facts(load_registry(), dt.date.today())
_FACT_VALUE = re.compile(r"\{\{\s*fakta\.(\w+)\.(\w+)(?:\.(\w+))?\s*(\|\s*versal\s*)?\}\}")


def _with_facts(text: str) -> str:
    """The clause text with its `{{ fakta.… }}` values filled in from the registry."""
    def value(match: re.Match) -> str:
        found = _FACTS[match.group(1)][match.group(2)]
        found = str(found[match.group(3)] if match.group(3) else found)
        return found[:1].upper() + found[1:] if match.group(4) else found
    return _FACT_VALUE.sub(value, text)


def _texts(clause: Clause) -> list[str]:
    texts = [clause.title] + ([clause.commitment] if clause.commitment else [])
    for block in clause.body:
        if block.paragraph:
            texts.append(block.paragraph)
        if block.intro:
            texts.append(block.intro)
        texts += [item.text for item in block.bullets]
    return [_with_facts(text) for text in texts]


def _clause_text(clause_id: str) -> str:
    return " ".join(" ".join(t.split()) for t in _texts(load_library().get(clause_id)))


LIBRARY = load_library().clauses


@pytest.mark.parametrize("clause", LIBRARY, ids=[c.id for c in LIBRARY])
def test_every_fact_bearing_clause_has_a_recent_source(clause):
    if any(_FACT_MARKERS.search(text) for text in _texts(clause)):
        assert clause.sources, f"{clause.id} states a fact but has no source"
    for source in clause.sources:
        age = dt.date.today() - dt.date.fromisoformat(source.as_of)
        assert age <= MAX_AGE, f"{clause.id}: källan '{source.id}' kontrollerades {source.as_of}; kontrollera den igen"


def test_reserved_contracts_follow_4_kap_18_lou():
    text = _clause_text("upphandling-reserverad")
    assert "30 procent" in text and "sysselsatta" in text and "arbetsträning" in text
    assert "anställda" not in text
    assert "vanlig upphandling" in text and "företagsform" in text
    assert any("4 kap. 18 §" in _with_facts(s.text) for s in load_library().get("upphandling-reserverad").sources)


def test_support_to_a_business_follows_kommunallagen_and_state_aid_rules():
    text = _clause_text("vagar-till-stod")
    assert "synnerliga skäl" in text and "statsstöd" in text and "de minimis" in text
    assert "marknadsmässiga villkor" in text
    assert "rimlig kostnad" not in text


def test_iop_is_never_a_way_around_procurement():
    text = _clause_text("iop")
    assert "inte ett sätt att köpa tjänster utan upphandling" in text
    assert "statsstöd" in text and "kommunallagen" in text


def test_direct_awards_keep_the_kommuns_guidelines_documentation_and_no_splitting():
    text = _clause_text("upphandling-direktupphandling")
    assert "riktlinjer för direktupphandling" in text
    assert "100 000 kronor" in text and "räkenskapsåret" in text and "optioner" in text
    assert "delas upp" in text
    source = load_library().get("upphandling-direktupphandling").sources[0]
    assert "700 000 kronor" in _with_facts(source.text) and "2022-02-01" in _with_facts(source.text)


def test_socio_economic_value_belongs_in_the_needs_analysis_not_the_evaluation():
    text = _clause_text("ekonomi")
    assert "behovsanalysen" in text and "koppling till det som köps" in text


def test_idéburen_organisation_follows_lag_2022_900():
    text = _clause_text("definition-begrepp")
    assert "aktiebolag" in text and "ekonomisk förening" in text and "uteslutande allmännyttigt syfte" in text
    assert "Kammarkollegiet" in text and "välfärdsverksamhet" in text


def test_bolag_and_other_nämnder_are_reached_the_way_the_law_allows():
    text = _clause_text("genomslag")
    assert "ägardirektiv" in text and "bolagsstämman" in text and "Andra nämnder" in text


def test_national_facts_are_current():
    library = load_library()
    everything = " ".join(" ".join(_texts(c)) + " ".join(_with_facts(s.text) for s in c.sources) for c in library.clauses)
    assert "Regeringen ser" not in everything and "beslutade 2018" in everything
    assert "N2018/00710/FF" in everything
    assert "Ny väg till innovativa välfärdslösningar – en handbok om samverkan med sociala företag" in everything
    assert "ESF+" in everything and "Svenska ESF-rådet" in everything
    assert not re.search(r"Europeiska socialfonden(?! \(ESF\+\))", everything)
    assert "viktigaste verktyg" not in everything
    assert "i huvudsak sin vinst" in _clause_text("definition-asf")
    assert "starta och driva företag tillsammans" in _clause_text("stodstruktur-radgivning")
    strategy_urls = {s.url for c in library.clauses for s in c.sources if "N2018/00710/FF" in s.text}
    assert strategy_urls == {"https://www.regeringen.se/informationsmaterial/2018/02/"
                             "regeringens-strategi-for-sociala-foretag--ett-hallbart-samhalle-genom-socialt-"
                             "foretagande-och-social-innovation/"}


def test_no_job_title_is_called_hen_and_every_ska_has_an_actor():
    for clause in load_library().clauses:
        for text in _texts(clause):
            assert not re.search(r"\bHen\b", text), clause.id
            # "Det ska" hides who acts.
            assert not re.search(r"\b[Dd]et ska\b", text), clause.id
