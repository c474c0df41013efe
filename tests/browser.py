"""Driving the dashboard in headless Chromium: a server, a browser, the steps a person takes.

Shared by the browser tests and by ``python -m tests.screenshots`` (the README's pictures),
so the screenshots show exactly what the tests walk through.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 768}
"""A police laptop's screen: every page must read at this size."""
STARTUP_SECONDS = 60


class ServerDidNotStart(RuntimeError):
    """``streamlit run`` was not healthy in time."""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def streamlit_server(url: str) -> Iterator[str]:
    """``streamlit run dashboard.py`` on the store at ``url``; yields its base URL once healthy."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "COMPLIANCE_DB": url},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_healthy(base: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise ServerDidNotStart(f"streamlit did not start within {STARTUP_SECONDS} s")


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium under Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_until_idle(page) -> None:
    """Wait for Streamlit to finish the script run (its status widget disappears)."""
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(500)


def sign_in(page, base: str, name: str, password: str, path: str = "") -> None:
    """Open ``base/path``, which shows the sign-in form, and sign in through it."""
    page.goto(f"{base}/{path}", wait_until="networkidle")
    page.get_by_label("User name").wait_for(timeout=60_000)
    wait_until_idle(page)
    page.get_by_label("User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=60_000)
    wait_until_idle(page)


def open_page(page, title: str) -> None:
    """Go to a page through the sidebar (a new URL would be a new, signed-out session)."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    wait_until_idle(page)


def find_person(page, query: str, shown: str) -> None:
    """Search the Person page for ``query`` and wait until ``shown`` is on screen."""
    box = page.get_by_label("Find a person")
    box.fill(query)
    box.press("Enter")
    page.wait_for_selector(f"text={shown}", timeout=60_000)
    wait_until_idle(page)


def state_purpose(page) -> None:
    """Choose the first reason, give a reference and a recipient (the download unlocks)."""
    reason = page.get_by_role("combobox", name="Purpose").first
    reason.wait_for(timeout=60_000)
    reason.scroll_into_view_if_needed()
    reason.click()
    page.get_by_role("option", name="Reminders to line managers").click()
    wait_until_idle(page)
    page.get_by_role("textbox", name="Reference").first.fill("First upload check 2026")
    page.get_by_role("textbox", name="Recipient").first.fill("Insp. Hall")
    page.get_by_role("textbox", name="Recipient").first.press("Enter")
    wait_until_idle(page)
