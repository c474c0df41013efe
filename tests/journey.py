"""A training manager's own force, as their HR and learning systems export it, for the
first-upload journey (the browser test and the README's screenshots use it).

1,200 people; a roster with two title rows, "Employee No" with leading zeros, "Rank/Grade",
"Employee Group" and "Command", "Department", "Team"; a learning-system export with UK
date-times, a status column and courses no requirement asks for; the rules. Seeded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from tests.filemaker import csv_bytes, xlsx_bytes

PEOPLE = 1_200
SEED = 11
TODAY = dt.date.today()
RULES = b"""\
due_soon_days: 30
requirements:
  - course: Managing Information
    aliases: [Management of Information]
    applies_to: {staff_type: [officer, staff]}
    renewal_months: 36
    new_starter_days: 90
  - course: Information Security Awareness
    renewal_months: 12
    new_starter_days: 60
"""
ROSTER_HEADER = ["Employee No", "Surname", "Forename", "Rank/Grade", "Employee Group",
                 "Command", "Department", "Team", "Date Joined"]
LMS_HEADER = ["Employee No", "Learning Item Title", "Completion Status", "Completion Date"]
OTHER_COURSES = ("Fire Safety", "Manual Handling", "Driver Awareness", "First Aid Refresher")


def files() -> dict[str, bytes]:
    """File name -> bytes: the roster, the learning system's export and the rules."""
    rng = np.random.default_rng(SEED)
    ids = [f"{n:06d}" for n in rng.choice(np.arange(1, 99_999), PEOPLE, replace=False)]
    ids[0] = "057680"
    groups = rng.choice(["Police Officer", "Police Staff", "PCSO"], PEOPLE, p=[0.6, 0.3, 0.1])
    commands = rng.choice(["North", "South", "Crime"], PEOPLE)
    joined = [TODAY - dt.timedelta(days=int(d)) for d in rng.integers(30, 30 * 365, PEOPLE)]
    rows = [["Establishment report"], [f"Run on {TODAY:%d/%m/%Y}"], ROSTER_HEADER]
    for n, person in enumerate(ids):
        rows.append([person, f"Surname{n}", f"Forename{n}", "Constable", groups[n],
                     commands[n], f"Dept {n % 4}", f"Team {n % 9}", joined[n]])
    events = [LMS_HEADER]
    for n, person in enumerate(ids):
        for course in ("Managing Information", "Information Security Awareness"):
            if rng.random() < 0.6:
                done = TODAY - dt.timedelta(days=int(rng.integers(1, 5 * 365)))
                status = "Completed" if rng.random() < 0.95 else "In Progress"
                events.append([person.lstrip("0"), course, status, f"{done:%d/%m/%Y} 14:32"])
        events.append([person, OTHER_COURSES[n % 4], "Completed", f"{TODAY:%d/%m/%Y} 09:00"])
    return {
        "hr-establishment.xlsx": xlsx_bytes({"Establishment": rows}),
        "lms-export.csv": csv_bytes(events),
        "requirements.yaml": RULES,
    }


def write(directory: Path) -> dict[str, Path]:
    """The files written into ``directory``."""
    paths = {}
    for name, data in files().items():
        path = directory / name
        path.write_bytes(data)
        paths[name] = path
    return paths


def expected_overdue(as_of: dt.date = TODAY) -> int:
    """Overdue requirements computed from the files with the loaders and the engine."""
    from compliance import snapshot
    from compliance.rules import load_rules
    from loaders import load

    made = files()
    rules = load_rules(made["requirements.yaml"])
    roster = load("roster", made["hr-establishment.xlsx"], "hr-establishment.xlsx").frame
    lms = load("completions", made["lms-export.csv"], "lms-export.csv",
               match_course=rules.match_titles).frame
    status = snapshot.take(roster, lms, rules, None, pd.Timestamp(as_of)).status
    return int((status["status"].astype(str) == "overdue").sum())
