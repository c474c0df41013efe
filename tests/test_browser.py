"""End to end: ``streamlit run dashboard.py`` on the demo store, every page in headless Chromium.

Checks what only a browser shows: the pages render at a laptop's 1366x768 with no error
box or exception, and the plotly charts are drawn. Screenshots land in the test's
temporary directory for a look when something fails.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests import journey, screenshots
from tests.browser import (
    CHROMIUM,
    VIEWPORT,
    chromium,
    open_page,
    state_purpose,
    streamlit_server,
    wait_until_idle,
)
from tests.browser import sign_in as sign_in_through_form
from tests.environment import unavailable
from tests.exports import read_export
from tests.pages import ROOT, TEST_PASSWORD, demo_url, sign_in
from tests.test_pages_payloads import hostile_store

pytestmark = pytest.mark.browser

PAGES: dict[str, int] = {
    "": 3, "units": 1, "overdue": 1, "report": 0, "person": 0, "incident": 0,
    "upload": 0, "imports": 0, "rules": 0, "data_quality": 0, "audit": 0, "accounts": 0,
}
"""URL path of each page and how many plotly charts it draws before any input."""
NAVIGATION = [
    "Overview", "Units", "Overdue", "Board report", "Person", "Incident check", "Upload",
    "Imports", "Rules", "Data quality", "Audit log", "Accounts",
]
BROWSER_ADMIN = "test-admin"
TITLES = dict(zip(PAGES, NAVIGATION, strict=True))
ERROR_SELECTORS = ('[data-testid="stException"]', '[data-testid="stAlertContentError"]')


@contextmanager
def _streamlit(url: str | None = None) -> Iterator[str]:
    """The dashboard on the store at ``url`` (default the demo store), for a browser."""
    if not os.path.exists(CHROMIUM):
        unavailable(f"{CHROMIUM} is missing: run `python -m tests.setup_tools` as root")
    with streamlit_server(url or demo_url()) as base:
        yield base


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with _streamlit() as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    pytest.importorskip("playwright.sync_api")
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def admin() -> str:
    """The user name of an admin account (password :data:`TEST_PASSWORD`) in the demo store."""
    sign_in(demo_url(), "admin")
    return BROWSER_ADMIN


def _sign_in(page, base: str, name: str, path: str = "") -> None:
    sign_in_through_form(page, base, name, TEST_PASSWORD, path)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_path_of_an_anonymous_browser_shows_only_the_sign_in_form(
    server: str, browser, path: str
) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(f"{server}/{path}", wait_until="networkidle")
        page.get_by_label("User name").wait_for(timeout=60_000)
        wait_until_idle(page)
        assert page.locator('[data-testid="stSidebarNav"] a').count() == 0
        assert page.locator(".js-plotly-plot").count() == 0
        assert page.locator('[data-testid="stMetric"]').count() == 0
        assert "Traceback" not in page.inner_text("body")
    finally:
        page.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_without_errors(
    server: str, browser, admin: str, path: str, tmp_path: Path
) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    try:
        _sign_in(page, server, admin)
        open_page(page, TITLES[path])
        charts = PAGES[path]
        if charts:
            page.wait_for_function(
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
                timeout=60_000,
            )
        wait_until_idle(page)
        page.screenshot(path=str(tmp_path / f"{path or 'overview'}.png"), full_page=True)
        for selector in ERROR_SELECTORS:
            assert page.locator(selector).count() == 0, f"{selector} on /{path}"
        assert "Traceback" not in page.inner_text("body")
        assert page.locator(".js-plotly-plot").count() >= charts
    finally:
        page.close()


def test_no_table_offers_a_download_or_copy(server: str, browser, admin: str) -> None:
    """Personal data leaves only through the audited downloads: the tables' own toolbar has
    no "Download as CSV", and copying cells is off (``client.disableDataExport``)."""
    page = browser.new_page(viewport=VIEWPORT)
    try:
        _sign_in(page, server, admin)
        open_page(page, "Overdue")
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
        tables = page.locator('[data-testid="stDataFrame"]')
        assert tables.count() >= 1
        shown = [tables.nth(i) for i in range(tables.count()) if tables.nth(i).is_visible()]
        assert shown
        for table in shown:
            table.hover()
            page.wait_for_timeout(300)
            assert page.get_by_label("Download as CSV").count() == 0
            assert page.get_by_role("button", name="Download as CSV").count() == 0
    finally:
        page.close()


def test_person_lookup_in_the_browser(server: str, browser, admin: str, tmp_path: Path) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    try:
        _sign_in(page, server, admin)
        open_page(page, "Person")
        box = page.get_by_label("Find a person")
        box.fill("smith")
        box.press("Enter")
        page.wait_for_selector("text=Point-in-time check", timeout=60_000)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        wait_until_idle(page)
        page.screenshot(path=str(tmp_path / "person-found.png"), full_page=True)
        for selector in ERROR_SELECTORS:
            assert page.locator(selector).count() == 0
        body = page.inner_text("body")
        assert "Incident check: training on" in body
        assert "Deciding completion:" in body and "Sources (imports cited):" in body
    finally:
        page.close()


def test_a_bookmarked_page_on_a_fresh_server_asks_to_sign_in_then_shows_the_navigation(
    browser, admin: str, tmp_path: Path
) -> None:
    """The first request of a new server names a page: Streamlit would run that file with
    a page list built from ``pages/``; it must come back through the dashboard's navigation,
    which for nobody signed in is the sign-in page alone."""
    with _streamlit() as base:
        page = browser.new_page(viewport=VIEWPORT)
        try:
            _sign_in(page, base, admin, "overdue")
            page.screenshot(path=str(tmp_path / "bookmarked-overdue.png"), full_page=True)
            links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
            assert [link.split("\n")[-1].strip() for link in links] == NAVIGATION
        finally:
            page.close()


def test_hostile_text_fetches_nothing_and_links_nowhere(
    browser, tmp_path_factory, tmp_path: Path
) -> None:
    """Names, units, titles and file names carrying markdown images, links and HTML, on
    every page: the browser never requests the payloads' address and draws no such image
    or link."""
    url = hostile_store(tmp_path_factory.mktemp("hostile-browser"))
    sign_in(url, "admin")
    requests: list[str] = []
    with _streamlit(url) as base:
        page = browser.new_page(viewport=VIEWPORT)
        page.on("request", lambda request: requests.append(request.url))
        try:
            _sign_in(page, base, BROWSER_ADMIN)
            for title in NAVIGATION:
                open_page(page, title)
                assert page.locator('img[src*="beacon"]').count() == 0, title
                links = page.locator('a[href*="beacon"], a[href^="javascript"]')
                assert links.count() == 0, title
                assert "Traceback" not in page.inner_text("body")
            page.screenshot(path=str(tmp_path / "hostile-last-page.png"), full_page=True)
        finally:
            page.close()
    assert not [address for address in requests if "beacon" in address]


def test_a_training_managers_first_upload(browser, tmp_path: Path) -> None:
    """The journey of a new user: the README's demo, "Remove the demo force", their own
    roster (title rows, zero-padded "Employee No", "Rank/Grade", "Employee Group") and
    learning-system export through the browser, then the overdue count against the engine,
    an ID with its leading zeros, the audited xlsx and a date two years back."""
    url = f"sqlite:///{tmp_path / 'journey.sqlite'}"
    subprocess.run([sys.executable, "-m", "compliance", "demo", "--if-empty", "--db", url],
                   cwd=ROOT, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "compliance", "users", "add", "tm", "--role",
                    "manager", "--password-stdin", "--db", url], cwd=ROOT, check=True,
                   input=f"{TEST_PASSWORD}\n", text=True, capture_output=True)
    paths = journey.write(tmp_path)
    with _streamlit(url) as base:
        page = browser.new_page(viewport=VIEWPORT, accept_downloads=True)
        try:
            _sign_in(page, base, "tm")
            open_page(page, "Upload")
            page.get_by_role("button", name="Remove the demo force").click()
            page.wait_for_selector("text=Removed the demo force", timeout=60_000)
            wait_until_idle(page)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                [str(p) for p in paths.values()]
            )
            page.get_by_role("button", name="Import 3 files").wait_for(timeout=120_000)
            wait_until_idle(page)
            page.screenshot(path=str(tmp_path / "journey-upload.png"), full_page=True)
            page.get_by_role("button", name="Import 3 files").click()
            page.wait_for_selector("text=What the import changed", timeout=120_000)
            wait_until_idle(page)

            open_page(page, "Overdue")
            overdue = journey.expected_overdue()
            page.wait_for_selector(f"text={overdue:,} overdue requirements", timeout=60_000)
            page.screenshot(path=str(tmp_path / "journey-overdue.png"), full_page=True)
            with page.expect_download(timeout=60_000) as download:
                state_purpose(page)
                page.get_by_role("button", name="Download xlsx").first.click()
            saved = tmp_path / download.value.suggested_filename
            download.value.save_as(saved)
            assert saved.name.startswith("overdue-list-") and saved.suffix == ".xlsx"
            exported = read_export(saved.read_bytes())
            assert exported.block["Title"] == "Overdue list"
            assert exported.block["Exported by"] == "tm (manager)"
            ids = exported.table["ID"].tolist()
            assert len(ids) == overdue and all(re.fullmatch(r"\d{6}", i) for i in ids)
            assert any(i.startswith("0") for i in ids)

            open_page(page, "Person")
            box = page.get_by_label("Find a person")
            box.fill("57680")
            box.press("Enter")
            page.wait_for_selector("text=(057680)", timeout=60_000)
            two_years_back = journey.TODAY.year - 2
            year = page.get_by_role("spinbutton", name="year, Was this person compliant on")
            year.click()
            page.keyboard.type(str(two_years_back))
            page.keyboard.press("Enter")
            page.keyboard.press("Escape")
            page.get_by_role("heading", name="Point-in-time check").click()
            day = journey.TODAY.replace(year=two_years_back)
            page.wait_for_selector(f"text=Incident check: training on {day:%d %b %Y}",
                                   timeout=60_000)
            wait_until_idle(page)
            page.screenshot(path=str(tmp_path / "journey-person.png"), full_page=True)
            body = page.inner_text("body")
            assert "not on the roster in force" not in body
            assert "Demo data" not in body and "DEMO" not in body
            assert f"Date checked: {day:%d %b %Y}" in body
        finally:
            page.close()


def test_the_readme_pictures_are_taken_by_the_documented_command(
    browser, tmp_path: Path
) -> None:
    """``python -m tests.screenshots`` refreshes ``docs/``: the same steps, here into a
    temporary folder, must reach every page it photographs and write a picture of each."""
    url = screenshots.prepare_store(tmp_path)
    person = screenshots.overdue_person(url)
    with _streamlit(url) as base:
        page = browser.new_page(viewport=screenshots.PICTURE_VIEWPORT)
        try:
            taken = screenshots.capture(page, base, person, tmp_path)
        finally:
            page.close()
    assert [path.stem for path in taken] == list(screenshots.SHOTS)
    for path in taken:
        header = path.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(header[16:20], "big") == screenshots.PICTURE_VIEWPORT["width"]
    committed = sorted(path.stem for path in (ROOT / "docs").glob("*.png"))
    assert committed == sorted(screenshots.SHOTS)
