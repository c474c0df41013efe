"""The engine's outputs on the benchmark data, saved once and compared after every change.

Statuses (in memory and through the store), their summaries by unit at levels 1 and 2
and by course, ``access.trend_frame`` and ``access.projection_frame`` on the national set
and on the bench force, pickled so that columns, order, dtypes and values are compared
exactly.

    .venv/bin/python bench/engine_check.py save  bench/out/reference
    .venv/bin/python bench/engine_check.py check bench/out/reference
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import bench_engine, national, national_files
from compliance import access, engine, matching, summary
from compliance.scope import Scope

TREND_MONTHS = 24
SUMMARY_LEVELS = (1, 2)
GIVEN_RESULT = "~given-the-match-result"
SHARED_MATCH = "~from-the-shared-match"
"""Outputs named with a ``~`` suffix are compared with the output of the name without it."""


def outputs(folder: Path, sets: list[str]) -> Iterator[tuple[str, Callable[[], pd.DataFrame]]]:
    """(name, computation) for every output compared; stores are built in ``folder``."""
    for name in sets:
        data = DATA_SETS[name]()
        matched = matching.match_completions(data.roster, data.completions)
        status = functools.cache(
            lambda d=data, m=matched: engine.compute_status(
                d.roster, m.completions, d.rules, d.as_of, d.exemptions
            )
        )
        yield f"{name}-status", status
        for level in SUMMARY_LEVELS:
            yield (
                f"{name}-summary-{level}",
                lambda s=status, lv=level: summary.summary_by_unit(s(), lv),
            )
        yield f"{name}-summary-course", lambda s=status: summary.summary_by_course(s())
        if hasattr(matched, "roster_position"):  # the engine reads the MatchResult itself
            yield (
                f"{name}-status{GIVEN_RESULT}",
                lambda d=data, m=matched: engine.compute_status(
                    d.roster, m, d.rules, d.as_of, d.exemptions
                ),
            )
        store_url = f"sqlite:///{folder / f'{name}.sqlite'}"
        store = national_files.build_store(store_url, data)
        start = data.as_of - pd.DateOffset(months=TREND_MONTHS)
        everyone, first = Scope(), Scope(units=(str(data.roster["unit_1"][0]),))
        for label, scope in (("", everyone), ("-scoped", first)):
            yield (
                f"{name}-store-status{label}",
                lambda s=store, sc=scope, d=data: _seen(s, d.as_of, sc).status,
            )
            yield (
                f"{name}-trend{label}",
                lambda s=store, sc=scope, d=data, b=start: access.trend_frame(
                    s, access.current(s), b, d.as_of, sc
                ),
            )
            if scope.units is None:  # the trend that reads the match its snapshots share
                yield (
                    f"{name}-trend{label}{SHARED_MATCH}",
                    lambda s=store, d=data, b=start: access.trend_frame(
                        s, access.current(s), b, d.as_of, Scope(), shared=_shared(s)
                    ),
                )
            yield (
                f"{name}-projection{label}",
                lambda s=store, sc=scope, d=data: access.projection_frame(_seen(s, d.as_of, sc)),
            )


def _shared(store):
    tables = access.current(store)
    return lambda roster_import: access.matched(store, tables, roster_import)


def _seen(store, as_of, scope):
    return access.take_snapshot(store, access.current(store), as_of).scoped(scope)


def bench_force() -> national.National:
    """The bench force of ``bench_engine`` (300,000 people) with its rules and date."""
    rng = np.random.default_rng(2026)
    roster = bench_engine.synthetic_roster(300_000, rng)
    completions = bench_engine.synthetic_completions(roster, 3_000_000, rng)
    exemptions = bench_engine.synthetic_exemptions(roster, rng)
    exemptions["source_file"] = "exemptions.csv"
    exemptions["source_row"] = np.arange(2, len(exemptions) + 2)
    return national.National(
        roster, completions, exemptions, bench_engine.synthetic_rules(), bench_engine.AS_OF
    )


DATA_SETS: dict[str, Callable[[], national.National]] = {
    "national": national.national_frames,
    "force": bench_force,
}


def compare(expected: pd.DataFrame, actual: pd.DataFrame) -> str | None:
    """None when identical (columns, order, dtypes, index, values), else the difference."""
    try:
        pd.testing.assert_frame_equal(actual, expected, check_exact=True, check_categorical=True)
    except AssertionError as error:
        return " | ".join(str(error).splitlines()[:6])
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "check"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", choices=list(DATA_SETS), action="append")
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    failures = 0
    with tempfile.TemporaryDirectory() as stores:
        for name, compute in outputs(Path(stores), args.only or list(DATA_SETS)):
            began = time.perf_counter()
            frame = compute()
            seconds = time.perf_counter() - began
            path = args.folder / f"{name.partition('~')[0]}.pickle"
            if args.action == "save":
                frame.to_pickle(path)
                print(f"saved {name}: {len(frame):,} rows in {seconds:.2f} s")
                continue
            difference = compare(pd.read_pickle(path), frame)
            failures += difference is not None
            verdict = "identical" if difference is None else f"DIFFERENT {difference}"
            print(f"{name}: {len(frame):,} rows in {seconds:.2f} s, {verdict}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
