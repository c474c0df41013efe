"""A store for incident checks: several roster snapshots and completion imports, two withdrawn.

Built through the store's own import API from generated CSV files, so provenance (file,
row, import number, sha256, who, when) is what a real upload leaves. The incident date is
15 June 2022; the expectations the tests check were worked out by hand from the rows below
(DESIGN "Status of one person"):

- ``009917`` (asked as ``9917``): Managing Information last done 10 Feb 2018 (lms-2021.csv
  row 2), due again 10 Feb 2021, so *not trained* on the date, 490 days overdue; done again
  14 Mar 2023 as "Management of Information" (lms-2023.csv row 2, import 8), 272 days after.
  Information Security Awareness done on the day itself (lms-2023.csv row 3): *trained*.
  Taser: *not required* (not a taser officer).
- ``004321``: Managing Information never done by the date (the 11 Nov 2021 row is in the
  withdrawn lms-2022.csv, import 7, and must never count or be cited); due 30 May 2018
  (start 1 Mar 2018 + 90 days), *not trained*; done 20 Apr 2023 (lms-2023.csv row 4 in
  import 8; the same event in import 9, also named lms-2023.csv, is the duplicate), 309
  days after. Information Security Awareness 20 Jan 2022 (lms-2021.csv row 3): *trained*,
  due 20 Jan 2023.
- ``002222`` left in January 2022: not on the roster in force (staff-2022.csv, import 3,
  as at 1 Apr 2022; the withdrawn staff-2022-bad.csv of 1 May 2022 is skipped); the nearest
  snapshot listing them is staff-2021.csv (import 2) as at 30 Sep 2021.
- ``003333`` joined in 2023: only on staff-2023.csv (import 5), the nearest listing them.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path

import pandas as pd

import loaders
from compliance import access
from compliance.evidence_layout import Cover
from compliance.evidence_model import Evidence, Request
from compliance.scope import Scope
from compliance.store import Store
from loaders import LoadResult
from tests.filemaker import csv_bytes

WHEN = dt.date(2022, 6, 15)
RULES = b"""\
due_soon_days: 30
requirements:
  - course: Managing Information
    aliases: [Management of Information]
    renewal_months: 36
    new_starter_days: 90
  - course: Information Security Awareness
    renewal_months: 12
  - course: Taser
    applies_to:
      role: [Taser Officer]
"""
HEADER = ["Collar No", "Name", "Division", "Team", "Rank", "Staff Type", "Start Date",
          "Leaving Date", "Email"]
A = ["009917", "Ann Lee", "North", "Response", "Constable", "Police Officer", "05/01/2015", "",
     "ann.lee@force.uk"]
B = ["004321", "Bilal Khan", "South", "CID", "Sergeant", "Police Officer", "01/03/2018", "",
     "bilal.khan@force.uk"]
D = ["002222", "Dee Brown", "South", "CID", "Constable", "Police Officer", "01/02/2016",
     "14/01/2022", "dee.brown@force.uk"]
E = ["003333", "Eve Smith", "North", "Response", "Constable", "Police Officer", "02/01/2023", "",
     "eve.smith@force.uk"]
ROSTERS = [
    ("staff-2021.csv", dt.date(2021, 9, 30), [A, B, D]),
    ("staff-2022.csv", dt.date(2022, 4, 1), [A, B]),
    ("staff-2022-bad.csv", dt.date(2022, 5, 1), [B]),
    ("staff-2023.csv", dt.date(2023, 1, 1), [A, B, E]),
]
LMS_HEADER = ["Payroll Number", "Learning Item Title", "Date Passed"]
COMPLETIONS = [
    ("lms-2021.csv", [["9917", "Managing Information", "10/02/2018"],
                      ["4321", "Information Security Awareness", "20/01/2022"]]),
    ("lms-2022.csv", [["9917", "Managing Information", "01/05/2022"],
                      ["4321", "Managing Information", "11/11/2021"]]),
    ("lms-2023.csv", [["9917", "Management of Information", "14/03/2023"],
                      ["9917", "Information Security Awareness", "15/06/2022"],
                      ["4321", "Managing Information", "20/04/2023"]]),
    ("lms-2023.csv", [["3333", "Managing Information", "01/03/2023"],
                      ["4321", "Managing Information", "20/04/2023"]]),
]
WITHDRAWN = (4, 7)
"""staff-2022-bad.csv and lms-2022.csv."""
IMPORTER = "t.hall"


def files() -> list[tuple[str, str, bytes, dt.date | None]]:
    """(kind, file name, bytes, as at) of every import, in import order."""
    out: list[tuple[str, str, bytes, dt.date | None]] = [
        ("requirements", "requirements.yaml", RULES, None)
    ]
    out += [("roster", name, csv_bytes([HEADER, *rows]), as_at) for name, as_at, rows in ROSTERS]
    out += [("completions", name, csv_bytes([LMS_HEADER, *rows]), None)
            for name, rows in COMPLETIONS]
    return out


def build(url: str) -> Store:
    """Import every file (numbered 1..9 in order) into the store at ``url``, withdraw two.

    Each file goes through its loader once per test process (the loaders parse in a child
    process, which costs seconds); the store imports the loaded frame with the file's own
    bytes, as the Upload page does, so each import's sha256 is that of the file."""
    store = Store.open(url)
    for number, (kind, name, data, as_at) in enumerate(files()):
        if kind == "requirements":
            store.import_file(kind, data, name, user=IMPORTER)
        else:
            store.import_frame(kind, _loaded(number), user=IMPORTER, data=data, filename=name,
                               as_at=as_at)
    for import_id in WITHDRAWN:
        store.withdraw(import_id, user=IMPORTER)
    return store


@functools.cache
def _loaded(number: int) -> LoadResult:
    kind, name, data, _ = files()[number]
    load = loaders.load_roster if kind == "roster" else loaders.load_completions
    return load(data, name)


@functools.cache
def _store_file() -> bytes:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "evidence.sqlite"
        build(f"sqlite:///{path}").engine.dispose()
        return path.read_bytes()


def sqlite_copy(directory: Path) -> str:
    """A fresh SQLite copy of the built store (built once per test process)."""
    path = directory / "evidence.sqlite"
    path.write_bytes(_store_file())
    return f"sqlite:///{path}"


def file_bytes(import_id: int) -> bytes:
    """The bytes of import ``import_id`` (1-based, as :func:`build` numbers them)."""
    return files()[import_id - 1][2]


COVER = Cover("ds.ortiz", pd.Timestamp("2026-03-05 09:41"), "OFFICIAL-SENSITIVE",
              reference="PSD/2026/0142", purpose="Complaint or misconduct investigation",
              requester="Insp. Hall, Professional Standards")


@functools.cache
def checked(people: tuple[str, ...] = ("9917", "004321", "2222", "7777"),
            time: dt.time | None = None) -> Evidence:
    """The incident check on :data:`WHEN` of ``people`` from a store built once."""
    with tempfile.TemporaryDirectory() as directory:
        store = Store.open(sqlite_copy(Path(directory)))
        when = pd.Timestamp(WHEN)
        seen = access.fresh_snapshot(store, when)
        found = access.incident_check(store, seen, Request(when, people, time=time), Scope())
        store.engine.dispose()
        return found
