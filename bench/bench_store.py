"""Store benchmark: bulk import and read-back on SQLite and PostgreSQL.

Imports a generated roster and completion frames through ``Store.import_frame`` (so the
loaders' time is not counted), then reads the current frames back. Targets: read back
300k people + 3M completions in under 10 s; PostgreSQL import >= 100k rows/s.

    .venv/bin/python bench/bench_store.py                       # full size, both databases
    .venv/bin/python bench/bench_store.py --people 30000 --completions 100000 --imports 1
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from compliance.store import Store
from loaders import LoadResult
from loaders.report import LoadReport

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
COURSES = np.array(
    [
        "Managing Information",
        "Information Security Awareness",
        "Data Protection (GDPR)",
        "Safeguarding Adults",
        "Code of Ethics",
    ],
    dtype=object,
)


def roster(people: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = np.arange(1, people + 1).astype(str).astype(object)
    divisions = np.array(["North Division", "South Division", "Crime Command"], dtype=object)
    teams = np.array([f"Team {i}" for i in range(40)], dtype=object)
    level_1, level_2 = divisions[rng.integers(0, 3, people)], teams[rng.integers(0, 40, people)]
    return pd.DataFrame(
        {
            "person_id": ids,
            "name": ("Person " + pd.Series(ids)).to_numpy(dtype=object),
            "email": (pd.Series(ids) + "@force.police.uk").to_numpy(dtype=object),
            "unit": (pd.Series(level_1) + " / " + pd.Series(level_2)).to_numpy(dtype=object),
            "unit_1": level_1,
            "unit_2": level_2,
            "role": np.array(["Constable", "Sergeant", "Analyst"], dtype=object)[
                rng.integers(0, 3, people)
            ],
            "staff_type": np.array(["officer", "staff"], dtype=object)[rng.integers(0, 2, people)],
            "start_date": pd.Timestamp("2000-01-01")
            + pd.to_timedelta(rng.integers(0, 9000, people), unit="D"),
            "leave_date": pd.Series(pd.NaT, index=range(people), dtype="datetime64[ns]"),
            "manager": np.full(people, None, dtype=object),
            "source_file": "roster.csv",
            "source_row": np.arange(2, people + 2, dtype=np.int64),
        }
    )


def completions(rows: int, people: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, people + 1, rows).astype(str).astype(object)
    return pd.DataFrame(
        {
            "person_id": ids,
            "email": (pd.Series(ids) + "@force.police.uk").to_numpy(dtype=object),
            "course": COURSES[rng.integers(0, len(COURSES), rows)],
            "course_code": np.full(rows, None, dtype=object),
            "completed_on": pd.Timestamp("2018-01-01")
            + pd.to_timedelta(rng.integers(0, 3000, rows), unit="D"),
            "source_file": "lms.csv",
            "source_row": np.arange(2, rows + 2, dtype=np.int64),
        }
    )


def timed(label: str, call, rows: int | None = None):
    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    rate = f", {rows / seconds:,.0f} rows/s" if rows else ""
    print(f"  {label}: {seconds:.2f} s{rate}", flush=True)
    return result


def run(name: str, url: str, args: argparse.Namespace) -> None:
    print(f"{name}:", flush=True)
    store = Store.open(url)
    people = roster(args.people)
    timed(
        f"import roster ({args.people:,} people)",
        lambda: store.import_frame(
            "roster", LoadResult(people, LoadReport(file="roster.csv", kind="roster")), user="bench"
        ),
        args.people,
    )
    for number in range(args.imports):
        frame = completions(args.completions, args.people, seed=number)
        result = LoadResult(frame, LoadReport(file=f"lms_{number}.csv", kind="completions"))
        timed(
            f"import completions #{number + 1} ({args.completions:,} rows)",
            lambda result=result: store.import_frame("completions", result, user="bench"),
            args.completions,
        )
    total = args.completions * args.imports
    start = time.perf_counter()
    read_roster = timed("read roster", lambda: store.roster(pd.Timestamp.today()), args.people)
    read = timed(f"read completions ({total:,} stored)", store.completions, total)
    print(
        f"  read back total: {time.perf_counter() - start:.2f} s "
        f"({len(read_roster):,} people, {len(read):,} distinct completions)"
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory (max RSS): {peak_mb:,.0f} MB")
    store.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--completions", type=int, default=1_000_000, help="rows per import")
    parser.add_argument("--imports", type=int, default=3, help="completion imports")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            run("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite'}", args)
    if args.only != "sqlite":
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        try:
            run("PostgreSQL", f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", args)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
