"""Benchmark the status engine on a large synthetic force; prints figures, asserts nothing.

Target (DESIGN/brief): 300,000 people x 10 requirements with 3,000,000 completion rows in
under 5 s and under 3 GB peak on 2 cores; the 24-month trend on 50,000 people cheap.

    .venv/bin/python bench/bench_engine.py [--people 300000] [--completions 3000000]

``--string-dtype`` gives the 300,000-person force's text columns the loaders' ``string``
dtype instead of ``object``: what the CLI and the store hand over, and slower paths in pandas.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from compliance.engine import compute_status
from compliance.matching import match_completions
from compliance.rules import Rules, rules_from_dict
from compliance.summary import summary_by_unit
from compliance.trend import monthly_trend

AS_OF = pd.Timestamp("2026-11-01")
DIVISIONS = ["North Division", "South Division", "Crime Command", "Operational Support", "HQ"]
DEPARTMENTS = ["CID", "Response", "Neighbourhood", "Intelligence", "Custody", "Training"]
TEAMS = ["Team A", "Team B", "Team C", "Team D", "Team E"]
ROLES = ["Constable", "Sergeant", "Inspector", "Analyst", "Call Handler", "PCSO"]
STAFF_TYPES = ["officer", "staff", "pcso", "special", "volunteer"]
REQUIREMENTS = [
    {"course": "Managing Information", "renewal_months": 36, "new_starter_days": 90,
     "aliases": ["Management of Information", "MI-101", "/managing\\s+info/"]},
    {"course": "Information Security", "renewal_months": 12, "new_starter_days": 60},
    {"course": "Data Protection", "renewal_months": 24, "deadline": "2025-03-31",
     "aliases": ["GDPR Awareness"]},
    {"course": "Safeguarding", "applies_to": {"staff_type": ["officer", "pcso"]},
     "renewal_months": 36},
    {"course": "Crime Recording", "applies_to": {"unit": ["Crime Command"]},
     "new_starter_days": 30},
    {"course": "Custody Awareness", "applies_to": {"unit": ["North Division / Custody"]}},
    {"course": "Taser Refresher", "applies_to": {"role": ["Constable", "Sergeant"]},
     "renewal_months": 12, "due_soon_days": 45},
    {"course": "Equality and Diversity", "not_before": "2024-10-01", "new_starter_days": 180},
    {"course": "Cyber Awareness", "renewal_months": 12, "aliases": ["Cyber Security Basics"]},
    {"course": "Fraud Awareness", "deadline": "2027-01-31"},
]  # fmt: skip
TITLES = [
    *(r["course"] for r in REQUIREMENTS),
    "Management of Information",
    "managing  information",
    "Managing Info (Operational)",
    "GDPR Awareness",
    "Cyber Security Basics",
    "Fire Safety",
    "Manual Handling",
]


def synthetic_rules() -> Rules:
    return rules_from_dict({"due_soon_days": 30, "requirements": REQUIREMENTS})


def synthetic_roster(people: int, rng: np.random.Generator) -> pd.DataFrame:
    ids = np.char.add("P", np.arange(1, people + 1).astype(str)).astype(object)
    levels = [rng.integers(len(names), size=people) for names in (DIVISIONS, DEPARTMENTS, TEAMS)]
    paths = np.array(
        [f"{a} / {b} / {c}" for a in DIVISIONS for b in DEPARTMENTS for c in TEAMS], dtype=object
    )
    unit = paths[(levels[0] * len(DEPARTMENTS) + levels[1]) * len(TEAMS) + levels[2]]
    start = pd.to_datetime(rng.integers(10_000, 20_800, size=people), unit="D")
    leave_days = rng.integers(19_000, 21_000, size=people).astype("datetime64[D]")
    leave = np.where(rng.random(people) < 0.1, leave_days, np.datetime64("NaT", "D"))
    return pd.DataFrame(
        {
            "person_id": ids,
            "name": np.char.add("Person ", ids.astype(str)).astype(object),
            "email": np.char.add(np.char.lower(ids.astype(str)), "@force.police.uk").astype(object),
            "unit": unit,
            "role": np.array(ROLES, dtype=object)[rng.integers(len(ROLES), size=people)],
            "staff_type": np.array(STAFF_TYPES, dtype=object)[rng.integers(5, size=people)],
            "start_date": start,
            "leave_date": leave.astype("datetime64[ns]"),
            "manager": np.array(["Insp A", "Insp B", None], dtype=object)[
                rng.integers(3, size=people)
            ],
            "source_file": "roster.xlsx",
            "source_row": np.arange(2, people + 2),
            "unit_1": np.array(DIVISIONS, dtype=object)[levels[0]],
            "unit_2": np.array(DEPARTMENTS, dtype=object)[levels[1]],
            "unit_3": np.array(TEAMS, dtype=object)[levels[2]],
        }
    )


def synthetic_completions(
    roster: pd.DataFrame, rows: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Completions by ID (most), by email only (some), and for unknown people (a few)."""
    who = rng.integers(len(roster), size=rows)
    ids = roster["person_id"].to_numpy()[who]
    emails = roster["email"].to_numpy()[who]
    kind = rng.random(rows)
    ids = np.where(kind < 0.1, None, ids)
    ids = np.where(kind > 0.98, "X999999", ids)
    emails = np.where(kind < 0.5, None, emails)
    titles = np.array(TITLES, dtype=object)[rng.integers(len(TITLES), size=rows)]
    codes = np.where(rng.random(rows) < 0.05, "MI-101", None)
    files = np.array(["lms_2024.csv", "lms_2025.csv", "lms_2026.xlsx"], dtype=object)
    return pd.DataFrame(
        {
            "person_id": ids,
            "email": emails,
            "course": titles,
            "course_code": codes,
            "completed_on": pd.to_datetime(rng.integers(16_500, 20_800, size=rows), unit="D"),
            "source_file": files[rng.integers(len(files), size=rows)],
            "source_row": np.arange(2, rows + 2),
        }
    )


def synthetic_exemptions(roster: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    count = max(1, len(roster) // 100)
    courses = np.array(["*", "Safeguarding", "Taser Refresher"], dtype=object)
    return pd.DataFrame(
        {
            "person_id": roster["person_id"].to_numpy()[rng.integers(len(roster), size=count)],
            "course": courses[rng.integers(len(courses), size=count)],
            "from": pd.to_datetime(rng.integers(19_000, 20_000, size=count), unit="D"),
            "until": pd.to_datetime(rng.integers(20_000, 21_000, size=count), unit="D"),
            "reason": "long-term sick",
        }
    )


def as_loaded(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text columns in the loaders' ``string`` dtype."""
    text = frame.select_dtypes(include=object).columns
    return frame.astype(dict.fromkeys(text, "string"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, func, *args, **kwargs):
    """Run once; print wall and CPU seconds (CPU is what load from other jobs can't inflate)."""
    began, cpu = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(f"{label:<40} wall {wall:6.2f} s  cpu {cpu:6.2f} s  peak RSS {peak_mb():6.0f} MB")
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--completions", type=int, default=3_000_000)
    parser.add_argument("--trend-people", type=int, default=50_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--string-dtype", action="store_true")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(2026)
    rules = synthetic_rules()

    print(f"force: {args.people:,} people, {len(rules.requirements)} requirements, "
          f"{args.completions:,} completion rows; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")  # fmt: skip
    roster = timed("generate roster", synthetic_roster, args.people, rng)
    completions = timed(
        "generate completions", synthetic_completions, roster, args.completions, rng
    )
    exemptions = synthetic_exemptions(roster, rng)
    if args.string_dtype:
        roster, completions = as_loaded(roster), as_loaded(completions)
    before = peak_mb()
    began, cpu = time.perf_counter(), time.process_time()
    matched = timed("match_completions", match_completions, roster, completions)
    status = timed("compute_status", compute_status, roster, matched.completions, rules, AS_OF,
                   exemptions)  # fmt: skip
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(f"{'match + status total':<40} wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
          f"(peak RSS before them: {before:.0f} MB)")  # fmt: skip
    timed("summary_by_unit", summary_by_unit, status, 2)
    print(f"status rows: {len(status):,}; {status['status'].value_counts().to_dict()}")
    del status, matched, completions, roster

    people = args.trend_people
    rows = people * args.completions // max(args.people, 1)
    print(f"\ntrend: {people:,} people, {rows:,} completion rows, {args.months} month ends")
    roster = synthetic_roster(people, rng)
    matched = match_completions(roster, synthetic_completions(roster, rows, rng)).completions
    exemptions = synthetic_exemptions(roster, rng)
    start = AS_OF - pd.DateOffset(months=args.months)
    timed("monthly_trend (one roster)", monthly_trend, roster, matched, rules, exemptions,
          start, AS_OF)  # fmt: skip
    timed("monthly_trend by unit_1", monthly_trend, roster, matched, rules, exemptions,
          start, AS_OF, by="unit_1")  # fmt: skip
    snapshots = [roster.iloc[: people - k * 1000] for k in range(3)]

    def roster_for(when: pd.Timestamp) -> pd.DataFrame:
        return snapshots[min(2, int((AS_OF - when).days) // 240)]

    timed("monthly_trend (3 roster snapshots)", monthly_trend, roster_for, matched, rules,
          exemptions, start, AS_OF)  # fmt: skip
    timed("(naive: compute_status per month end)", lambda: [
        compute_status(roster, matched, rules, month_end, exemptions)
        for month_end in pd.date_range(start, AS_OF, freq="ME")
    ])  # fmt: skip


if __name__ == "__main__":
    main()
