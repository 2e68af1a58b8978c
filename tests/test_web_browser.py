"""The web page in Debian's Chromium: axe-core finds no accessibility
violation in any page state, and both flows work with the keyboard only.

Screenshots of each state are saved (to POLICYGEN_SCREENSHOTS, or the test's
temporary folder) so a person can look at them."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from web_drafts import word_draft
from web_server import CHROMIUM_ARGS, require_chromium, running_server

AXE = Path(__file__).parent / "web_assets" / "axe.min.js"
# WCAG 2.1 A and AA plus axe's best practices (headings, landmarks, regions).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def base_url():
    require_chromium()
    with running_server(workers=2) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(base_url=base_url, accept_downloads=True, viewport={"width": 1280, "height": 900},
                                  locale="sv-SE")
    tab = context.new_page()
    problems: list[str] = []
    # The CSP must never have to block anything on our own pages, and no request leaves the host.
    tab.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    tab.on("request", lambda r: problems.append(r.url) if not r.url.startswith((base_url, "data:")) else None)
    tab.problems = problems
    yield tab
    assert problems == []
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("POLICYGEN_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("skarmbilder")
    path.mkdir(parents=True, exist_ok=True)
    return path


def axe_violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))   # evaluated by the browser tool, not as a page script
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [f"{v['id']}: {v['help']} – {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def check_state(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert axe_violations(page) == [], name


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab nådde aldrig {selector}")


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()")


def wait_for_focus(page, element_id: str, seconds: float = 5) -> None:
    """Wait until the element with `element_id` has the focus. After a page
    load Chromium applies `autofocus` at its next rendering step, which can
    come after the moment a test sees the new content; asserting at once made
    the test fail now and then although the page was right."""
    try:
        page.wait_for_function("id => document.activeElement && document.activeElement.id === id",
                               arg=element_id, timeout=seconds * 1000)
    except Exception as error:  # Playwright's TimeoutError: say where the focus is instead
        raise AssertionError(f"the focus is on {focused(page)!r}, not on {element_id!r}") from error


def focus_is_visible(page) -> bool:
    return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'; }""")


# -- axe on every page and state --------------------------------------------------

def test_every_page_state_has_no_axe_violations(page, shots, tmp_path):
    page.goto("/")
    check_state(page, shots, "01-start")
    page.goto("/skapa")
    check_state(page, shots, "02-skapa")
    page.goto("/skapa/profil?kommun=Atlantis&stil=markaryd")
    check_state(page, shots, "03-skapa-fel")
    page.goto("/skapa/profil?kommun=Kiruna&stil=markaryd")
    check_state(page, shots, "04-profil-tom")
    page.fill("#f-ansvar-namnd", "")
    page.fill("#f-kommun-kommunkod", "12")
    page.click("button.primar")
    page.wait_for_selector(".felsammanfattning")
    check_state(page, shots, "05-profil-fel")
    page.fill("#f-ansvar-namnd", "Kommunstyrelsen")
    page.fill("#f-kommun-kommunkod", "2584")
    page.click("button.primar")
    page.wait_for_selector("#forhand-rubrik")
    check_state(page, shots, "06-forhandsvisning")
    page.goto("/granska")
    check_state(page, shots, "07-granska")
    page.fill("#f-kommun", "Atlantis")
    page.click("button.primar")
    page.wait_for_selector(".felsammanfattning")
    check_state(page, shots, "08-granska-fel")
    page.set_input_files("#f-utkast", str(word_draft(tmp_path / "utkast.docx")))
    page.fill("#f-kommun", "")
    page.click("button.primar")
    page.wait_for_selector("#delar-rubrik")
    page.click("summary")      # open the first suggested clauses, so axe sees them too
    check_state(page, shots, "09-granskning")
    page.goto("/finns-inte")
    check_state(page, shots, "10-fel-404")


# -- keyboard only ---------------------------------------------------------------------

def test_generate_flow_with_the_keyboard_only(page, shots, tmp_path):
    page.goto("/")
    page.keyboard.press("Tab")
    assert focused(page) == "Hoppa till innehållet" and focus_is_visible(page)
    tab_to(page, 'a[href="/skapa"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/skapa")
    tab_to(page, "#f-kommun")
    assert focus_is_visible(page)
    page.keyboard.type("Kiruna")
    tab_to(page, "button.primar")
    page.keyboard.press("Enter")
    page.wait_for_selector("#f-ansvar-namnd")
    # fill in a field and a new activity row
    tab_to(page, "#f-ansvar-namnd")
    page.keyboard.press("Control+A")
    page.keyboard.type("Kommunstyrelsen")
    tab_to(page, 'button[value="rad:handlingsplan.aktiviteter"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("#f-handlingsplan-aktiviteter-2-aktivitet")
    wait_for_focus(page, "f-handlingsplan-aktiviteter-2-aktivitet")
    page.keyboard.type("Ordna en träff med sociala företag i Kiruna")
    page.screenshot(path=str(shots / "11-tangentbord-ny-rad.png"), full_page=True)
    tab_to(page, "button.primar")
    page.keyboard.press("Enter")
    page.wait_for_selector("#forhand-rubrik")
    wait_for_focus(page, "forhand-rubrik")          # the preview takes focus
    assert "Ordna en träff med sociala företag i Kiruna" in page.inner_text("#forhand-rubrik ~ article >> nth=1")
    page.screenshot(path=str(shots / "12-tangentbord-forhandsvisning.png"))
    tab_to(page, 'button[value="docx:policy"]')
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "kiruna-policy-och-riktlinjer.docx"
    import docx

    word = docx.Document(str(target))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Kiruna kommun" in text and "Kommunstyrelsen" in text
    headers = "\n".join(p.text for s in word.sections for p in s.header.paragraphs)
    assert "UTKAST" in headers + text


def test_review_flow_with_the_keyboard_only(page, shots, tmp_path):
    draft = word_draft(tmp_path / "kiruna-utkast.docx")
    page.goto("/")
    tab_to(page, 'a[href="/granska"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/granska")
    tab_to(page, "#f-utkast")
    assert focus_is_visible(page)
    # Space opens the system file dialog, which headless Chromium grants only
    # sometimes; the file goes into the focused field directly, still without a click.
    page.set_input_files("#f-utkast", str(draft))
    tab_to(page, "#f-doc_type")
    tab_to(page, "button.primar")
    page.keyboard.press("Enter")
    page.wait_for_selector("#delar-rubrik")
    page.screenshot(path=str(shots / "13-tangentbord-granskning.png"))
    tab_to(page, "summary")
    page.keyboard.press("Enter")
    assert page.locator("details").first.get_attribute("open") is not None
    tab_to(page, 'a[download$="-granskad.docx"]')
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    target = tmp_path / "granskad.docx"
    info.value.save_as(target)
    assert info.value.suggested_filename == "kiruna-utkast-granskad.docx"
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        comments = archive.read("word/comments.xml").decode("utf-8")
    assert comments.count("<w:comment ") >= 3


@pytest.mark.parametrize("path", ["/", "/skapa", "/skapa/profil?kommun=Kiruna&stil=ljungby", "/granska"])
def test_pages_reflow_at_320_pixels(page, shots, path):
    """WCAG 1.4.10: no sideways scrolling of the page at 320 CSS pixels (wide
    tables scroll inside their own box)."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    name = path.strip("/").split("?")[0].replace("/", "-") or "start"
    page.screenshot(path=str(shots / f"20-smal-{name}.png"))


def test_narrow_preview_and_review_have_no_axe_violations(page, shots, tmp_path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/skapa/profil?kommun=Kiruna&stil=ljungby")
    page.click("button.primar")
    page.wait_for_selector("#forhand-rubrik")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    check_state(page, shots, "21-smal-forhandsvisning")
    page.goto("/granska")
    page.set_input_files("#f-utkast", str(word_draft(tmp_path / "utkast.docx")))
    page.click("button.primar")
    page.wait_for_selector("#delar-rubrik")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    check_state(page, shots, "22-smal-granskning")
