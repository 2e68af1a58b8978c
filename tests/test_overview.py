"""The national overview (policygen oversikt) on a folder of generated
documents for many kommuner with parts removed on purpose: attribution,
the combined status per part, totals per län, the open data, the map, the
page's promises (no request elsewhere, no accessibility violation) and the
archive over two runs."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from html import unescape
from pathlib import Path

import pytest

import overview_documents as docs
from policygen.cli import main
from policygen.errors import UserError
from policygen.kommuner import all_kommuner, find_kommun
from policygen.overview import archive as archive_module
from policygen.overview.archive import list_runs, load_run, open_archive
from policygen.overview.attribution import owner_from_name, parse_mapping
from policygen.overview.build import build_overview
from policygen.overview.mapdata import sweden_map
from policygen.overview.report import overview_files
from policygen.overview.totals import lan_totals

PARTS = ["politisk-placering", "ansvarig-funktion", "intern-samordning", "styrdokument", "handlingsplan",
         "extern-samverkan", "uppfoljning", "upphandling", "syfte", "definition", "iop", "vagar-till-stod"]
F, D, S = "present", "partial", "missing"
ALL_PRESENT = dict.fromkeys(PARTS, F)
# Only the title and the metadata table ("Beslutad av: Kommunfullmäktige"): the
# document is decided, and on topic, but says nothing concrete about the rest.
HEAD_ONLY = {**dict.fromkeys(PARTS, S), "styrdokument": F, "politisk-placering": D, "ansvarig-funktion": D,
             "syfte": D, "vagar-till-stod": D}
# Växjö's two documents, each with one section kept: IOP in one, internal
# collaboration in the other (which also names the forum, the officer and procurement).
VAXJO = {**HEAD_ONLY, "iop": F, "intern-samordning": F, "extern-samverkan": F, "upphandling": F,
         "ansvarig-funktion": F}


def kod(name: str) -> str:
    kommun = find_kommun(name)
    assert kommun is not None
    return kommun.kod


def make_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ljungby-policy.md").write_text(docs.policy("Ljungby"), encoding="utf-8")
    (folder / "ljungby-handlingsplan.md").write_text(docs.plan("Ljungby"), encoding="utf-8")
    (folder / "markaryd-policy.md").write_text(docs.keep_sections(docs.policy("Markaryd"), []), encoding="utf-8")
    (folder / "vaxjo-iop.md").write_text(docs.keep_sections(docs.policy("Växjö"), ["Idéburet"]), encoding="utf-8")
    (folder / "Växjö").mkdir(exist_ok=True)
    (folder / "Växjö" / "intern.md").write_text(docs.keep_sections(docs.policy("Växjö"), ["Intern samordning"]),
                                                encoding="utf-8")
    (folder / "kiruna-snorojning.md").write_text(docs.OFF_TOPIC, encoding="utf-8")
    (folder / "region-kronoberg-strategi.md").write_text(docs.policy("Ljungby"), encoding="utf-8")
    # Solna's text, but the user's list says it is Sundbyberg's: the list wins.
    (folder / "utkast.md").write_text(docs.policy("Solna"), encoding="utf-8")
    (folder / "håbo-policy.md").write_text(docs.policy("Håbo"), encoding="utf-8")
    (folder / "habo-policy.md").write_text(docs.policy("Habo"), encoding="utf-8")
    (folder / "anteckningar.md").write_text("# Minnesanteckningar\n\nVi bokade ett nytt möte.\n", encoding="utf-8")
    (folder / "trasig.docx").write_bytes(b"inte alls en Word-fil")
    return folder


MAPPING = "fil;kommun\nutkast.md;Sundbybergs stad\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_folder(tmp_path_factory.mktemp("oversikt") / "dokument")


@pytest.fixture(scope="module")
def overview(folder):
    return build_overview([folder], parse_mapping(MAPPING, "lista.csv"), jobs=2, created="2026-03-01T10:00")


def statuses(overview, name: str) -> dict[str, str]:
    return {part: status.status for part, status in overview.entities[kod(name)].parts.items()}


def test_each_kommun_gets_exactly_the_expected_status_per_part(overview):
    assert statuses(overview, "Ljungby") == ALL_PRESENT
    assert statuses(overview, "Markaryd") == HEAD_ONLY
    assert statuses(overview, "Växjö") == VAXJO
    # An off-topic document: every part missing, but its purpose can be read from its title
    # (the review criteria judge syfte and styrdokument as properties of any document).
    assert statuses(overview, "Kiruna") == {**dict.fromkeys(PARTS, S), "syfte": D}
    assert statuses(overview, "Sundbyberg") == ALL_PRESENT
    assert statuses(overview, "Håbo") == ALL_PRESENT and statuses(overview, "Habo") == ALL_PRESENT
    assert {e.namn for e in overview.kommuner} == {"Ljungby", "Markaryd", "Växjö", "Kiruna", "Sundbyberg", "Håbo",
                                                   "Habo"}
    region = overview.entities["07"]
    assert (region.namn, region.kind, region.count()) == ("Region Kronoberg", "region", 12)


def test_the_document_and_sentence_that_decided_each_part_are_kept(overview):
    vaxjo = overview.entities[kod("Växjö")]
    assert vaxjo.parts["iop"].document == "vaxjo-iop.md"
    assert vaxjo.parts["intern-samordning"].document == "Växjö/intern.md"
    assert "Samordningsgruppen för social ekonomi" in vaxjo.parts["intern-samordning"].evidence
    assert vaxjo.parts["handlingsplan"].document == "" and vaxjo.parts["handlingsplan"].evidence == ""
    # A tie goes to the first document in path order, so a rerun agrees.
    assert overview.entities[kod("Ljungby")].parts["syfte"].document == "ljungby-handlingsplan.md"


def test_documents_are_attributed_by_list_name_folder_and_text(overview):
    how = {d.file: d.attributed_by for e in overview.entities.values() for d in e.documents}
    assert how["utkast.md"] == "kommunlistan (CSV)"
    assert how["ljungby-policy.md"] == "filnamnet"
    assert how["Växjö/intern.md"] == "mappen"
    assert [file for file, _ in overview.unattributed] == ["anteckningar.md"]
    assert [Path(file).name for file, _ in overview.errors] == ["trasig.docx"]


def test_names_in_file_names_are_read_as_people_write_them():
    assert owner_from_name("solleftea_policy_2026").namn == "Sollefteå"
    assert owner_from_name("Upplands Väsby handlingsplan").namn == "Upplands Väsby"
    assert owner_from_name("0781-plan").namn == "Ljungby"
    assert owner_from_name("region-jonkoping-strategi").kind == "region"
    assert owner_from_name("jonkoping-policy").namn == "Jönköping"
    assert owner_from_name("ljungby-och-markaryd") is None      # two kommuner: the text or the list decides
    assert owner_from_name("policy-2026") is None


def test_a_bad_kommun_list_names_the_line_and_the_remedy():
    with pytest.raises(UserError) as caught:
        parse_mapping("fil,kommun\na.md,Ljungby\nb.md,Atlantis\n", "lista.csv")
    assert caught.value.line == 3 and "Atlantis" in caught.value.message
    with pytest.raises(UserError, match="kolumnerna fil och kommun"):
        parse_mapping("namn,plats\n", "lista.csv")


def test_counts_per_lan_and_for_the_country(overview):
    rows, country = lan_totals(overview)
    by_name = {row.namn: row for row in rows}
    kronoberg = by_name["Kronobergs län"]
    assert (kronoberg.kommuner, kronoberg.granskade, kronoberg.alla) == (8, 3, 1)
    assert kronoberg.mal == [1, 2, 2]          # Ljungby all three; Växjö structure and business
    assert kronoberg.delar[PARTS.index("iop")] == 2
    assert (by_name["Norrbottens län"].granskade, by_name["Norrbottens län"].alla) == (1, 0)
    assert (by_name["Stockholms län"].granskade, by_name["Uppsala län"].alla, by_name["Jönköpings län"].alla) == (1, 1, 1)
    assert (country.kommuner, country.granskade, country.alla) == (290, 7, 4)
    assert len(rows) == 21 and sum(row.granskade for row in rows) == country.granskade


def test_csv_and_json_have_one_row_per_kommun_and_part_keyed_on_kommunkod(overview):
    files = overview_files(overview)
    rows = list(csv.DictReader(io.StringIO(files.csv)))
    assert len(rows) == 8 * 12
    assert list(rows[0]) == ["kommunkod", "kommun", "typ", "lanskod", "lan", "del_id", "del", "status", "dokument",
                             "underlag", "avsnitt", "datum"]
    by_key = {(r["kommunkod"], r["del_id"]): r for r in rows}
    iop = by_key[(kod("Växjö"), "iop")]
    assert (iop["kommun"], iop["lan"], iop["status"], iop["dokument"], iop["datum"]) == \
        ("Växjö", "Kronobergs län", "finns", "vaxjo-iop.md", "2026-03-01")
    assert by_key[(kod("Kiruna"), "iop")]["status"] == "saknas"
    assert by_key[(kod("Kiruna"), "syfte")]["status"] == "delvis"
    assert by_key[("07", "iop")]["typ"] == "region"
    data = json.loads(files.json)
    assert data["rader"] == [dict(r) for r in rows]
    assert set(data["kolumner"]) == set(rows[0])
    assert data["ej_knutna"][0]["fil"] == "anteckningar.md"


def test_the_map_has_the_290_kommuner_with_their_codes():
    sweden = sweden_map()
    assert set(sweden.kommuner) == {k.kod for k in all_kommuner()}
    assert len(sweden.lan) == 21
    assert "CC0" in sweden.licence and "SCB" in sweden.source


def test_the_page_draws_every_kommun_and_requests_nothing(overview):
    html = overview_files(overview).html
    paths = re.findall(r'<path class="([a-z0-9]+)" data-k="(\d{4})"', html)
    assert len(paths) == 290 and {code for _, code in paths} == {k.kod for k in all_kommuner()}
    colours = dict((code, cls) for cls, code in paths)
    assert colours[kod("Ljungby")] == "c4" and colours[kod("Kiruna")] == "c0" and colours[kod("Lund")] == "ej"
    # No address to another host in any attribute, and a policy that forbids fetching anything.
    assert not re.search(r'(?:src|href|action)="?(?:https?:)?//', html)
    assert "default-src 'none'" in unescape(html) and re.findall(r"<link[^>]*>", html) == ['<link rel="icon" href="data:,">']
    assert 'data-k="0781"' in html and ">Ljungby</a>" in html


def test_an_earlier_run_is_read_from_the_archive_and_the_change_is_right(folder, tmp_path):
    archive = tmp_path / "arkiv.sqlite"
    mapping = parse_mapping(MAPPING, "lista.csv")
    first = build_overview([folder], mapping, jobs=1, created="2026-03-01T10:00")
    overview_files(first, archive)
    # A year on: Markaryd has adopted a whole policy, and Kiruna's document is gone.
    later = make_folder(tmp_path / "senare")
    (later / "markaryd-policy.md").write_text(docs.policy("Markaryd"), encoding="utf-8")
    (later / "kiruna-snorojning.md").unlink()
    second = build_overview([later], mapping, jobs=1, created="2027-03-01T10:00")
    files = overview_files(second, archive)
    comparison = files.comparison
    assert comparison is not None and comparison.earlier == "2026-03-01T10:00"
    moved = {(c.namn, c.part, c.before, c.after) for c in comparison.changes}
    assert len(moved) == 11 and comparison.improved == 11 and comparison.worsened == 0
    assert ("Markaryd", "Handlingsplan", "saknas", "finns") in moved
    assert ("Markaryd", "Syfte", "delvis", "finns") in moved
    assert comparison.dropped == ["Kiruna"] and comparison.added == []
    assert "Förändring sedan 2026-03-01 kl. 10:00" in files.html
    assert "Handlingsplan: saknas → finns" in files.html and "Visa kommunen som har flyttat" in files.html
    # The archive alone gives the first run back as it was.
    with open_archive(archive, create=False) as connection:
        assert [run.created for run in list_runs(connection)] == ["2026-03-01T10:00", "2027-03-01T10:00"]
        stored = load_run(connection, 1)
    assert {k: {p: s.status for p, s in e.parts.items()} for k, e in stored.entities.items()} == \
        {k: {p: s.status for p, s in e.parts.items()} for k, e in first.entities.items()}
    assert stored.unattributed == first.unattributed
    # The chart per part: IOP was present in five kommuner, then six.
    assert 'aria-label="Idéburet offentligt partnerskap: 2026-03-01: 5, 2027-03-01: 6"' in files.html


def test_a_newer_policygen_reads_an_older_archive(folder, tmp_path, monkeypatch):
    archive = tmp_path / "gammalt.sqlite"
    overview_files(build_overview([folder / "Växjö"], None, jobs=1, created="2026-01-01T09:00"), archive)
    # Version 2 of the schema adds a column; an archive of version 1 is brought up to date and read.
    monkeypatch.setattr(archive_module, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(archive_module, "MIGRATIONS", {1: "ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';"})
    files = overview_files(None, archive)
    assert files.overview.created == "2026-01-01T09:00" and kod("Växjö") in files.overview.entities
    assert sqlite3.connect(archive).execute("PRAGMA user_version").fetchone()[0] == 2


def test_an_archive_from_a_newer_policygen_or_another_program_is_refused_untouched(tmp_path):
    newer = tmp_path / "nyare.sqlite"
    connection = sqlite3.connect(newer)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    with pytest.raises(UserError, match="schemaversion 99") as caught:
        overview_files(None, newer)
    assert "uppdatera policygen" in (caught.value.hint or "")
    other = tmp_path / "annat.sqlite"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE kunder (namn TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(UserError, match="inget policygen-arkiv"):
        overview_files(None, other)
    text = tmp_path / "text.sqlite"
    text.write_text("hej", encoding="utf-8")
    with pytest.raises(UserError, match="inget policygen-arkiv"):
        overview_files(None, text)


def test_the_command_writes_page_csv_and_json_and_never_overwrites(folder, tmp_path, capsys):
    listing = tmp_path / "lista.csv"
    listing.write_text(MAPPING, encoding="utf-8")
    out = tmp_path / "ut" / "oversikt.html"
    out.parent.mkdir()
    code = main(["oversikt", str(folder), "-o", str(out), "--kommunlista", str(listing), "--quiet",
                 "--arkiv", str(tmp_path / "a.sqlite")])
    assert code == 2  # trasig.docx could not be read: said, and the rest is still written
    error = capsys.readouterr().err
    assert "trasig.docx" in error and "anteckningar.md" in error and "Traceback" not in error
    assert out.is_file() and out.with_suffix(".csv").is_file() and out.with_suffix(".json").is_file()
    before = out.read_bytes()
    assert main(["oversikt", str(folder), "-o", str(out), "--quiet"]) == 2
    assert "finns redan" in capsys.readouterr().err and out.read_bytes() == before
    shown = tmp_path / "ut" / "sparad.html"
    assert main(["oversikt", "-o", str(shown), "--arkiv", str(tmp_path / "a.sqlite"), "--quiet"]) == 2
    assert ">Sundbyberg</a>" in shown.read_text(encoding="utf-8")
    assert main(["oversikt", str(tmp_path / "finns-inte"), "-o", str(tmp_path / "w.html")]) == 2
    assert "inget dokument kunde läsas" in capsys.readouterr().err and not (tmp_path / "w.html").exists()
    (tmp_path / "anonymt").mkdir()
    (tmp_path / "anonymt" / "utkast.md").write_text("# Anteckningar\n\nInget om någon kommun.\n", encoding="utf-8")
    assert main(["oversikt", str(tmp_path / "anonymt"), "-o", str(tmp_path / "w.html")]) == 2
    assert "kommunlista" in capsys.readouterr().err and not (tmp_path / "w.html").exists()
    assert main(["oversikt", "-o", str(tmp_path / "x.html")]) == 2
    assert "ange en mapp med dokument" in capsys.readouterr().err
    assert main(["oversikt", str(folder), "-o", str(tmp_path / "y.html"), "--jamfor", "1"]) == 2
    assert "--jamfor hör till --arkiv" in capsys.readouterr().err
    assert main(["oversikt", "-o", str(tmp_path / "z.html"), "--arkiv", str(tmp_path / "a.sqlite"), "--korning", "9"]) == 2
    assert "ingen körning nummer 9" in capsys.readouterr().err and not (tmp_path / "z.html").exists()
