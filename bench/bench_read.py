"""Benchmark: read_workbook (all checks + sandbox) against pandas/openpyxl.

Generates, in a temporary directory, an LMS-like completions export as .xlsx (real date
cells) and a larger .csv, then measures each reader in a fresh process so every peak
memory figure is its own. Prints wall time, the parent's peak RSS and the parsing
child's peak RSS, and the speed-up over ``pandas.read_excel(engine="openpyxl")``.

    .venv/bin/python bench/bench_read.py               # 100,000-row xlsx, 1,000,000-row csv
    .venv/bin/python bench/bench_read.py --rows 10000 --csv-rows 100000   # quick run
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing.forkserver
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loaders.limits import Limits
from loaders.readers import read_workbook

UNITS = np.array(
    [
        "Crime Command / CID / North",
        "Crime Command / CID / South",
        "Local Policing / Response / East",
        "Local Policing / Neighbourhood / West",
        "Operations / Roads Policing",
        "Corporate Services / HR",
    ]
)
COURSES = np.array(
    [
        ("MI-OP-01", "Managing Information - Operational"),
        ("IS-AW-02", "Information Security Awareness"),
        ("DP-GDPR-3", "Data Protection and GDPR"),
        ("PS-ETH-04", "Professional Standards and Ethics"),
    ]
)
FIRST = np.array(["Ann", "Bob", "Zoë", "Sean", "Priya", "Tom", "Aisha", "Gareth", "Siobhan"])
LAST = np.array(["Lee", "O’Brien", "Smith", "Khan", "Jones", "Williams", "Nowak", "Evans"])
OPENPYXL = "pandas.read_excel(openpyxl)"
HEADER = [
    "User ID",
    "Employee Number",
    "First Name",
    "Last Name",
    "Email Address",
    "Organisation Unit",
    "Course Code",
    "Course Title",
    "Completion Status",
    "Completion Date",
    "Score",
]


def lms_export(rows: int, seed: int = 7) -> pd.DataFrame:
    """A completions export shaped like a learning system's, built vectorised."""
    rng = np.random.default_rng(seed)
    people = rng.integers(10_000, 99_999, rows)
    first, last = FIRST[people % len(FIRST)], LAST[people % len(LAST)]
    course = COURSES[rng.integers(0, len(COURSES), rows)]
    days = rng.integers(0, 5 * 365, rows)
    return pd.DataFrame(
        {
            "User ID": np.arange(1, rows + 1),
            "Employee Number": np.char.add("P0", people.astype(str)),
            "First Name": first,
            "Last Name": last,
            "Email Address": np.char.add(
                np.char.add(np.char.lower(first), people.astype(str)), "@police.example.uk"
            ),
            "Organisation Unit": UNITS[people % len(UNITS)],
            "Course Code": course[:, 0],
            "Course Title": course[:, 1],
            "Completion Status": np.where(days % 7 == 0, "In Progress", "Completed"),
            "Completion Date": pd.Timestamp("2020-01-01") + pd.to_timedelta(days, unit="D"),
            "Score": rng.integers(60, 101, rows).astype(float),
        }
    )


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """Title row, blank row, header, data: as exported, with real date cells."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Completions")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["Course completion report"])
    sheet.write_row(2, 0, HEADER)
    dates = frame["Completion Date"].astype(object).to_numpy()
    values = frame.drop(columns="Completion Date").to_numpy(dtype=object)
    for offset, (cells, completed) in enumerate(zip(values, dates, strict=True)):
        row = 3 + offset
        sheet.write_row(row, 0, cells[:9])
        sheet.write_datetime(row, 9, completed, date_format)
        sheet.write_number(row, 10, cells[9])
    book.close()


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, date_format="%d/%m/%Y", encoding="utf-8-sig")


def measure(method: str, path: Path) -> dict[str, float]:
    """One reader on one file, in this (fresh) process; figures for the parent to print.

    The parent's peak is ``VmHWM`` (this process's own address space; ``ru_maxrss``
    would carry over the peak of the process that started it). The child's peak is
    ``RUSAGE_CHILDREN``, which only counts descendants that ended and were waited for:
    so the forkserver (which has reaped the parsing children) is stopped first.
    """
    if method == "read_workbook":
        read_workbook(b"warm,up\r\n1,2\r\n", "warm.csv")
    data = path.read_bytes()
    limits = Limits(max_bytes=max(len(data), Limits().max_bytes))
    started = time.perf_counter()
    if method == "read_workbook":
        rows = len(read_workbook(data, path.name, limits=limits).sheets[0].grid)
    else:
        rows = len(pd.read_excel(io.BytesIO(data), engine="openpyxl", header=None))
    wall = time.perf_counter() - started
    if method == "read_workbook":
        multiprocessing.forkserver._forkserver._stop()
    return {
        "wall_s": wall,
        "rows": rows,
        "parent_mb": _peak_rss_mb(),
        "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "file_mb": len(data) / 2**20,
        "max_bytes_mb": limits.max_bytes / 2**20,
    }


def _peak_rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def run(method: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", method, str(path)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{method} on {path.name} failed:\n{done.stderr}{done.stdout}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="xlsx data rows")
    parser.add_argument("--csv-rows", type=int, default=1_000_000, help="csv data rows")
    parser.add_argument("--measure", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    with tempfile.TemporaryDirectory() as folder:
        xlsx, csv = Path(folder) / "completions.xlsx", Path(folder) / "completions.csv"
        started = time.perf_counter()
        write_xlsx(lms_export(args.rows), xlsx)
        write_csv(lms_export(args.csv_rows), csv)
        print(f"generated files in {time.perf_counter() - started:.1f} s")
        cases = [
            ("read_workbook", "xlsx", xlsx),
            ("openpyxl", "xlsx", xlsx),
            ("read_workbook", "csv", csv),
        ]
        results = {}
        print(
            f"{'reader':<28}{'rows':>10}{'file MB':>9}{'wall s':>9}"
            f"{'parent MB':>11}{'child MB':>10}"
        )
        for method, kind, path in cases:
            figures = run(method, path)
            results[(method, kind)] = figures
            label = f"{method} ({kind})" if method == "read_workbook" else OPENPYXL
            print(
                f"{label:<28}{figures['rows']:>10,}{figures['file_mb']:>9.1f}"
                f"{figures['wall_s']:>9.2f}{figures['parent_mb']:>11.0f}{figures['child_mb']:>10.0f}"
            )
            if figures["max_bytes_mb"] > Limits().max_bytes / 2**20:
                print(f"{'':<28}(max_bytes raised to the file size for this run)")
    ratio = results[("openpyxl", "xlsx")]["wall_s"] / results[("read_workbook", "xlsx")]["wall_s"]
    verdict = "meets" if ratio >= 5 else "misses"
    print(f"read_workbook is {ratio:.1f}x faster than {OPENPYXL} ({verdict} the 5x target)")


if __name__ == "__main__":
    main()
