"""Benchmark the status engine on the national data set; prints figures, asserts nothing.

Targets (issue 14): match + statuses for 300,000 people x 10 requirements x 3,000,000
completion rows under 2 s and 2 GB; the 24-month trend (``access.trend_frame`` on a
store) under 10 s. Each is printed with a plain pandas or naive peer from the same run.

    .venv/bin/python bench/bench_engine.py [--data national|force] [--no-naive] [--no-trend]

``--data force`` is the older single synthetic force (also used by ``engine_check``).
``--string-dtype`` gives the text columns the loaders' ``string`` dtype instead of
``object``. Wall and CPU seconds are both printed: on a shared machine CPU is the steadier.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import pickle
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import naive_peers, national
from compliance import access, trend
from compliance.engine import compute_status
from compliance.matching import MatchResult, match_completions
from compliance.rules import Rules, rules_from_dict
from compliance.scope import Scope
from compliance.store import Store
from compliance.summary import summary_by_unit

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


def status_input(match: MatchResult) -> MatchResult | pd.DataFrame:
    """What ``compute_status`` is given: the whole ``MatchResult`` where the engine takes
    it (its roster positions), else the matched frame (so this runs on older code too)."""
    return match if hasattr(match, "roster_position") else match.completions


def load_data(args: argparse.Namespace) -> national.National:
    """The data set, pickled under ``bench/out/`` by a child process the first time, so
    the generator's own peak memory never counts in this process's peak RSS."""
    path = national.OUT / f"{args.data}-{args.seed}-{args.people}-{args.completions}.pickle"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        child = multiprocessing.get_context("spawn").Process(target=_pickle, args=(args, path))
        child.start()
        child.join()
    with path.open("rb") as file:
        return pickle.load(file)  # written by _pickle just above: trusted


def _pickle(args: argparse.Namespace, path: Path) -> None:
    with path.open("wb") as file:
        pickle.dump(bench_data(args), file, protocol=pickle.HIGHEST_PROTOCOL)


def bench_data(args: argparse.Namespace) -> national.National:
    if args.data == "force":
        rng = np.random.default_rng(2026)
        roster = synthetic_roster(args.people, rng)
        completions = synthetic_completions(roster, args.completions, rng)
        exemptions = synthetic_exemptions(roster, rng)
        return national.National(roster, completions, exemptions, synthetic_rules(), AS_OF)
    return national.national_frames(args.seed, args.people, args.completions)


def statuses(data: national.National, args: argparse.Namespace) -> float:
    """Match + statuses, the plain pandas peer; returns the engine's wall seconds."""
    before = peak_mb()
    began = time.perf_counter()
    match = timed("match_completions", match_completions, data.roster, data.completions)
    status = timed("compute_status (given the MatchResult)", compute_status, data.roster,
                   status_input(match), data.rules, data.as_of, data.exemptions)  # fmt: skip
    wall = time.perf_counter() - began
    print(f"{'=> match + statuses':<40} wall {wall:6.2f} s  peak RSS {peak_mb():6.0f} MB "
          f"(before them {before:.0f} MB)")  # fmt: skip
    frame = timed("matched frame (built on first use)", lambda: match.completions)
    timed("compute_status (given the matched frame)", compute_status, data.roster, frame,
          data.rules, data.as_of, data.exemptions)  # fmt: skip
    timed("summary_by_unit", summary_by_unit, status, 2)
    counts = status["status"].value_counts().to_dict()
    print(f"status rows: {len(status):,}; {counts}")
    if args.no_naive:
        return wall
    began = time.perf_counter()
    peer_match = timed("peer: pandas merge (match)", naive_peers.naive_match, data.roster,
                       data.completions)  # fmt: skip
    peer = timed("peer: pandas merge + groupby (statuses)", naive_peers.naive_status, data.roster,
                 peer_match, data.rules, data.as_of, data.exemptions)  # fmt: skip
    peer_wall = time.perf_counter() - began
    same = peer["status"].value_counts().to_dict() == {k: v for k, v in counts.items() if v}
    print(f"peer match + statuses wall {peer_wall:.2f} s: {peer_wall / wall:.1f}x the engine's; "
          f"same status counts: {'yes' if same else 'NO'}")  # fmt: skip
    return wall


def trends(data: national.National, args: argparse.Namespace) -> None:
    """The dashboard's 24-month trend on a store of the data set, and the naive peer."""
    path = national.OUT / f"national-{args.seed}-{args.people}-{args.completions}.sqlite"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        timed(f"build store {path.name}", national.build_store, f"sqlite:///{path}", data)
    store = Store.open(f"sqlite:///{path}")
    end = data.as_of
    start = end - pd.DateOffset(months=args.months)
    print(f"\ntrend: {len(trend.month_ends(start, end))} month ends, read from {path.name}")
    began = time.perf_counter()
    tables = access.current(store)
    timed("access.trend_frame", access.trend_frame, store, tables, start, end, Scope())
    wall = time.perf_counter() - began
    if args.no_naive:
        return
    began = time.perf_counter()
    timed("peer: compute_status per month end", naive_trend, store, start, end)
    peer = time.perf_counter() - began
    print(f"peer trend wall {peer:.2f} s: {peer / wall:.1f}x trend_frame's")


def naive_trend(store: Store, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Month-end counts by computing every status table: one roster, matched once."""
    roster, rules, exemptions = store.roster(end), store.rules(), store.exemptions()
    matched = match_completions(roster, store.completions()).completions
    counts = []
    for day in trend.month_ends(start, end):
        status = compute_status(roster, matched, rules, day, exemptions)
        keys = ["unit", "course", "staff_type", "status"]
        counts.append(status.groupby(keys, observed=True, dropna=False).size().rename(day))
    return pd.concat(counts, axis=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=["national", "force"], default="national")
    parser.add_argument("--seed", type=int, default=national.SEED)
    parser.add_argument("--people", type=int, default=national.PEOPLE)
    parser.add_argument("--completions", type=int, default=national.COMPLETIONS)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--string-dtype", action="store_true")
    parser.add_argument("--no-naive", action="store_true", help="leave out the naive peers")
    parser.add_argument("--no-trend", action="store_true")
    args = parser.parse_args(argv)
    hugepage = os.environ.get("NUMPY_MADVISE_HUGEPAGE", "unset")
    print(f"{args.data}: {args.people:,} people, {args.completions:,} completion rows; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"NUMPY_MADVISE_HUGEPAGE={hugepage}")  # fmt: skip
    data = timed("generate (or load the pickled frames)", load_data, args)
    if args.string_dtype:
        data = replace(data, roster=as_loaded(data.roster), completions=as_loaded(data.completions))
    statuses(data, args)
    if not args.no_trend and args.data == "national":
        trends(data, args)


if __name__ == "__main__":
    main()
