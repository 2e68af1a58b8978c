"""Which kommun or region a document belongs to: the user's list (CSV) first,
then the file's name or its folder's, then the kommun the linter found in the
text. A region (Region Kronoberg) is kept apart from its kommuner; Region
Gotland is the kommun Gotland."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePath

from policygen.errors import UserError
from policygen.kommuner import Kommun, all_kommuner, find_kommun


@dataclass(frozen=True)
class Owner:
    kod: str            # kommunkod, or the länskod for a region
    namn: str           # "Ljungby", "Region Kronoberg"
    kind: str           # kommun | region
    lanskod: str
    lan: str


def kommun_owner(kommun: Kommun) -> Owner:
    return Owner(kommun.kod, kommun.namn, "kommun", kommun.lanskod, kommun.lan)


def _words(text: str) -> str:
    """Lower case, words split by single spaces."""
    return " ".join(re.split(r"[^\w]+|_", unicodedata.normalize("NFC", text.casefold()))).strip()


def _fold(text: str) -> str:
    """Without accents too: file names are often written without å, ä and ö
    ("solleftea-policy.docx")."""
    decomposed = unicodedata.normalize("NFKD", _words(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _owners() -> list[Owner]:
    owners = [kommun_owner(k) for k in all_kommuner()]
    regions = {k.lanskod: Owner(k.lanskod, k.region, "region", k.lanskod, k.lan)
               for k in all_kommuner() if k.region != "Region Gotland"}
    return owners + list(regions.values())


def _spellings(owner: Owner) -> set[str]:
    if owner.kind == "region":
        short = owner.namn.removesuffix(" län")          # "Region Jönköping" is understood too
        return {owner.namn, short, short.removesuffix("s") if short != owner.namn else short}
    kommun = _codes()[owner.kod]
    return {kommun.namn, kommun.officiellt_namn}


@cache
def _names(folded: bool) -> list[tuple[str, frozenset[Owner]]]:
    """Every way of naming a kommun or region, longest first (so "upplands
    väsby" is tried before a shorter name inside it), with everyone it may
    mean: without accents Habo and Håbo are both "habo"."""
    names: dict[str, set[Owner]] = {}
    for owner in _owners():
        for spelling in _spellings(owner):
            names.setdefault(_fold(spelling) if folded else _words(spelling), set()).add(owner)
    # A region's name contains its kommun's ("region jönköpings län"): the
    # longer name is found first and blanked out, so the kommun is not found too.
    return sorted(((name, frozenset(owners)) for name, owners in names.items()), key=lambda item: -len(item[0]))


@cache
def _codes() -> dict[str, Kommun]:
    return {k.kod: k for k in all_kommuner()}


def owner_from_name(text: str) -> Owner | None:
    """The kommun or region a file or folder name names: a name as whole words
    (with its å, ä and ö, or without them when that is not ambiguous), else a
    kommunkod. None when there is none, or when two different ones are named."""
    for folded in (False, True):
        padded = f" {_fold(text) if folded else _words(text)} "
        found: set[Owner] = set()
        for name, owners in _names(folded):
            if f" {name} " in padded:
                found |= owners
                padded = padded.replace(f" {name} ", " | ")  # a shorter name inside a longer one is no new match
        if found:
            return found.pop() if len(found) == 1 else None
    # "policy_2026.docx" is a year, not Gagnef (2026): numbers that can be a
    # recent year are not read as a code; such a kommun is named, or listed.
    codes = {kommun_owner(_codes()[code]) for code in re.findall(r"(?<!\d)(\d{4})(?!\d)", text)
             if code in _codes() and not 1990 <= int(code) <= 2039}
    return codes.pop() if len(codes) == 1 else None


def owner_from_text(official_name: str | None) -> Owner | None:
    """The linter's own guess (LintResult.kommun, an official name)."""
    if not official_name:
        return None
    kommun = find_kommun(official_name)
    return kommun_owner(kommun) if kommun else None


def read_mapping(path: Path) -> dict[str, Owner]:
    """The user's list: a CSV with the columns fil and kommun (a name, an
    official name, a kommunkod or a region's name), separated by comma or
    semicolon as Excel writes it. Keys are file names or relative paths."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError("kommunlistan är inte sparad som UTF-8", file=path,
                        hint="spara den som CSV UTF-8 i Excel eller LibreOffice") from error
    except OSError as error:
        raise UserError(f"kommunlistan går inte att läsa ({error.strerror or error})", file=path,
                        hint="kontrollera sökvägen") from error
    return parse_mapping(text, path)


def parse_mapping(text: str, source: Path | str) -> dict[str, Owner]:
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = {(c or "").strip().casefold(): c for c in reader.fieldnames or []}
    if "fil" not in columns or "kommun" not in columns:
        raise UserError("kommunlistan saknar kolumnerna fil och kommun", file=source, line=1,
                        hint="första raden ska vara: fil,kommun – sedan en rad per dokument, "
                             "till exempel ljungby-policy.docx,Ljungby")
    mapping: dict[str, Owner] = {}
    for number, row in enumerate(reader, start=2):
        file = (row.get(columns["fil"]) or "").strip()
        name = (row.get(columns["kommun"]) or "").strip()
        if not file and not name:
            continue
        kommun = find_kommun(name) if name else None
        owner = kommun_owner(kommun) if kommun else _region(name)
        if not file or owner is None:
            raise UserError(f"raden känns inte igen: fil '{file}', kommun '{name}'", file=source, line=number,
                            hint="ange filens namn och kommunens namn, kommunkod eller regionens namn "
                                 "(till exempel Region Kronoberg)")
        mapping[PurePath(file.replace("\\", "/")).as_posix()] = owner
    return mapping


def _region(name: str) -> Owner | None:
    words = _words(name)
    return next((owner for owner in _owners() if owner.kind == "region" and _words(owner.namn) == words), None)


def attribute(relative: PurePath, text_guess: str | None, mapping: dict[str, Owner],
              root: str = "") -> tuple[Owner | None, str]:
    """The owner of one document and how it was found, in the order a person
    would trust: their own list, the file's name, its folders', the text."""
    for key in (relative.as_posix(), relative.name):
        if key in mapping:
            return mapping[key], "kommunlistan (CSV)"
    owner = owner_from_name(relative.stem)
    if owner is not None:
        return owner, "filnamnet"
    for folder in reversed([root, *relative.parts[:-1]]):
        owner = owner_from_name(folder)
        if owner is not None:
            return owner, "mappen"
    owner = owner_from_text(text_guess)
    if owner is not None:
        return owner, "texten"
    return None, ""
