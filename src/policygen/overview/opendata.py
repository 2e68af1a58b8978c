"""The overview as open data: one row per kommun (or region) and part, keyed
on kommunkod, as CSV (UTF-8, comma separated, a header row) and as JSON (the
same rows with the columns' descriptions and the run they came from)."""

from __future__ import annotations

import csv
import io
import json

from policygen.overview.model import Overview

# (column, what it holds): the README and the JSON's "kolumner" say the same.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("kommunkod", "SCB:s fyrsiffriga kommunkod; för en region länskoden (två siffror)"),
    ("kommun", "kommunens eller regionens namn"),
    ("typ", "kommun eller region"),
    ("lanskod", "SCB:s länskod (två siffror)"),
    ("lan", "länets namn"),
    ("del_id", "delens id i granskningsreglerna (lint_rules/skr.yaml), till exempel handlingsplan"),
    ("del", "delens namn"),
    ("status", "finns, delvis eller saknas: det bästa utfallet bland kommunens dokument"),
    ("dokument", "dokumentet som avgjorde statusen (sökväg i mappen); tomt när delen saknas"),
    ("underlag", "meningen i dokumentet som visar delen; tomt när delen saknas"),
    ("avsnitt", "rubriken ovanför meningen"),
    ("datum", "dagen då dokumenten granskades (ÅÅÅÅ-MM-DD)"),
)


def rows(overview: Overview) -> list[dict[str, str]]:
    out = []
    for entity in [*overview.kommuner, *overview.regions]:
        for part in overview.parts:
            status = entity.parts[part.id]
            out.append({"kommunkod": entity.kod, "kommun": entity.namn, "typ": entity.kind,
                        "lanskod": entity.lanskod, "lan": entity.lan, "del_id": part.id, "del": part.name,
                        "status": status.name, "dokument": status.document, "underlag": status.evidence,
                        "avsnitt": status.place, "datum": overview.date})
    return out


def to_csv(overview: Overview) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, [name for name, _ in COLUMNS], lineterminator="\r\n")
    writer.writeheader()
    for row in rows(overview):
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow({k: ("'" + v if v[:1] in "=+-@" and v else v) for k, v in row.items()})
    return buffer.getvalue()


def to_json(overview: Overview) -> str:
    data = {
        "skapad": overview.created, "källa": overview.source,
        "kolumner": {name: text for name, text in COLUMNS},
        "delar": [{"id": p.id, "namn": p.name} for p in overview.parts],
        "dokument": {e.kod: [{"fil": d.file, "titel": d.title, "dokumenttyp": d.doc_type, "knuten_via": d.attributed_by}
                             for d in e.documents] for e in [*overview.kommuner, *overview.regions]},
        "rader": rows(overview),
        "ej_knutna": [{"fil": f, "skäl": why} for f, why in overview.unattributed],
        "olästa": [{"fil": f, "fel": message} for f, message in overview.errors],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
