"""The overview as one self-contained HTML page: the map, the choice of what
to colour by, the sortable table with each kommun's evidence, totals per län
and for the country, the change since an earlier run and a chart per part.

Everything is inline (style, script, map, data): the page makes no request,
and its Content-Security-Policy (in the page, and as a header on the web)
allows only its own inline style and script by their hashes."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from policygen import __version__
from policygen.infra.resources import templates_dir
from policygen.kommuner import all_kommuner
from policygen.overview.history import Comparison
from policygen.overview.mapdata import sweden_map
from policygen.overview.model import GOALS, STATUS_NAMES, STATUS_RANK, Entity, Overview
from policygen.overview.totals import lan_totals

EVIDENCE_CHARS = 160   # the page shows the start of a long sentence; the open data has all of it

# Sequential and colour-blind safe (ColorBrewer YlGnBu, 5 classes); grey is "not linted".
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
COUNT_BINS = ((0, 2), (3, 5), (6, 8), (9, 11), (12, 12))


@dataclass(frozen=True)
class Downloads:
    """Links the web page adds to the result (data: URLs, since nothing is stored)."""
    csv: str
    json: str


def count_class(count: int, parts: int = 12) -> int:
    scaled = round(count * 12 / parts) if parts else 0
    return next(index for index, (low, high) in enumerate(COUNT_BINS) if low <= scaled <= high)


def _assets() -> tuple[str, str]:
    folder = templates_dir() / "oversikt"
    return ((folder / "sida.css").read_text(encoding="utf-8"), (folder / "sida.js").read_text(encoding="utf-8"))


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(templates_dir() / "oversikt")),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(style: str, script: str) -> str:
    return (f"default-src 'none'; style-src {_hash(style)}; script-src {_hash(script)}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1].rstrip() + "…"


def _evidence_data(overview: Overview) -> tuple[list[str], dict[str, list]]:
    """Each kommun's documents and evidence, with every string stored once: a
    sentence, a heading or a file name repeated across documents costs one entry."""
    strings: dict[str, int] = {}

    def ref(text: str) -> int:
        return strings.setdefault(text, len(strings))

    ref("")
    evidence: dict[str, list] = {}
    for entity in [*overview.kommuner, *overview.regions]:
        documents = [[ref(d.file), ref(d.title), ref(d.attributed_by)] for d in entity.documents]
        parts = []   # flat: document, sentence, heading for each part in turn
        for part in overview.parts:
            status = entity.parts[part.id]
            parts += [ref(status.document), ref(_short(status.evidence)), ref(status.place)]
        evidence[entity.kod] = [documents, parts]
    return list(strings), evidence


def _status_digits(entity: Entity, overview: Overview) -> str:
    return "".join(str(STATUS_RANK[entity.parts[p.id].status]) for p in overview.parts)


def _history_view(history: list[tuple[str, dict[str, int]]], overview: Overview) -> list[dict]:
    """One small bar chart per part: kommuner with the part present, run by run."""
    if len(history) < 2:
        return []
    highest = max([1, *(count for _, counts in history for count in counts.values())])
    charts = []
    for part in overview.parts:
        values = [counts.get(part.id, 0) for _, counts in history]
        width = 8
        bars = [{"x": index * (width + 2), "h": round(value * 40 / highest), "value": value, "date": created[:10]}
                for index, (value, (created, _)) in enumerate(zip(values, history))]
        charts.append({"name": part.name, "bars": bars, "width": len(bars) * (width + 2),
                       "text": ", ".join(f"{b['date']}: {b['value']}" for b in bars)})
    return charts


def render_page(overview: Overview, comparison: Comparison | None = None,
                history: list[tuple[str, dict[str, int]]] | None = None, downloads: Downloads | None = None,
                title: str = "Översikt: SKR:s utvecklingssteg i kommunerna") -> str:
    """The whole page as text. `history` is (run's date and time, kommuner with each part present) per stored run."""

    style, script = _assets()
    sweden = sweden_map()
    all_names = {k.kod: k for k in all_kommuner()}
    parts_total = len(overview.parts)
    paths = []
    for kod, d in sweden.kommuner.items():
        entity = overview.entities.get(kod)
        paths.append({"kod": kod, "d": d,
                      "cls": f"c{count_class(entity.count(), parts_total)}" if entity else "ej"})
    strings, evidence = _evidence_data(overview)
    lan_names = sorted({k.lan for k in all_kommuner()})
    data = {"delar": [p.name for p in overview.parts], "del_id": [p.id for p in overview.parts],
            "mal": [[name, [overview.parts.index(next(p for p in overview.parts if p.id == pid)) for pid in parts]]
                    for _, name, parts in GOALS if all(any(p.id == pid for p in overview.parts) for pid in parts)],
            "lan": lan_names, "kommuner": {k.kod: [k.namn, lan_names.index(k.lan)] for k in all_kommuner()},
            "status": {e.kod: _status_digits(e, overview) for e in overview.kommuner},
            "regioner": {e.kod: [e.namn, _status_digits(e, overview)] for e in overview.regions},
            "s": strings, "underlag": evidence, "palett": PALETTE}
    lan_rows, country = lan_totals(overview)
    by_lan: dict[str, list] = {}
    for kommun in all_kommuner():
        entity = overview.entities.get(kommun.kod)
        by_lan.setdefault(kommun.lan, []).append((kommun.namn, entity.count() if entity else None))
    rows = [{"kod": e.kod, "namn": e.namn, "lan": e.lan, "finns": e.count(), "delvis": e.count("partial"),
             "cells": [(STATUS_RANK[e.parts[p.id].status], STATUS_NAMES[e.parts[p.id].status]) for p in overview.parts]}
            for e in sorted([*overview.kommuner, *overview.regions], key=lambda e: e.namn)]
    documents = sum(len(e.documents) for e in overview.entities.values())
    # "</script" or "<!--" inside a script element would end or bend it; JSON allows "\u003c" for "<".
    data_json = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return _environment().get_template("sida.html.j2").render(
        title=title, overview=overview, version=__version__, style=Markup(style), script=Markup(script),
        csp=content_security_policy(style, script), map=sweden, paths=paths, palette=PALETTE, bins=COUNT_BINS,
        goals=GOALS, rows=rows, lan_rows=lan_rows, country=country, by_lan=sorted(by_lan.items()),
        linted=len(overview.kommuner), regions=len(overview.regions), documents=documents,
        not_linted=[k.namn for kod, k in sorted(all_names.items()) if kod not in overview.entities],
        comparison=comparison, charts=_history_view(history or [], overview), downloads=downloads,
        data=Markup(data_json))
