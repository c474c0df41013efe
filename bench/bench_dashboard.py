"""How fast the dashboard answers for a 50,000-person force (target: a filter change < 1 s).

Generates a force (six divisions, 480 teams, the demo requirements, about 200,000
completions), then measures:

0. the store calls of one Overview render with an empty cache and of one filter change;
1. the data-access and chart functions directly: the first (cached) loads, and the work
   one page does after a sidebar filter change;
2. the pages themselves with ``AppTest``: the first load, then a rerun after changing the
   unit, course or staff type, on each page.

The force is imported into a temporary SQLite store, as the dashboard reads it in use.

    .venv/bin/python bench/bench_dashboard.py [--people 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import functools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from compliance import access, charts, lists, trend, units  # noqa: E402
from compliance.rules import Rules  # noqa: E402
from compliance.scope import Filters, Scope, apply_filters  # noqa: E402
from compliance.store import Store  # noqa: E402
from loaders import LoadResult  # noqa: E402
from loaders.report import LoadReport  # noqa: E402

AS_OF = pd.Timestamp("2026-11-01")
DIVISIONS = ("North", "South", "East", "West", "Operational Support", "Crime Command")
DEPARTMENTS = 8
TEAMS = 10
STAFF_TYPES = np.array(["officer", "staff", "pcso", "special"])
STAFF_WEIGHTS = np.array([0.55, 0.35, 0.06, 0.04])
STORE_READS = (
    "data_version", "roster", "rosters", "completions", "exemptions", "rules", "imports",
    "import_report", "get_setting",
)


def build_force(people: int, rules: Rules, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(roster, completions) in canonical form for a force of ``people``."""
    rng = np.random.default_rng(seed)
    division = rng.choice(DIVISIONS, people)
    department = "Dept " + rng.integers(1, DEPARTMENTS + 1, people).astype(str)
    team = "Team " + rng.integers(1, TEAMS + 1, people).astype(str)
    ids = pd.Series(np.arange(10_000, 10_000 + people)).astype(str)
    start = AS_OF - pd.to_timedelta(rng.integers(0, 20 * 365, people), unit="D")
    roster = pd.DataFrame(
        {
            "person_id": ids,
            "name": "Person " + ids,
            "email": "p" + ids + "@force.example",
            "unit": pd.Series(division) + " / " + department + " / " + team,
            "unit_1": division,
            "unit_2": department,
            "unit_3": team,
            "role": rng.choice(["Constable", "Sergeant", "Inspector", "Officer"], people),
            "staff_type": rng.choice(STAFF_TYPES, people, p=STAFF_WEIGHTS),
            "start_date": start,
            "leave_date": pd.NaT,
            "manager": "Manager " + pd.Series(division) + " " + department + " " + team,
            "source_file": "bench-roster.xlsx",
            "source_row": np.arange(2, people + 2),
        }
    )
    frames = []
    for requirement in rules.requirements:
        done = rng.random(people) < 0.85
        for attempt in range(2):
            age = rng.integers(0, 4 * 365, people)
            frames.append(
                pd.DataFrame(
                    {
                        "person_id": ids[done].to_numpy(),
                        "email": None,
                        "course": requirement.course,
                        "course_code": None,
                        "completed_on": (AS_OF - pd.to_timedelta(age, unit="D"))[done],
                        "source_file": f"bench-lms-{attempt}.csv",
                    }
                )
            )
            done &= rng.random(people) < 0.3
    completions = pd.concat(frames, ignore_index=True)
    completions["source_row"] = np.arange(2, len(completions) + 2)
    return roster, completions


def build_store(url: str, people: int) -> Store:
    """A SQLite store holding the generated force, imported as the dashboard's users would."""
    store = Store.open(url)
    rules_file = ROOT / "data" / "requirements.yaml"
    store.import_file("requirements", rules_file.read_bytes(), rules_file.name, user="bench")
    roster, completions = build_force(people, store.rules())
    for kind, frame, name in (
        ("roster", roster, "bench-roster.xlsx"),
        ("completions", completions, "bench-lms.csv"),
    ):
        report = LoadReport(file=name, kind=kind, rows_read=len(frame), rows_loaded=len(frame))
        store.import_frame(kind, LoadResult(frame, report), user="bench", as_at=AS_OF.date())
    return store


def timed(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time in seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bench_functions(store: Store, repeat: int) -> None:
    print("\n1. Data access and charts (seconds)")
    scope = Scope()
    tables = access.current(store)
    first, seen = timed(lambda: access.take_snapshot(store, tables, AS_OF).scoped(scope), 1)
    status_seconds, status = timed(lambda: seen.status, 1)
    print(f"   snapshot, first load (cached after): {first:8.3f}  "
          f"(+ statuses {status_seconds:.3f}, {len(status):,} rows)")
    start = AS_OF - pd.DateOffset(months=24)
    first, counts = timed(lambda: access.trend_frame(store, tables, start, AS_OF, scope), 1)
    print(f"   24-month trend, first load (cached after): {first:6.3f}  ({len(counts):,} rows)")
    first, projection = timed(lambda: access.projection_frame(seen), 1)
    print(f"   90-day projection, first load (cached after): {first:3.3f}")
    roster = seen.roster
    for filters in (
        Filters(),
        Filters(unit="North"),
        Filters(unit="North / Dept 3", course="Managing Information"),
        Filters(staff_type="staff"),
    ):

        def overview(filters: Filters = filters) -> None:
            shown = apply_filters(status, filters)
            lists.headline(shown)
            level = units.drill_level(shown, filters.unit)
            by_unit = units.unit_summary(shown, level)
            charts.compliance_by_unit(by_unit, 0.9)
            charts.course_unit_heatmap(units.rate_matrix(shown, level), 0.9)
            charts.trend_chart(
                trend.rates_by_date(counts, filters), trend.rates_by_date(projection, filters), 0.9
            )

        def unit_page(filters: Filters = filters) -> None:
            shown = apply_filters(status, filters)
            people = apply_filters(roster, Filters(unit=filters.unit))
            charts.unit_treemap(units.unit_tree(shown, people), 0.9)
            lists.people_matrix(apply_filters(shown, Filters(unit=filters.unit)))

        def overdue(filters: Filters = filters) -> None:
            shown = apply_filters(status, filters)
            lists.band_counts(lists.overdue_table(shown))
            lists.due_soon_table(shown, AS_OF)

        cost = {name: timed(work, repeat)[0] for name, work in
                (("overview", overview), ("units", unit_page), ("overdue", overdue))}
        figures = "  ".join(f"{name} {seconds:6.3f}" for name, seconds in cost.items())
        print(f"   filter change [{filters.describe()}]: {figures}")


@contextmanager
def counting_store_calls() -> Iterator[collections.Counter]:
    """Count calls of the store's read methods (class-wide) while the block runs."""
    counts: collections.Counter = collections.Counter()
    originals = {name: getattr(Store, name) for name in STORE_READS}

    def counted(name: str, method: Callable) -> Callable:
        @functools.wraps(method)
        def call(self: Store, *args: object, **kwargs: object) -> object:
            counts[name] += 1
            return method(self, *args, **kwargs)

        return call

    for name, method in originals.items():
        setattr(Store, name, counted(name, method))
    try:
        yield counts
    finally:
        for name, method in originals.items():
            setattr(Store, name, method)


def bench_store_calls(url: str) -> None:
    """Store reads of one Overview render with an empty cache, then of one filter change
    (target: one data-version query per run, each table read at most once per snapshot)."""

    os.environ["COMPLIANCE_DB"] = url
    print("\n0. Store calls (AppTest, fresh cache)")
    at = signed_in_app(url)
    with counting_store_calls() as counts:
        seconds, _ = timed(at.run, 1)
    print(f"   overview, first render {seconds:6.3f} s: {_calls(counts)}")
    with counting_store_calls() as counts:
        seconds, _ = timed(lambda: at.selectbox(key="unit").set_value("North").run(), 1)
    print(f"   overview, filter change {seconds:5.3f} s: {_calls(counts)}")


def signed_in_app(url: str):
    """The dashboard in ``AppTest`` as of ``AS_OF``, signed in as a manager of the store."""
    from streamlit.testing.v1 import AppTest

    from pages import _auth
    from tests.pages import sign_in

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    at.session_state["as_of"] = AS_OF.date()
    at.session_state[_auth.TOKEN] = sign_in(url)
    return at


def _calls(counts: collections.Counter) -> str:
    return ", ".join(f"{name} x{count}" for name, count in sorted(counts.items())) or "none"


def bench_pages(url: str) -> None:

    os.environ["COMPLIANCE_DB"] = url
    print("\n2. Pages with AppTest (seconds; first load fills the caches)")
    at = signed_in_app(url)
    first, _ = timed(at.run, 1)
    print(f"   overview, first load: {first:.3f}")
    changes = (
        ("unit", "North"),
        ("unit", "North / Dept 3"),
        ("course", "Managing Information"),
        ("staff_type", "staff"),
        ("unit", "All"),
        ("course", "All"),
        ("staff_type", "All"),
    )
    for page in ("pages/overview.py", "pages/units.py", "pages/overdue.py"):
        at.switch_page(page)
        switch, _ = timed(at.run, 1)
        worst = 0.0
        for key, value in changes:
            seconds, _ = timed(lambda key=key, value=value: at.selectbox(key=key)
                               .set_value(value).run(), 1)
            worst = max(worst, seconds)
            assert not at.exception, at.exception
            print(f"   {page:20s} {key}={value!r:26s} rerun {seconds:6.3f}")
        print(f"   {page:20s} switch to page {switch:.3f}; slowest filter rerun {worst:.3f}")
    at.switch_page("pages/person.py").run()
    steps = (
        ("find 'Person 1234'", lambda: at.text_input(key="person_query").input("Person 1234")),
        ("point in time 2025-06-15 (first time)",
         lambda: at.date_input(key="person_when").set_value(dt.date(2025, 6, 15))),
        ("next person, same date", lambda: at.selectbox(key="person_pick").set_value("12345")),
    )
    for label, action in steps:
        seconds, _ = timed(lambda action=action: action().run(), 1)
        assert not at.exception, at.exception
        print(f"   pages/person.py      {label:38s} {seconds:6.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as directory:
        url = f"sqlite:///{Path(directory) / 'bench.sqlite'}"
        start = time.perf_counter()
        store = build_store(url, args.people)
        imports = store.imports().set_index("kind")["rows"]
        print(
            f"Store with {imports['roster']:,} people and {imports['completions']:,} "
            f"completions built in {time.perf_counter() - start:.1f} s"
        )
        bench_store_calls(url)
        bench_functions(store, args.repeat)
        bench_pages(url)


if __name__ == "__main__":
    main()
