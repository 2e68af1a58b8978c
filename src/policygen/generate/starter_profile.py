"""`policygen init`: a starter profile prefilled from the kommun table."""

from __future__ import annotations

from pathlib import Path

from policygen.errors import UserError
from policygen.generate.templating import ENVIRONMENT
from policygen.infra.resources import templates_dir
from policygen.kommuner import lookup_kommun
from policygen.profile.organisation import Organisation
from policygen.vocabulary import STYLES


def starter_profile(kommun_name: str, style: str = "markaryd", file_name: str = "profil.yaml") -> str:
    if style not in STYLES:
        raise UserError(f"okänd stil: '{style}'", hint="giltiga stilar: " + ", ".join(STYLES))
    kommun = lookup_kommun(kommun_name)
    source = (templates_dir() / "startprofil.yaml.j2").read_text(encoding="utf-8")
    lan_kort = kommun.lan.removesuffix(" län")
    if lan_kort.endswith("s"):
        lan_kort = lan_kort[:-1]
    # Region Gotland decides in regionfullmäktige: the defaults follow the organisation.
    organisation = Organisation(kommun.organisation, kommun.officiellt_namn)
    return ENVIRONMENT.from_string(source).render(kommun=kommun, org=organisation, stil=style, lan_kort=lan_kort,
                                                  filnamn=Path(file_name).name)
