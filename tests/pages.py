"""Helpers every page test shares: stores, a signed-in AppTest, and reading what it shows.

The demo store is built once per test process with ``python -m compliance demo``; the small
force (a roster with title rows, a semicolon CSV of completions with other header
spellings) once as a SQLite file copied per test. Every AppTest is signed in with a real
session of a test account of the role asked for (a manager unless said), created in the
store the test reads, so pages run exactly as for a person who signed in.
"""

from __future__ import annotations

import atexit
import base64
import datetime as dt
import functools
import hashlib
import json
import re
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

from compliance import account_admin, auth, engine, matching
from compliance.store import Store
from pages import _auth
from tests.conftest import REQUIREMENTS_YAML
from tests.filemaker import csv_bytes, xlsx_bytes

ROOT = Path(__file__).resolve().parents[1]
ENTRY = ROOT / "dashboard.py"
DEMO_AS_OF = pd.Timestamp("2026-11-01")
"""The demo force's reference date: figures on it never depend on today's date."""
TEST_PASSWORD = "a test password that is long"
VIEWER_UNITS = ("South Division",)
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


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


def sign_in(url: str, role: str = "manager", units: tuple[str, ...] = ()) -> str:
    """A session token for the test account of ``role`` in the store at ``url`` (the
    account ``test-<role>`` is created the first time, a viewer limited to ``units``)."""
    store = Store.open(url)
    name = f"test-{role}" + ("-" + "-".join(units).replace(" ", "") if units else "")
    if store.accounts.get(name) is None:
        account_admin.add(store, name, role=role, units=units, password=TEST_PASSWORD,
                          by="tests")
    token = auth.open_session(store.accounts, store.accounts.get(name), how="test").token
    store.engine.dispose()
    return token


def app(
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    as_of: pd.Timestamp | None = DEMO_AS_OF,
    *,
    role: str | None = "manager",
    units: tuple[str, ...] = (),
) -> AppTest:
    """The dashboard, run once, reading the store at ``url``, signed in as ``role`` (None:
    nobody signed in)."""
    monkeypatch.setenv("COMPLIANCE_DB", url)
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    if as_of is not None:
        at.session_state["as_of"] = as_of.date()
    if role is not None:
        at.session_state[_auth.TOKEN] = sign_in(url, role, units)
    return at.run()


def open_page(
    monkeypatch: pytest.MonkeyPatch, url: str, page: str, *, role: str = "manager",
    units: tuple[str, ...] = (),
) -> AppTest:
    """The dashboard on ``page``, reading the store at ``url``, as of :data:`AS_OF`."""
    at = app(monkeypatch, url, AS_OF, role=role, units=units)
    return at.switch_page(page).run()


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


def headers(at: AppTest, position: int) -> list[str]:
    """The column headers the page's table at ``position`` shows, left to right (a column
    without a label shows its own name)."""
    table = at.dataframe[position]
    config = json.loads(table.proto.columns or "{}")
    return [config.get(str(c), {}).get("label") or str(c) for c in table.value.columns]


def chart(at: AppTest, position: int) -> dict:
    """The plotly figure of the page's chart at ``position``, as its JSON spec."""
    return json.loads(at.get("plotly_chart")[position].proto.spec)


def chart_values(array: object) -> list:
    """A plotly spec array as a list (plotly ships numbers as base64 typed arrays)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def plain(markdown: str) -> str:
    """What a markdown text shows: the backslash escapes that keep file text literal undone."""
    return MARKDOWN_ESCAPE.sub(r"\1", str(markdown)).replace("\u2060", "")


def texts(at: AppTest) -> str:
    """Everything written with markdown, captions, info and warnings, as shown, one string."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning") for e in at.get(kind)]
    return "\n".join(plain(p) for p in parts)



AS_OF = pd.Timestamp("2025-06-01")
ROSTER_HEADER = [
    "Collar No", "Surname", "Forename", "Division", "Team", "Rank", "Staff Type",
    "Start Date", "Leaving Date", "Work Email",
]
PEOPLE = [
    ("1001", "Lee", "Ann", "North", "Response", "Constable", "Police Officer", "2015-03-01"),
    ("1002", "Khan", "Bilal", "North", "Response", "Sergeant", "Police Officer", "2016-05-01"),
    ("1003", "Jones", "Cara", "South", "CID", "Constable", "Police Officer", "2018-09-01"),
    ("1004", "Patel", "Dev", "South", "CID", "Analyst", "Police Staff", "2019-01-07"),
    ("1005", "Smith", "Eve", "South", "Custody", "Detention Officer", "Police Staff", "2020-02-03"),
    ("1006", "Brown", "Finn", "North", "Response", "PCSO", "PCSO", "2024-11-01"),
]


def roster_xlsx(people=PEOPLE) -> bytes:
    """An HR export: a title row and a blank row above the header, real date cells."""
    rows = [["Northshire Police - Establishment report"], [], ROSTER_HEADER]
    for pid, surname, forename, division, team, rank, staff_type, start in people:
        rows.append(
            [int(pid), surname, forename, division, team, rank, staff_type,
             dt.date.fromisoformat(start), None, f"{forename}.{surname}@force.uk".lower()]
        )
    return xlsx_bytes({"Establishment": rows})


COMPLETIONS = [
    ("1001", "Managing Information", "14/02/2024"),
    ("1002", "Management of Information", "01/03/2021"),
    ("1003", "Information Security Awareness", "10/01/2025"),
    ("1004", "Fire Safety", "10/01/2025"),
    ("9999", "Managing Information", "10/01/2025"),
]


def completions_csv(rows=COMPLETIONS) -> bytes:
    """A learning-system export: semicolons, Windows-1252, other header spellings."""
    body = [["Payroll Number", "Learning Item Title", "Date Passed"], *map(list, rows)]
    return csv_bytes(body, sep=";", encoding="cp1252")


@functools.cache
def _small_store_file() -> bytes:
    """The small force's SQLite file, built once per test process."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "small.sqlite"
        store = Store.open(f"sqlite:///{path}")
        store.import_file("requirements", REQUIREMENTS_YAML, "requirements.yaml", user="setup")
        store.import_file(
            "roster", roster_xlsx(), "roster.xlsx", user="setup", as_at=dt.date(2025, 1, 1)
        )
        store.import_file("completions", completions_csv(), "lms.csv", user="setup")
        store.engine.dispose()
        return path.read_bytes()


def small_store(tmp_path: Path) -> str:
    """A fresh copy of a store with the small force's rules, roster (as at 1 Jan 2025) and
    completions."""
    path = tmp_path / "small.sqlite"
    path.write_bytes(_small_store_file())
    return f"sqlite:///{path}"


def key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def values(elements) -> list[str]:
    """The texts of elements as shown (escapes undone)."""
    return [plain(e.value) for e in elements]
