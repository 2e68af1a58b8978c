"""The bundled table of Sweden's 290 kommuner (kod, namn, län, region, organisation kind)."""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from policygen.errors import UserError
from policygen.infra.resources import package_data


@dataclass(frozen=True)
class Kommun:
    kod: str
    namn: str              # "Markaryd"
    officiellt_namn: str   # "Markaryds kommun", "Malmö stad", "Region Gotland"
    lanskod: str
    lan: str
    region: str
    # "kommun"; "stad" for the 14 that call themselves stad (Malmö stad);
    # "region" for Region Gotland, a kommun with regional responsibility.
    organisation: str = "kommun"


@cache
def all_kommuner() -> tuple[Kommun, ...]:
    with open(package_data("kommuner.csv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        Kommun(r["kommunkod"], r["kommun"], r["officiellt_namn"], r["lanskod"], r["lan"], r["region"],
               r["organisation"])
        for r in rows
    )


def _key(name: str) -> str:
    name = unicodedata.normalize("NFC", name).casefold().strip()
    for suffix in (" kommun", " stad", "s kommun", "s stad"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    if name.startswith("region "):
        name = name[len("region "):]
    return name


@cache
def _by_key() -> dict[str, Kommun]:
    index: dict[str, Kommun] = {}
    for kommun in all_kommuner():
        index[kommun.namn.casefold()] = kommun
        index[_key(kommun.officiellt_namn)] = kommun
        index[kommun.kod] = kommun
    return index


def find_kommun(name_or_code: str) -> Kommun | None:
    text = name_or_code.strip()
    return _by_key().get(text) or _by_key().get(_key(text))


def lookup_kommun(name_or_code: str) -> Kommun:
    """Find a kommun by name, official name or kommunkod, or explain what exists."""
    kommun = find_kommun(name_or_code)
    if kommun is not None:
        return kommun
    names = [k.namn for k in all_kommuner()]
    close = difflib.get_close_matches(name_or_code.strip().title(), names, n=3, cutoff=0.6)
    hint = ("menade du " + " eller ".join(close) + "?") if close else \
        "ange kommunens namn som i SCB:s kommunlista, till exempel Ljungby, eller dess fyrsiffriga kommunkod"
    raise UserError(f"okänd kommun: '{name_or_code}'", hint=hint)


@dataclass(frozen=True)
class Mention:
    kommun: Kommun
    start: int
    end: int
    genitive: bool            # "Markaryds kommuns vision"


@cache
def _stems() -> dict[str, Kommun]:
    """Every way a kommun's name is written before "kommun" or "stad"."""
    stems: dict[str, Kommun] = {}
    for kommun in all_kommuner():
        official = kommun.officiellt_namn
        for suffix in (" kommun", " stad"):
            if official.endswith(suffix):
                stems[official[: -len(suffix)]] = kommun
        stems.setdefault(kommun.namn, kommun)
        if not kommun.namn.endswith("s"):
            stems.setdefault(kommun.namn + "s", kommun)
    return stems


# Find the cheap part ("kommun", "stad", "Region Gotland") first, then look at
# the one to three words before it: far faster than one regex of 290 names.
# "Stad" with a capital is how Göteborgs Stad and Borås Stad write themselves.
_KIND = re.compile(r"(?<!\w)(?:(kommun|[Ss]tad)(s?)|Region Gotland(s?))(?!\w)")
_WORD_BEFORE = re.compile(r"([\w-]+)\s+$")


def kommun_mentions(text: str) -> list[Mention]:
    if "kommun" not in text and "stad" not in text and "Stad" not in text and "Gotland" not in text:
        return []
    stems = _stems()
    mentions = []
    for match in _KIND.finditer(text):
        if match.group(3) is not None:
            mentions.append(Mention(stems["Gotland"], match.start(), match.end(), bool(match.group(3))))
            continue
        start = match.start()
        words: list[tuple[int, str]] = []
        for _ in range(3):
            previous = _WORD_BEFORE.search(text, 0, start)
            if previous is None:
                break
            words.insert(0, (previous.start(), previous.group(1)))
            start = previous.start()
        # Longest name first: "Upplands Väsby kommun" before "Väsby kommun".
        for index in range(len(words)):
            stem = " ".join(word for _, word in words[index:])
            # Case-sensitive on purpose: "vara kommun" is not Vara kommun.
            if stem in stems:
                mentions.append(Mention(stems[stem], words[index][0], match.end(), bool(match.group(2))))
                break
    return mentions


@cache
def _by_name() -> dict[str, Kommun]:
    return {kommun.namn: kommun for kommun in all_kommuner()}


def kommun_by_name(name: str) -> Kommun | None:
    """The kommun whose short name is exactly `name` ("Alvesta", "Upplands Väsby"),
    case-sensitive: a name without "kommun" after it is only a name when capitalised."""
    return _by_name().get(name)
