"""The organisation behind a profile and its decision-making bodies.

A kommun has kommunfullmäktige, kommunstyrelsen and nämnder and calls itself
"kommunen"; the 14 kommuner that call themselves stad have the same bodies
but write "staden"; Region Gotland, a kommun with regional responsibility,
has regionfullmäktige and regionstyrelsen and writes "regionen". Every word
the generator writes for the organisation and its bodies comes from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from policygen.kommuner import find_kommun

ORGANISATION_KINDS = ("kommun", "stad", "region")

# How much a body may decide, highest first. A body may decide for itself and
# for the bodies below it only where fullmäktige has said so: a document
# adopted by a styrelse or a nämnd binds that body and its own förvaltning.
FULLMAKTIGE, STYRELSE, NAMND, TJANSTEPERSON = "fullmäktige", "styrelse", "nämnd", "tjänsteperson"
RANK = {FULLMAKTIGE: 3, STYRELSE: 2, NAMND: 1, TJANSTEPERSON: 0}


@dataclass(frozen=True)
class Organisation:
    kind: str       # "kommun", "stad" or "region"
    namn: str       # "Ljungby kommun", "Malmö stad", "Region Gotland"

    @property
    def word(self) -> str:
        """The organisation in running text: "kommunen", "staden", "regionen"."""
        return {"kommun": "kommunen", "stad": "staden", "region": "regionen"}[self.kind]

    @property
    def prefix(self) -> str:
        """The first part of its bodies' names: a stad still has kommunfullmäktige."""
        return "region" if self.kind == "region" else "kommun"

    @property
    def fullmaktige(self) -> str:
        return f"{self.prefix.capitalize()}fullmäktige"

    @property
    def styrelse(self) -> str:
        return f"{self.prefix.capitalize()}styrelsen"

    @property
    def direktor(self) -> str:
        return f"{self.prefix.capitalize()}direktör"

    @property
    def diarium(self) -> str:
        """The case-register prefix the styrelse usually writes: KS or RS."""
        return "RS" if self.kind == "region" else "KS"

    def context(self) -> dict[str, str]:
        """The words clause templates use, as `org.…`."""
        return {
            "namn": self.namn, "slag": self.kind,
            "ordet": self.word, "ordets": self.word + "s",
            "fullmaktige": self.fullmaktige.lower(), "styrelse": self.styrelse.lower(),
            "styrelsens": self.styrelse.lower() + "s",
            "bolag": f"{self.word}s bolag",   # "kommunens bolag", "regionens bolag"
        }


def organisation_kind(kommun: dict[str, Any]) -> str:
    """The kind written in the profile, else the kommun table's, else what the
    official name says ("… stad", "Region …")."""
    written = kommun.get("organisation")
    if written in ORGANISATION_KINDS:
        return written
    known = find_kommun(str(kommun.get("kommunkod") or kommun.get("namn") or ""))
    if known is not None and known.officiellt_namn == kommun.get("officiellt_namn", known.officiellt_namn):
        return known.organisation
    official = str(kommun.get("officiellt_namn", ""))
    if official.casefold().endswith(" stad"):
        return "stad"
    if official.startswith("Region "):
        return "region"
    return "kommun"


def organisation_of(data: dict[str, Any]) -> Organisation:
    kommun = data["kommun"]
    return Organisation(organisation_kind(kommun), kommun["officiellt_namn"])


@dataclass(frozen=True)
class Body:
    """A body that decides, as the profile names it ("Socialnämnden")."""
    name: str
    kind: str

    @property
    def rank(self) -> int:
        return RANK[self.kind]

    def same_as(self, other: Body | str) -> bool:
        other_name = other.name if isinstance(other, Body) else other
        return _normal(self.name) == _normal(other_name)


def _normal(name: str) -> str:
    return " ".join(name.casefold().split())


def body_of(name: str) -> Body:
    """What kind of body a name is: fullmäktige, the styrelse, a nämnd, or an
    official (förvaltningschef, kommundirektör) deciding under delegation."""
    text = _normal(name)
    if "fullmäktige" in text:
        return Body(name, FULLMAKTIGE)
    if re.search(r"\b(kommun|region)styrelse", text):
        return Body(name, STYRELSE)
    if "nämnd" in text or "styrelse" in text or "utskott" in text:
        return Body(name, NAMND)
    return Body(name, TJANSTEPERSON)


# Bodies named with a prefix the organisation does not use: no stad has "stadsfullmäktige" and no
# region has had "landstingsfullmäktige" since 2019.
_FOREIGN = re.compile(r"\b(kommun|region|stads|landstings)(fullmäktige|styrelsen?s?|direktör)", re.IGNORECASE)


def foreign_body_word(text: str, organisation: Organisation) -> str | None:
    """The first word in `text` that names a body the organisation does not
    have ("Kommunfullmäktige" in Region Gotland), or None."""
    for match in _FOREIGN.finditer(text):
        if match.group(1).lower() != organisation.prefix:
            return match.group(0)
    return None


def own_body_word(word: str, organisation: Organisation) -> str:
    """`word` with the organisation's own prefix: Kommunfullmäktige → Regionfullmäktige."""
    match = _FOREIGN.match(word)
    if match is None:
        return word
    prefix = organisation.prefix
    return (prefix.capitalize() if word[:1].isupper() else prefix) + match.group(2)


def with_own_bodies(data: Any, organisation: Organisation) -> Any:
    """Shared defaults for many kommuner (`--all-kommuner`) with each body
    named as this organisation names it: "Kommunfullmäktige" in the shared
    file is Regionfullmäktige for Region Gotland."""
    if isinstance(data, dict):
        return {key: with_own_bodies(value, organisation) for key, value in data.items()}
    if isinstance(data, list):
        return [with_own_bodies(value, organisation) for value in data]
    if isinstance(data, str):
        return _FOREIGN.sub(lambda match: own_body_word(match.group(0), organisation), data)
    return data
