"""A generated force for the board report tests: two roster snapshots, a withdrawn import.

Sixty people in three-level units, completions drawn by a seeded generator over five years
in two imports, a third import (everyone trained yesterday) withdrawn, two exemptions and a
second roster snapshot with leavers and new starters. Built once per test process as a
SQLite file copied per test; :func:`build` fills any store (the PostgreSQL run).
"""

from __future__ import annotations

import functools
import tempfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from compliance import access, engine, matching, report_build, report_figures
from compliance.report_tables import BoardReport, Cover
from compliance.scope import Scope
from compliance.store import Store
from tests.conftest import completion_frame, exemption_frame, loaded

AS_OF = pd.Timestamp("2026-10-31")
FIRST_ROSTER = pd.Timestamp("2025-01-01")
SECOND_ROSTER = pd.Timestamp("2025-11-15")
WHOLE_FORCE = Scope()
KNOWN_NAME = "Zoë Ó Súilleabháin"
"""An overdue person (nothing completed) whose name must appear only in the appendix."""
KNOWN_ID = "42"
UNITS = (
    "North Division / Response / Team 1", "North Division / Response / Team 2",
    "North Division / CID / Burglary", "South Division / Custody / Suite A",
    "South Division / Neighbourhood / Town Centre",
)
RULES_YAML = b"""\
due_soon_days: 30
requirements:
  - course: Managing Information
    renewal_months: 36
    new_starter_days: 90
  - course: Information Security
    renewal_months: 12
    new_starter_days: 60
  - course: Safeguarding
    applies_to:
      staff_type: [officer]
    deadline: 2025-06-30
"""
COURSES = ("Managing Information", "Information Security", "Safeguarding")


def roster(ids: list[str], starts: list[str]) -> pd.DataFrame:
    """Canonical roster rows for ``ids``: units in turn, every third person staff."""
    n = len(ids)
    units = [UNITS[int(i) % len(UNITS)] for i in ids]
    levels = [unit.split(" / ") for unit in units]
    frame = pd.DataFrame(
        {
            "person_id": pd.Series(ids, dtype=object),
            "name": [KNOWN_NAME if i == KNOWN_ID else f"Officer {i}" for i in ids],
            "email": [f"p{i}@force.example" for i in ids],
            "unit": units,
            **{f"unit_{level + 1}": [parts[level] for parts in levels] for level in range(3)},
            "role": "Constable",
            "staff_type": ["staff" if int(i) % 3 == 0 else "officer" for i in ids],
            "start_date": pd.to_datetime(starts),
            "leave_date": pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]"),
            "manager": [f"Sgt {int(i) % 4}" for i in ids],
            "source_row": np.arange(2, n + 2, dtype=np.int64),
        }
    )
    return frame


def first_roster() -> pd.DataFrame:
    ids = [str(i) for i in range(1, 61)]
    return roster(ids, ["2015-04-01"] * len(ids))


def second_roster() -> pd.DataFrame:
    """Five leavers (1-5) gone, four new starters (101-104) from 1 Oct 2026."""
    ids = [str(i) for i in range(6, 61)] + [str(i) for i in range(101, 105)]
    return roster(ids, ["2015-04-01"] * 55 + ["2026-10-01"] * 4)


def completions(seed: int) -> pd.DataFrame:
    """Each person and course completed with probability 0.8 on a day from 2021 to 2026;
    the new starters and :data:`KNOWN_ID` have done nothing."""
    rng = np.random.default_rng(seed)
    people = [str(i) for i in range(1, 61) if i != int(KNOWN_ID)]
    rows = []
    for person in people:
        for course in COURSES:
            if rng.random() < 0.8:
                day = pd.Timestamp("2021-01-01") + pd.Timedelta(days=int(rng.integers(0, 2130)))
                rows.append((person, course, f"{day:%Y-%m-%d}"))
    return completion_frame(rows)


def build(store: Store) -> None:
    """Import the force into ``store`` (its third completions import withdrawn)."""
    store.import_file("requirements", RULES_YAML, "requirements.yaml", user="setup")
    store.import_frame("roster", loaded(first_roster(), "roster-jan.xlsx", "roster"),
                       user="setup", as_at=FIRST_ROSTER.date())
    store.import_frame("roster", loaded(second_roster(), "roster-nov.xlsx", "roster"),
                       user="setup", as_at=SECOND_ROSTER.date())
    for seed, name in ((1, "lms-2025.csv"), (2, "lms-2026.csv")):
        store.import_frame("completions", loaded(completions(seed), name, "completions"),
                           user="setup")
    everyone = [(str(i), course, "2026-10-30") for i in range(1, 105) for course in COURSES]
    wrong = store.import_frame(
        "completions", loaded(completion_frame(everyone), "wrong.csv", "completions"), user="setup"
    )
    store.withdraw(wrong.import_id, user="setup")
    excused = exemption_frame([
        ("7", "*", None, None, "Long-term absence"),
        ("12", "Safeguarding", "2026-01-01", "2027-01-01", "Secondment"),
    ])
    store.import_frame("exemptions", loaded(excused, "exemptions.csv", "exemptions"),
                       user="setup")


@functools.cache
def _store_file() -> bytes:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "report.sqlite"
        store = Store.open(f"sqlite:///{path}")
        build(store)
        store.engine.dispose()
        return path.read_bytes()


def report_store(tmp_path: Path) -> str:
    """A fresh SQLite copy of the generated force; its URL."""
    path = tmp_path / "report.sqlite"
    path.write_bytes(_store_file())
    return f"sqlite:///{path}"


def board_report(
    url: str, as_of: pd.Timestamp = AS_OF, *, names: bool = False, scope: Scope = WHOLE_FORCE,
    target: float = 0.9,
) -> BoardReport:
    """The report for ``as_of`` read from the store at ``url`` as the command reads it."""
    store = access.open_store(url)
    tables = access.current(store)
    counts = access.trend_frame(store, tables, report_figures.trend_start(as_of), as_of, scope)
    cover = Cover(as_of=as_of, scope=report_build.scope_text(scope), generated_by="tester",
                  generated_at=datetime(2026, 11, 1, 6, 0), marking="OFFICIAL-SENSITIVE")
    report = report_build.board_report(
        lambda day: access.take_snapshot(store, tables, day).scoped(scope), counts,
        access.import_history(store), cover, target=target, names=names,
        today=pd.Timestamp("2026-11-01"),
    )
    store.engine.dispose()
    return report


def engine_status(url: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """Statuses computed straight from the store's frames, without the report's code."""
    store = Store.open(url)
    roster = store.roster(as_of)
    matched = matching.match_completions(roster, store.completions()).completions
    status = engine.compute_status(roster, matched, store.rules(), as_of, store.exemptions())
    store.engine.dispose()
    return status
