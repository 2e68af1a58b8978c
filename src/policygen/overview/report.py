"""From an overview (new, or a run read from an archive) to what the user
gets: the page, the CSV and the JSON, with the change since an earlier run
and the history of every part when there is an archive."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from policygen.errors import UserError
from policygen.overview.archive import list_runs, load_run, open_archive, part_history, store_run
from policygen.overview.history import Comparison, compare
from policygen.overview.model import Overview
from policygen.overview.opendata import to_csv, to_json
from policygen.overview.page import Downloads, render_page


@dataclass
class OverviewFiles:
    overview: Overview
    comparison: Comparison | None
    html: str
    csv: str
    json: str


def overview_files(overview: Overview | None, archive: Path | None = None, store: bool = True,
                   run_id: int | None = None, compare_with: int | None = None,
                   with_downloads: bool = False) -> OverviewFiles:
    """`overview` None: show run `run_id` (default the latest) from the archive.
    With an archive, a new overview is stored (unless `store` is false) and
    compared with `compare_with` (default the run before it)."""

    if archive is None:
        if overview is None:
            raise UserError("ange en mapp med dokument eller ett arkiv", hint="till exempel: policygen oversikt dokument/ -o oversikt.html")
        return _files(overview, None, [], with_downloads)
    with open_archive(archive, create=overview is not None) as connection:
        if overview is None:
            runs = list_runs(connection)
            if not runs:
                raise UserError("arkivet har inga sparade körningar", file=archive,
                                hint="kör först policygen oversikt MAPP --arkiv med samma fil")
            overview = load_run(connection, run_id if run_id is not None else runs[-1].id)
        elif store:
            store_run(connection, overview)
        runs = list_runs(connection)
        earlier_runs = [r for r in runs if overview.run_id is None or r.id < overview.run_id]
        comparison = None
        if compare_with is not None:
            comparison = compare(overview, load_run(connection, compare_with))
        elif earlier_runs:
            comparison = compare(overview, load_run(connection, earlier_runs[-1].id))
        history = [(run.created, counts) for run, counts in part_history(connection)
                   if overview.run_id is None or run.id <= overview.run_id]
        if overview.run_id is None:  # not stored: its own counts end the series
            history.append((overview.created, {p.id: sum(e.parts[p.id].status == "present" for e in overview.kommuner)
                                               for p in overview.parts}))
    return _files(overview, comparison, history, with_downloads)


def _data_url(text: str, kind: str) -> str:
    return f"data:{kind};charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


def _files(overview: Overview, comparison: Comparison | None, history: list, with_downloads: bool) -> OverviewFiles:
    csv_text, json_text = to_csv(overview), to_json(overview)
    downloads = Downloads(_data_url(csv_text, "text/csv"), _data_url(json_text, "application/json")) \
        if with_downloads else None
    html = render_page(overview, comparison, history, downloads)
    return OverviewFiles(overview, comparison, html, csv_text, json_text)
