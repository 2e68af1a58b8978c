"""Locate the bundled domain data, both in a wheel and in a source checkout."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/policygen: this module lives in infra/


@cache
def data_root() -> Path:
    """Folder holding templates/, clauses/ and lint_rules/.

    A wheel carries them inside the package (policygen/_data); an editable
    install or a plain checkout uses the folders at the repository top.
    """
    bundled = Path(str(resources.files("policygen"))) / "_data"
    if bundled.is_dir():
        return bundled
    checkout = _PACKAGE_DIR.parent.parent
    if (checkout / "clauses").is_dir():
        return checkout
    raise RuntimeError("policygen: hittar inte de medföljande datafilerna (clauses/, templates/)")


def templates_dir() -> Path:
    return data_root() / "templates" / "sv"


def clauses_dir() -> Path:
    return data_root() / "clauses"


def lint_rules_dir() -> Path:
    return data_root() / "lint_rules"


def package_data(name: str) -> Path:
    """A file shipped in src/policygen/data (schemas, the kommun table)."""
    return _PACKAGE_DIR / "data" / name
