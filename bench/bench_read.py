"""Benchmark: the full loader (checks, worker, Arrow transfer, canonical frame) against peers.

Generates (once, cached in ``bench/out/``) a learning-system completions export with UK
date-times: a 1,000,000-row CSV and 100,000 and 1,000,000-row xlsx files (real date-time
cells, written by ``bench/fast_xlsx.py``). Each measurement runs in a fresh process and
prints its wall time and the peak resident memory of its process tree (its own
``VmHWM`` plus its largest finished child's); ratios are against peers measured in the
same run:

- CSV: ``pandas.read_csv(engine="pyarrow")`` plus parsing each distinct date once;
- xlsx: ``pandas.read_excel(engine="openpyxl")`` (100,000 rows only: minutes at a
  million) and fastexcel's raw read into Arrow;
- start-up: ``python -m compliance check`` on a 10-row file against ``python -c
  "import pandas"``.

    .venv/bin/python bench/bench_read.py            # all of it
    .venv/bin/python bench/bench_read.py --quick    # 10x smaller files
"""

from __future__ import annotations

import argparse
import json
import multiprocessing.forkserver
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fast_xlsx import write_xlsx  # noqa: E402

OUT = ROOT / "bench" / "out"
COURSES = np.array(
    ["Managing Information - Operational", "Information Security Awareness",
     "Data Protection and GDPR", "Professional Standards and Ethics", "Taser Refresher",
     "First Aid (Police)", "Public Order Level 3", "Officer Safety Training",
     "Equality, Diversity and Inclusion", "Stop and Search"]
)  # fmt: skip
FIRST = np.array(["ann", "bob", "zoë", "sean", "priya", "tom", "aisha", "gareth", "siobhan"])
STATUSES = np.array(["Completed"] * 6 + ["In Progress"])


def export(rows: int, seed: int = 7) -> dict[str, pa.Array]:
    """Zero-padded staff numbers, emails, courses, a status and completion date-times."""
    rng = np.random.default_rng(seed)
    people = rng.integers(1, 300_000, rows)
    course = rng.integers(0, len(COURSES), rows)
    stamps = pd.Timestamp("2015-01-01") + pd.to_timedelta(
        rng.integers(0, 3650 * 24 * 60, rows), "min"
    )
    digits = pa.array(people.astype(str))
    return {
        "Staff Number": pc.utf8_lpad(digits, 6, "0"),
        "Email": pc.binary_join_element_wise(
            pa.array(FIRST[people % len(FIRST)]), digits, "@force01.police.uk", "."
        ),
        "Course Title": pa.array(COURSES[course]),
        "Course Code": pa.array(np.char.add("C", course.astype(str))),
        "Completion Status": pa.array(STATUSES[rng.integers(0, len(STATUSES), rows)]),
        "Completion Date": pa.array(stamps.to_numpy()),
    }


def write_csv(columns: dict[str, pa.Array], path: Path) -> None:
    """The export as CSV, dates written ``26/08/2024 14:32`` (formatted once per minute)."""
    stamps = pd.DatetimeIndex(columns["Completion Date"].to_numpy(zero_copy_only=False))
    distinct, code = np.unique(stamps.to_numpy(), return_inverse=True)
    text = pd.DatetimeIndex(distinct).strftime("%d/%m/%Y %H:%M").to_numpy(dtype=object)
    table = pa.table({**columns, "Completion Date": pa.array(text[code], pa.string())})
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))


def files(scale: float) -> dict[str, Path]:
    """The three files, generated on first use and kept in ``bench/out``."""
    OUT.mkdir(exist_ok=True)
    wanted = {
        "csv": (OUT / f"completions_{int(1_000_000 * scale)}.csv", int(1_000_000 * scale)),
        "xlsx": (OUT / f"completions_{int(100_000 * scale)}.xlsx", int(100_000 * scale)),
        "xlsx_big": (OUT / f"completions_{int(1_000_000 * scale)}.xlsx", int(1_000_000 * scale)),
    }
    for kind, (path, rows) in wanted.items():
        if not path.exists():
            started = time.perf_counter()
            if kind == "csv":
                write_csv(export(rows), path)
            else:
                write_xlsx(path, "Completions", export(rows), ["Course completion report"])
            print(f"generated {path.name} in {time.perf_counter() - started:.1f} s")
    return {kind: path for kind, (path, _) in wanted.items()}


def measure(method: str, path: Path) -> dict[str, float]:
    """One method on one file in this fresh process (start-up excluded)."""
    data = path.read_bytes()
    if method == "loader":
        from loaders import load_completions
        from loaders.limits import Limits

        limits = Limits(max_bytes=max(len(data), Limits().max_bytes))
        load_completions(b"Staff Number,Course,Completion Date\n1,A,01/02/2024\n", "warm.csv")
        started = time.perf_counter()
        result = load_completions(data, path.name, limits=limits)
        wall = time.perf_counter() - started
        rows = len(result.frame)
        multiprocessing.forkserver._forkserver._stop()
    else:
        started = time.perf_counter()
        rows = PEERS[method](path)
        wall = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own = int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) / 1024
    return {"wall_s": wall, "rows": rows, "tree_mb": own + children}


def _pyarrow_csv(path: Path) -> int:
    frame = pd.read_csv(path, engine="pyarrow", dtype_backend="pyarrow")
    column = frame["Completion Date"]
    codes, distinct = pd.factorize(column)
    days = pd.to_datetime(pd.Series(distinct), format="%d/%m/%Y %H:%M").dt.normalize()
    frame["Completion Date"] = days.to_numpy()[codes]
    return len(frame)


def _openpyxl(path: Path) -> int:
    return len(pd.read_excel(path, engine="openpyxl", header=None))


def _fastexcel(path: Path) -> int:
    import fastexcel

    sheet = fastexcel.read_excel(path).load_sheet(0, header_row=2, eager=True)
    return sheet.num_rows


PEERS = {"pyarrow_csv": _pyarrow_csv, "openpyxl": _openpyxl, "fastexcel": _fastexcel}


def run(method: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", method, str(path)], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"{method} on {path.name} failed:\n{done.stderr}{done.stdout}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def startup(tiny: Path, repeats: int = 5) -> tuple[float, float]:
    """Median wall time of ``check`` on a 10-row file and of a bare ``import pandas``."""
    commands = {
        "check": [sys.executable, "-m", "compliance", "check", "--kind", "completions", str(tiny)],
        "bare": [sys.executable, "-c", "import pandas"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
            times[name].append(time.perf_counter() - started)
    return float(np.median(times["check"])), float(np.median(times["bare"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="files a tenth of the size")
    parser.add_argument("--measure", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    paths = files(0.1 if args.quick else 1.0)
    cases = [
        ("csv", "loader", "pyarrow_csv"),
        ("xlsx", "loader", "openpyxl"),
        ("xlsx", "loader", "fastexcel"),
        ("xlsx_big", "loader", "fastexcel"),
    ]
    print(f"{'file':<28}{'method':<14}{'rows':>10}{'wall s':>9}{'tree MB':>9}{'peer/loader':>13}")
    for kind, ours, peer in cases:
        path = paths[kind]
        mine, theirs = run(ours, path), run(peer, path)
        for name, figures in ((ours, mine), (peer, theirs)):
            ratio = f"{theirs['wall_s'] / mine['wall_s']:.2f}x" if name == peer else ""
            print(
                f"{path.name:<28}{name:<14}{figures['rows']:>10,}{figures['wall_s']:>9.2f}"
                f"{figures['tree_mb']:>9.0f}{ratio:>13}"
            )
    tiny = OUT / "completions_10.csv"
    write_csv(export(10), tiny)
    check, bare = startup(tiny)
    print(f"start-up: check on 10 rows {check:.2f} s, bare import pandas {bare:.2f} s "
          f"({check / bare:.1f}x)")


if __name__ == "__main__":
    main()
