"""Every page runs with an empty store and with the demo store, and never raises.

Also home to the helpers the other page tests share: the demo store (built once per
test process with ``python -m compliance demo``) and an AppTest pointed at a store
through ``COMPLIANCE_DB``.
"""

from __future__ import annotations

import ast
import atexit
import base64
import functools
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from compliance import engine, matching
from compliance.store import Store
from pages import _navigation

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ROOT / "dashboard.py"
PAGES = tuple(spec.file for spec in _navigation.PAGES)
"""Every page in the dashboard's navigation."""
DEMO_AS_OF = pd.Timestamp("2026-11-01")
"""The demo force's reference date: figures on it never depend on today's date."""


@functools.cache
def demo_url() -> str:
    """A SQLite store holding the demo force, built once per test process."""
    directory = Path(tempfile.mkdtemp(prefix="dashboard-demo-"))
    atexit.register(shutil.rmtree, directory, True)
    url = f"sqlite:///{directory / 'demo.sqlite'}"
    subprocess.run(
        [sys.executable, "-m", "compliance", "demo", "--db", url],
        cwd=ROOT, check=True, capture_output=True,
    )
    return url


def app(
    monkeypatch: pytest.MonkeyPatch, url: str, as_of: pd.Timestamp | None = DEMO_AS_OF
) -> AppTest:
    """The dashboard, run once, reading the store at ``url``."""
    monkeypatch.setenv("COMPLIANCE_DB", url)
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    if as_of is not None:
        at.session_state["as_of"] = as_of.date()
    return at.run()


def engine_status(url: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """The engine's statuses for the store at ``url``, computed without the dashboard."""
    store = Store.open(url)
    roster = store.roster(as_of)
    matched = matching.match_completions(roster, store.completions()).completions
    return engine.compute_status(roster, matched, store.rules(), as_of, store.exemptions())


def capture_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """File name -> the callable a download button builds its file with (run on click)."""
    captured: dict[str, Callable[[], bytes]] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return captured


def chart(at: AppTest, position: int) -> dict:
    """The plotly figure of the page's chart at ``position``, as its JSON spec."""
    return json.loads(at.get("plotly_chart")[position].proto.spec)


def values(array: object) -> list:
    """A plotly spec array as a list (plotly ships numbers as base64 typed arrays)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def texts(at: AppTest) -> str:
    """Everything written with markdown, captions, info and warnings, as one string."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_empty_store_says_what_to_upload(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: str
) -> None:
    at = app(monkeypatch, f"sqlite:///{tmp_path / 'empty.sqlite'}", as_of=None)
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error
    message = at.info[0].value
    if page == "pages/rules.py":
        assert message.startswith("No requirements yet: add one row per mandatory course")
    else:
        assert "Upload" in message and "roster" in message and "requirements" in message
    assert "No data imported yet." in texts(at)


@pytest.mark.parametrize("page", PAGES)
def test_demo_store_shows_every_page(monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    at = app(monkeypatch, demo_url())
    at.switch_page(page).run()
    assert not at.exception
    assert not at.error
    assert at.title[0].value
    assert "Data from the latest imports" in texts(at)


def test_unreadable_store_shows_an_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "not-a-database.sqlite"
    broken.write_bytes(b"this is not SQLite" * 100)
    at = app(monkeypatch, f"sqlite:///{broken}", as_of=None)
    assert not at.exception
    assert at.error and "store" in at.error[0].value.casefold()


STORE_METHODS = {
    name for name in dir(Store) if not name.startswith("_") and callable(getattr(Store, name))
}
"""The store's own methods: pages reach the store only through compliance.access/actions."""
DATA_LAYER = {"access", "actions", "importing", "_data"}


@pytest.mark.parametrize("module", sorted(p.name for p in (ROOT / "pages").glob("*.py")))
def test_pages_reach_the_store_only_through_the_access_layer(module: str) -> None:
    """No page module (the shared ``_`` modules included) imports ``compliance.store`` or
    calls a store method itself: every read and write goes through ``compliance.access``
    and ``compliance.actions`` (which sign-in scopes), so a page cannot show data the
    user's scope does not allow."""
    tree = ast.parse((ROOT / "pages" / module).read_text(encoding="utf-8"))
    modules = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
         for alias in node.names}
    assert not {m for m in modules if m and m.startswith("compliance.store")}
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert "Store" not in names
    calls = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and not (isinstance(node.func.value, ast.Name) and node.func.value.id in DATA_LAYER)
    }
    assert not calls & (STORE_METHODS - {"open"}), calls & STORE_METHODS


def test_every_page_file_is_in_the_navigation() -> None:
    files = {f"pages/{p.name}" for p in (ROOT / "pages").glob("[!_]*.py")}
    assert files == set(PAGES)
