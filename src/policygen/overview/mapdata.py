"""The bundled map: each kommun's and län's outline as an SVG path, made
from SCB's boundaries (CC0) by tools/build_kommun_map.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from policygen.infra.resources import package_data


@dataclass(frozen=True)
class SwedenMap:
    view_box: str
    kommuner: dict[str, str]     # kommunkod → path
    lan: dict[str, str]          # länskod → path
    source: str
    licence: str


@cache
def sweden_map() -> SwedenMap:
    with open(package_data("kommunkarta.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    return SwedenMap(data["viewBox"], data["kommuner"], data["lan"], data["källa"], data["licens"])
