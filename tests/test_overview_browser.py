"""The overview page in Debian's Chromium, opened as a file (as a user opens
oversikt.html) at 1280 and 390 px: it requests nothing, axe-core finds no
violation before and after each interaction, the choice recolours the map,
the table sorts, and a kommun's evidence opens from the table and the map.
And the same page from the web service's /oversikt, from an uploaded zip."""

from __future__ import annotations

import io
import zipfile

import pytest

from policygen.overview.attribution import parse_mapping
from policygen.overview.build import build_overview
from policygen.overview.report import overview_files
from test_overview import MAPPING, make_folder
from test_web_browser import axe_violations
from web_server import CHROMIUM_ARGS, require_chromium, running_server


@pytest.fixture(scope="module")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return make_folder(tmp_path_factory.mktemp("oversikt-webblasare") / "dokument")


@pytest.fixture(scope="module")
def page_file(folder, tmp_path_factory):
    overview = build_overview([folder], parse_mapping(MAPPING, "lista.csv"), jobs=2, created="2026-03-01T10:00")
    path = tmp_path_factory.mktemp("sida") / "oversikt.html"
    path.write_text(overview_files(overview).html, encoding="utf-8")
    return path


def open_page(browser, url: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
    tab = context.new_page()
    problems: list[str] = []
    tab.on("request", lambda r: problems.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    tab.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.goto(url)
    return context, tab, problems


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_works_offline_and_has_no_axe_violations(browser, page_file, width):
    context, tab, problems = open_page(browser, page_file.as_uri(), width)
    try:
        assert axe_violations(tab) == []
        ljungby = tab.locator('path[data-k="0781"]')
        assert ljungby.get_attribute("class") == "c4"
        # Colour by one part: Markaryd lacks a handlingsplan, Växjö has IOP.
        tab.select_option("#farg", label="Handlingsplan")
        assert tab.locator('path[data-k="0767"]').get_attribute("class") == "c0"
        assert tab.locator("#forklaring-titel").inner_text() == "Handlingsplan"
        tab.select_option("#farg", label="Mål: Affärer och partnerskap")
        assert tab.locator('path[data-k="0780"]').get_attribute("class") == "c4"
        assert tab.locator('path[data-k="0767"]').get_attribute("class") == "c0"
        assert tab.locator('path[data-k="1280"]').get_attribute("class") == "ej"   # Malmö: nothing linted
        # The tooltip names the kommun and what the choice says about it.
        box = ljungby.bounding_box()
        tab.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tip = tab.locator("#tips")
        if tip.is_visible():   # the centre of a small kommun may lie on a neighbour's border
            assert "(" in tip.inner_text()
        # Sorting by the number of parts present, most first.
        tab.click("button[data-kol='2']")
        first = tab.locator("#kommuntabell tbody tr th").first.inner_text()
        assert first in {"Habo", "Håbo", "Ljungby", "Region Kronoberg", "Sundbyberg"}
        assert tab.locator("#kommuntabell thead th").nth(2).get_attribute("aria-sort") == "descending"
        # A kommun's evidence from the table.
        tab.click("#kommuntabell a:text('Växjö')")
        evidence = tab.locator("#underlag-innehall")
        assert "vaxjo-iop.md" in evidence.inner_text() and "Växjö/intern.md" in evidence.inner_text()
        assert "Samordningsgruppen för social ekonomi" in evidence.inner_text()
        assert tab.evaluate("document.activeElement.id") == "underlag"
        tab.click("summary")   # the map as text
        assert "Kiruna: 0 av 12" in tab.locator(".text-karta").inner_text()
        assert axe_violations(tab) == []
    finally:
        context.close()
    assert problems == []


def test_the_web_page_makes_the_same_overview_from_an_uploaded_zip(browser, folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as packed:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                packed.write(path, path.relative_to(folder).as_posix())
        packed.writestr("kommunlista.csv", MAPPING)
    archive_path = folder.parent / "uppladdning.zip"
    archive_path.write_bytes(buffer.getvalue())
    with running_server(workers=1) as url:
        context, tab, problems = open_page(browser, url + "/oversikt", 1280)
        try:
            assert axe_violations(tab) == []
            tab.set_input_files("#f-underlag", str(archive_path))
            with tab.expect_navigation():
                tab.click("button[type=submit]")
            assert tab.locator("h1").inner_text().startswith("Översikt")
            assert tab.locator("#kommuntabell a:text('Sundbyberg')").count() == 1
            assert tab.locator("a[download='oversikt.csv']").count() == 1
            assert axe_violations(tab) == []
        finally:
            context.close()
    # The form page (the service's shared layout) asks its own host for /favicon.ico; nothing goes elsewhere.
    assert [p for p in problems if p.startswith(("http:", "https:")) and not p.startswith(url)] == []
    assert [p for p in problems if "Content Security Policy" in p] == []
