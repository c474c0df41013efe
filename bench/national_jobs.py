"""The jobs of ``bench/national_table.py``: each measures one figure, run in its own process.

Every job reads files and stores prepared under the table's folder (``Prepared``), does
its work once and returns its figures as a dict for the parent to print (wall seconds of
the measured call; start-up and reading the prepared inputs are not counted). A job and
its peer are separate jobs, so the parent's peak memory per process tree is each one's.
"""

from __future__ import annotations

import io
import os
import pickle
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
START_UP_RUNS = 5
TREND_MONTHS = 24
DATE_HEADER = "Completion Date"
UK_DATE_TIME = "%d/%m/%Y %H:%M"
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
"""The test server (DESIGN: user postgres, trust); the job makes and drops its own database."""


class Prepared:
    """Where the prepared inputs of one size live (see ``national_table.prepare``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.frames = folder / "frames.pickle"
        self.csv = folder / "completions-rows.csv"
        self.xlsx = folder / "completions-rows.xlsx"
        self.big_xlsx = folder / "completions-big.xlsx"
        self.small_csv = folder / "completions-10.csv"
        self.sqlite = folder / "national.sqlite"

    def data(self):
        with self.frames.open("rb") as file:
            return pickle.load(file)  # written by national_table.prepare: trusted


def timed(call: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    result = call()
    return time.perf_counter() - began, result


def load_file(path: Path) -> dict:
    """The full loader (``loaders.load``, every check and the parsing sandbox) on one
    completions file, after a tiny warm-up file has started the sandbox."""
    from bench.national import AS_OF
    from loaders import load
    from loaders.limits import DEFAULT_LIMITS

    load("completions", b"Staff Number,Course Title,Completion Date\r\n1,A,01/01/2024\r\n", "w.csv")
    data = path.read_bytes()
    limits = replace(DEFAULT_LIMITS, max_bytes=max(len(data) + 1, DEFAULT_LIMITS.max_bytes))
    seconds, result = timed(
        lambda: load("completions", data, path.name, limits=limits, today=AS_OF.date())
    )
    return {
        "seconds": seconds,
        "rows": len(result.frame),
        "failed": result.report.fatal_message(),
    }


def csv_loader(prepared: Prepared) -> dict:
    return load_file(prepared.csv)


def csv_pandas(prepared: Prepared) -> dict:
    """``read_csv(engine="pyarrow")`` and each distinct date string parsed once."""

    def read() -> pd.DataFrame:
        frame = pd.read_csv(prepared.csv, engine="pyarrow", dtype=str)
        codes, distinct = pd.factorize(frame[DATE_HEADER])
        parsed = pd.to_datetime(pd.Series(distinct), format=UK_DATE_TIME).dt.normalize()
        frame[DATE_HEADER] = parsed.to_numpy().take(codes)
        return frame

    seconds, frame = timed(read)
    return {"seconds": seconds, "rows": len(frame)}


def xlsx_loader(prepared: Prepared) -> dict:
    return load_file(prepared.xlsx)


def xlsx_openpyxl(prepared: Prepared) -> dict:
    data = prepared.xlsx.read_bytes()
    seconds, frame = timed(lambda: pd.read_excel(io.BytesIO(data), engine="openpyxl"))
    return {"seconds": seconds, "rows": len(frame)}


def big_xlsx_loader(prepared: Prepared) -> dict:
    return load_file(prepared.big_xlsx)


def big_xlsx_calamine(prepared: Prepared) -> dict:
    """python-calamine's own cells, nothing checked or converted: the floor for a reader."""
    from python_calamine import CalamineWorkbook

    def read() -> list:
        return CalamineWorkbook.from_path(str(prepared.big_xlsx)).get_sheet_by_index(0).to_python()

    seconds, rows = timed(read)
    return {"seconds": seconds, "rows": len(rows) - 1}


def engine(prepared: Prepared) -> dict:
    """Match + statuses (``match_completions`` then ``compute_status`` given the result),
    first in this fresh process, then once more as a long-running server would: the
    second call finds memory the allocator has already mapped."""
    from compliance.engine import compute_status
    from compliance.matching import match_completions

    data = prepared.data()
    figures: dict[str, float] = {}
    for run in ("", "repeat_"):
        match_seconds, match = timed(lambda: match_completions(data.roster, data.completions))
        status_seconds, status = timed(
            lambda m=match: compute_status(data.roster, m, data.rules, data.as_of, data.exemptions)
        )
        figures |= {
            f"{run}seconds": match_seconds + status_seconds,
            f"{run}match_seconds": match_seconds,
            f"{run}status_seconds": status_seconds,
        }
        del match, status
    return figures


def engine_pandas(prepared: Prepared) -> dict:
    """Plain pandas merges and a groupby (``bench/naive_peers.py``)."""
    from bench import naive_peers

    data = prepared.data()

    def run() -> pd.DataFrame:
        matched = naive_peers.naive_match(data.roster, data.completions)
        return naive_peers.naive_status(
            data.roster, matched, data.rules, data.as_of, data.exemptions
        )

    seconds, status = timed(run)
    return {"seconds": seconds, "rows": len(status)}


def _trend_store(prepared: Prepared):
    from compliance.store import Store

    store = Store.open(f"sqlite:///{prepared.sqlite}")
    end = prepared.data().as_of
    return store, end - pd.DateOffset(months=TREND_MONTHS), end


def trend(prepared: Prepared) -> dict:
    """``access.trend_frame`` over 24 month ends, the store's current tables read first;
    then once more in the same process."""
    from compliance import access
    from compliance.scope import Scope

    store, start, end = _trend_store(prepared)
    tables = access.current(store)
    seconds, counts = timed(lambda: access.trend_frame(store, tables, start, end, Scope()))
    repeat, _ = timed(lambda: access.trend_frame(store, tables, start, end, Scope()))
    return {"seconds": seconds, "repeat_seconds": repeat, "rows": len(counts)}


def trend_per_month(prepared: Prepared) -> dict:
    """Every month end's whole status table, grouped (``bench_engine.naive_trend``)."""
    from bench.bench_engine import naive_trend

    store, start, end = _trend_store(prepared)
    seconds, counts = timed(lambda: naive_trend(store, start, end))
    return {"seconds": seconds, "rows": len(counts)}


def _median_run(command: list[str]) -> float:
    times = []
    for _ in range(START_UP_RUNS):
        began = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=False, capture_output=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def cli_check(prepared: Prepared) -> dict:
    """``python -m compliance check`` on a 10-row file, process start to exit (median)."""
    command = [sys.executable, "-m", "compliance", "check", "--kind", "completions"]
    return {"seconds": _median_run([*command, str(prepared.small_csv)])}


def bare_pandas(prepared: Prepared) -> dict:
    return {"seconds": _median_run([sys.executable, "-c", "import pandas"])}


def import_rate(url: str, prepared: Prepared) -> dict:
    """Rows per second of ``Store.import_frame`` for the completions (rules, roster first)."""
    from bench.national_files import build_store
    from compliance.store import Store
    from loaders import LoadResult
    from loaders.report import LoadReport

    data = prepared.data()
    build_store(url, replace(data, completions=data.completions.iloc[:1])).engine.dispose()
    store = Store.open(url)
    rows = len(data.completions)
    report = LoadReport(file="all-completions.csv", kind="completions", rows_read=rows,
                        rows_loaded=rows)  # fmt: skip
    seconds, _ = timed(
        lambda: store.import_frame("completions", LoadResult(data.completions, report), user="b")
    )
    store.engine.dispose()
    return {"seconds": seconds, "rows": rows, "rate": rows / seconds}


def import_sqlite(prepared: Prepared) -> dict:
    path = prepared.folder / "import-rate.sqlite"
    path.unlink(missing_ok=True)
    try:
        return import_rate(f"sqlite:///{path}", prepared)
    finally:
        path.unlink(missing_ok=True)


def import_postgres(prepared: Prepared) -> dict:
    """The same import into a PostgreSQL database of its own, dropped afterwards."""
    from sqlalchemy import create_engine, text

    server = POSTGRES_SERVER
    name = f"bench_national_{os.getpid()}"
    admin = create_engine(f"{server}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        return import_rate(f"{server}/{name}", prepared)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


def overview(prepared: Prepared) -> dict:
    """The national Overview in ``AppTest``, signed in as a manager: its first render
    (empty caches) and a change of the unit filter to the first force."""
    from streamlit.testing.v1 import AppTest

    from pages import _auth
    from tests.pages import sign_in

    url = f"sqlite:///{prepared.sqlite}"
    os.environ["COMPLIANCE_DB"] = url
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=900)
    at.session_state["as_of"] = prepared.data().as_of.date()
    at.session_state[_auth.TOKEN] = sign_in(url)
    first, _ = timed(at.run)
    failed = [str(e.value) for e in at.exception]
    unit = at.selectbox(key="unit")
    change, _ = timed(lambda: unit.set_value(unit.options[1]).run())
    failed += [str(e.value) for e in at.exception]
    return {"seconds": first, "filter_seconds": change, "failed": "; ".join(failed)}


def fresh_memory(prepared: Prepared) -> dict:
    """1 GiB filled in a fresh process, then again: on a VM the first touch of memory can
    cost many times the second (the host backs pages only then), as every fresh job does."""
    first, block = timed(lambda: np.ones(2**30 // 8))
    del block
    return {"seconds": first, "repeat_seconds": timed(lambda: np.ones(2**30 // 8))[0]}


JOBS: dict[str, Callable[[Prepared], dict]] = {
    "fresh-memory": fresh_memory,
    "csv-loader": csv_loader,
    "csv-pandas": csv_pandas,
    "xlsx-loader": xlsx_loader,
    "xlsx-openpyxl": xlsx_openpyxl,
    "big-xlsx-loader": big_xlsx_loader,
    "big-xlsx-calamine": big_xlsx_calamine,
    "engine": engine,
    "engine-pandas": engine_pandas,
    "trend": trend,
    "trend-per-month": trend_per_month,
    "cli-check": cli_check,
    "bare-pandas": bare_pandas,
    "import-sqlite": import_sqlite,
    "import-postgres": import_postgres,
    "overview": overview,
}
