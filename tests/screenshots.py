"""The README's pictures: Overview, Overdue, Person check and Upload on the demo force.

Run ``python -m tests.screenshots`` after a change to the pages; it loads the demo into a
fresh store, signs in through the form in Debian's Chromium at 1366x768 and writes
``docs/*.png``. The browser tests call :func:`capture` too, so a page the pictures need
that stops rendering fails the suite.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from tests.browser import (
    ROOT,
    VIEWPORT,
    chromium,
    find_person,
    open_page,
    sign_in,
    streamlit_server,
    wait_until_idle,
)

DOCS = ROOT / "docs"
USER = "readme-pictures"
PASSWORD = "pictures for the readme only"
PICTURE_VIEWPORT = {"width": VIEWPORT["width"], "height": 1000}
"""A laptop's width; taller than its screen, so a picture shows a page's first section."""
SHOTS: tuple[str, ...] = ("overview", "overdue", "person", "upload")
"""The file names (``docs/<name>.png``), in the order they are taken."""


def prepare_store(directory: Path) -> str:
    """A new SQLite store holding the demo force and a training manager to sign in as."""
    url = f"sqlite:///{directory / 'pictures.sqlite'}"
    command = [sys.executable, "-m", "compliance"]
    subprocess.run([*command, "demo", "--db", url], cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*command, "users", "add", USER, "--role", "manager", "--password-stdin",
                    "--db", url], cwd=ROOT, check=True, capture_output=True,
                   input=f"{PASSWORD}\n", text=True)
    return url


def overdue_person(url: str) -> tuple[str, str]:
    """The ID and name of the first overdue person today: a Person check worth showing."""
    import pandas as pd

    from compliance.access import fresh_snapshot, open_store

    store = open_store(url)
    try:
        status = fresh_snapshot(store, pd.Timestamp.today().normalize()).status
    finally:
        store.engine.dispose()
    first = status[status["status"] == "overdue"].iloc[0]
    return str(first["person_id"]), str(first["name"])


def capture(page, base: str, person: tuple[str, str], out: Path) -> list[Path]:
    """Sign in and photograph each page of :data:`SHOTS` once it has drawn; the paths."""
    sign_in(page, base, USER, PASSWORD)
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3", timeout=60_000
    )
    wait_until_idle(page)
    taken = [_shot(page, out, "overview")]
    open_page(page, "Overdue")
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
    page.get_by_role("combobox", name="Days overdue").wait_for(timeout=60_000)
    wait_until_idle(page)
    taken.append(_shot(page, out, "overdue"))
    open_page(page, "Person")
    person_id, _name = person
    find_person(page, person_id, "Point-in-time check")
    taken.append(_shot(page, out, "person"))
    open_page(page, "Upload")
    page.wait_for_selector("text=Remove the demo force", timeout=60_000)
    taken.append(_shot(page, out, "upload"))
    return taken


def _shot(page, out: Path, name: str) -> Path:
    path = out / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def main() -> int:
    """Refresh ``docs/*.png`` from a fresh demo store."""
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="readme-pictures-") as directory:
        url = prepare_store(Path(directory))
        person = overdue_person(url)
        with streamlit_server(url) as base, chromium() as browser:
            page = browser.new_page(viewport=PICTURE_VIEWPORT)
            for path in capture(page, base, person, DOCS):
                print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
