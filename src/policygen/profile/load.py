"""Municipality profiles: read, inherit, validate against the shipped JSON Schema."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from policygen.errors import UserError
from policygen.infra.resources import package_data
from policygen.infra.validation import validate
from policygen.infra.yamlio import ParseOnDemand, load_yaml_data, locate
from policygen.kommuner import find_kommun
from policygen.profile.decisions import check_decisions
from policygen.profile.free_text import free_text_conflicts
from policygen.profile.organisation import Organisation, organisation_of
from policygen.profile.readiness import OpenItem, find_open_items


@dataclass
class Profile:
    data: dict[str, Any]
    source: Path
    # What keeps the profile from being a decision (TODOs, unconfirmed yes/no
    # choices, impossible dates); empty for a finished profile.
    open_items: tuple[OpenItem, ...] = field(default=())

    @property
    def style(self) -> str:
        return self.data["stil"]

    @property
    def kommun_namn(self) -> str:
        return self.data["kommun"]["namn"]

    @property
    def officiellt_namn(self) -> str:
        return self.data["kommun"]["officiellt_namn"]

    @property
    def organisation(self) -> Organisation:
        return organisation_of(self.data)

    def get(self, dotted: str) -> Any:
        """Value at a dotted path such as 'ansvar.namnd', or None."""
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node


@cache
def profile_schema() -> dict[str, Any]:
    with open(package_data("profile.schema.json"), encoding="utf-8") as handle:
        return json.load(handle)


def load_profile(path: str | Path, overrides: dict[str, Any] | None = None) -> Profile:
    """Read a profile file (following `arv:` inheritance) and validate it."""
    path = Path(path)
    raw, root = _read_with_inheritance(path, seen=())
    if overrides:
        raw = merge(raw, overrides)
    return profile_from_data(raw, path, root)


def read_profile_data(path: str | Path) -> dict[str, Any]:
    """The plain data of a profile file after `arv:` inheritance, not yet
    validated: a shared defaults file is not a whole profile on its own."""
    path = Path(path)
    data, _ = _read_with_inheritance(path, seen=())
    if not isinstance(data, dict):
        raise UserError("profilen ska vara en YAML-karta med fält som stil:, ansvar: och uppfoljning:",
                        file=path, line=1, hint="utgå från examples/gemensam.yaml")
    return data


def profile_from_data(raw: Any, source: Path, root: Any = None) -> Profile:
    if not isinstance(raw, dict):
        raise UserError("profilen ska vara en YAML-karta med fält som kommun:, stil: och ansvar:",
                        file=source, line=1, hint="utgå från en profil skapad med 'policygen init'")
    data = copy.deepcopy(raw)
    unconfirmed: list[tuple[tuple[Any, ...], bool]] = []
    normalise(data, profile_schema(), (), unconfirmed)
    validate_profile(data, source, root if root is not None else raw)
    items = find_open_items(data, source, root, tuple(unconfirmed))
    _complete_kommun(data["kommun"], source, root)
    # Who may decide what, and free text that says what a yes/no choice denies.
    where = root if root is not None else raw
    check_decisions(data, organisation_of(data), source, where)
    items += free_text_conflicts(data, source, where, frozenset(path for path, _ in unconfirmed))
    return Profile(data, source, tuple(items))


_YES = {"ja", "j", "yes", "true", "sant"}
_NO = {"nej", "n", "no", "false", "falskt"}


def normalise(node: Any, schema: dict[str, Any], path: tuple[Any, ...],
              unconfirmed: list[tuple[tuple[Any, ...], bool]]) -> None:
    """Read what officials write the way they mean it, before validation:
    ja/nej in a yes/no field, a kommunkod written without quotes (YAML reads
    0781 as the number 781), and "TODO: ja eller nej (förslag: ja)" in a yes/no
    field, which becomes the suggestion and is recorded as unconfirmed."""
    if not isinstance(node, dict):
        return
    properties = schema.get("properties", {})
    for key, value in list(node.items()):
        sub = properties.get(key)
        if sub is None:
            continue
        if sub.get("type") == "boolean" and isinstance(value, str):
            word = value.strip().lower()
            if word in _YES or word in _NO:
                node[key] = word in _YES
            elif "TODO" in value:
                suggestion = bool(re.search(r"förslag:\s*ja", value, re.IGNORECASE))
                node[key] = suggestion
                unconfirmed.append((path + (key,), suggestion))
        elif path == ("kommun",) and key == "kommunkod" and isinstance(value, int) and not isinstance(value, bool):
            node[key] = f"{value:04d}"
        elif isinstance(value, dict):
            normalise(value, sub, path + (key,), unconfirmed)
        elif isinstance(value, list) and isinstance(sub.get("items"), dict):
            for index, item in enumerate(value):
                normalise(item, sub["items"], path + (key, index), unconfirmed)


PROFILE_SUFFIXES = (".yaml", ".yml")
MAX_PARENT_BYTES = 1024 * 1024


def _read_with_inheritance(path: Path, seen: tuple[Path, ...]) -> tuple[Any, Any]:
    # The fast loader gives the data; the round-trip tree is parsed only if an
    # error or an open item needs a line number.
    data = load_yaml_data(path, "profilen")
    root = ParseOnDemand(path, "profilen")
    if data is None:
        raise UserError("profilen är tom", file=path,
                        hint="skapa en profil med 'policygen init --kommun NAMN -o profil.yaml'")
    if not isinstance(data, dict) or "arv" not in data:
        return data, root
    parent_ref = data.pop("arv")

    line, column = locate(root, ["arv"])
    if not isinstance(parent_ref, str):
        raise UserError("'arv' ska vara en sökväg till en annan profil", file=path, line=line, column=column,
                        hint="skriv till exempel arv: gemensamt.yaml")
    try:
        parent_path = (path.parent / parent_ref).resolve()
        exists, usable = parent_path.exists(), parent_path.is_file()  # regular: no folder, device or FIFO
    except (OSError, RuntimeError, ValueError):  # a NUL, a link loop, a path too long for the file system
        parent_path, exists, usable = path, True, False
    if usable and (parent_path in seen or parent_path == path.resolve()):
        raise UserError("profilerna ärver av varandra i en cirkel", file=path, line=line, column=column,
                        hint="ta bort 'arv' i någon av profilerna")
    if not exists:
        raise UserError(f"profilen som det ärvs från finns inte: {parent_ref[:200]}", file=path, line=line,
                        column=column, hint="sökvägen räknas från den här profilens mapp")
    if not usable:
        raise UserError(f"'arv' pekar inte på en vanlig fil som går att läsa: {parent_ref[:200]}", file=path,
                        line=line, column=column,
                        hint="skriv sökvägen till den gemensamma profilen, räknad från den här profilens mapp")
    # Only a profile is read: a YAML file of profile size. Any other file the
    # path may reach (/etc/shadow, a key) is refused before it is opened, and
    # no message ever quotes what it holds.
    if parent_path.suffix.lower() not in PROFILE_SUFFIXES:
        raise UserError("'arv' ska peka på en profil, en fil som slutar på .yaml eller .yml", file=path, line=line,
                        column=column, hint="skriv sökvägen till den gemensamma profilen, t.ex. arv: gemensam.yaml")
    if parent_path.stat().st_size > MAX_PARENT_BYTES:
        raise UserError(f"profilen som det ärvs från är större än {MAX_PARENT_BYTES // 1024} kB; en profil är "
                        "några kB", file=path, line=line, column=column,
                        hint="kontrollera att 'arv' pekar på den gemensamma profilen")
    parent, _ = _read_with_inheritance(parent_path, seen + (path.resolve(),))
    if not isinstance(parent, dict):
        raise UserError("profilen som det ärvs från är inte en YAML-karta", file=parent_path, line=1,
                        hint="kontrollera den gemensamma profilen")
    parent.pop("arv", None)
    return merge(parent, data), root


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: mappings merge key by key, everything else replaces."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def validate_profile(data: dict[str, Any], source: Path, root: Any) -> None:
    validate(data, profile_schema(), source, root)


def _complete_kommun(kommun: dict[str, Any], source: Path, root: Any) -> None:
    """Fill kod, län, region and official name from the kommun table."""
    by_name = find_kommun(kommun["namn"])
    by_code = find_kommun(kommun["kommunkod"]) if kommun.get("kommunkod") else None
    if by_name is not None and by_code is not None and by_name != by_code:
        line, column = locate(root, ["kommun", "kommunkod"])
        raise UserError(f"kommunkoden {kommun['kommunkod']} hör till {by_code.namn}, inte {kommun['namn']}",
                        file=source, line=line, column=column,
                        hint="rätta kommunkoden eller ta bort den så hämtas den ur kommuntabellen")
    known = by_name or by_code
    if known is not None:
        kommun.setdefault("kommunkod", known.kod)
        kommun.setdefault("lan", known.lan)
        kommun.setdefault("region", known.region)
        kommun.setdefault("officiellt_namn", known.officiellt_namn)
    elif "officiellt_namn" not in kommun:
        # A kommun outside the table (a merger, a test): the usual genitive form.
        name = kommun["namn"]
        genitive = name if name[-1].lower() in "aeiouyåäösxz" else name + "s"
        kommun["officiellt_namn"] = f"{genitive} kommun"
