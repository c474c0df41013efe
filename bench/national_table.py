"""Issue 14's table at national scale: every figure with its peer from the same run.

Prepares the national data set (``bench/national.py``: 300,000 people in 43 forces, ten
requirements, 3,000,000 completion rows, exemptions) once as files and as a SQLite store
under ``bench/out/national-table/`` (reused by later runs), then runs every job of
``bench/national_jobs.py`` in a process of its own while sampling the peak resident
memory of that process and everything it starts, and prints one table.

    .venv/bin/python bench/national_table.py            # full size (about 15 minutes)
    .venv/bin/python bench/national_table.py --quick    # a tenth of the sizes
    .venv/bin/python bench/national_table.py --jobs engine trend    # some rows only
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import national, national_files
from bench.national_jobs import JOBS, Prepared
from tests.process_memory import descendants, peak_resident

SAMPLE_S = 0.02
MB = 2**20


@dataclass(frozen=True)
class Sizes:
    people: int
    completions: int
    csv_rows: int
    xlsx_rows: int
    big_xlsx_rows: int

    @property
    def name(self) -> str:
        figures = (self.people, self.completions, self.csv_rows, self.xlsx_rows, self.big_xlsx_rows)
        return "-".join(map(str, figures))


FULL = Sizes(national.PEOPLE, national.COMPLETIONS, 1_000_000, 100_000, 1_000_000)
QUICK = Sizes(30_000, 300_000, 100_000, 10_000, 100_000)
ROWS = (
    # (label, job, peer, target)
    ("the machine: fill 1 GiB in a fresh process", "fresh-memory", None, ""),
    (
        "load {csv_rows:,}-row completions csv, full loader",
        "csv-loader",
        "csv-pandas",
        "< 2 s, < 1.5 GB tree",
    ),
    ("load {xlsx_rows:,}-row xlsx, full loader", "xlsx-loader", "xlsx-openpyxl", ">= 8x openpyxl"),
    (
        "load {big_xlsx_rows:,}-row xlsx, full loader",
        "big-xlsx-loader",
        "big-xlsx-calamine",
        "< 8 s, < 1 GB",
    ),
    (
        "match + statuses, {people:,} people x 10 req x {completions:,} rows",
        "engine",
        "engine-pandas",
        "< 2 s, < 2 GB",
    ),
    ("24-month trend, {people:,} people", "trend", "trend-per-month", "< 10 s"),
    ("CLI start-up: check on a 10-row file", "cli-check", "bare-pandas", "close to the peer"),
    ("import completions into SQLite (rows/s)", "import-sqlite", None, ""),
    ("import completions into PostgreSQL (rows/s)", "import-postgres", None, ">= 100k rows/s"),
    ("national Overview, first render (AppTest)", "overview", None, ""),
)
PEERS = {
    "csv-pandas": "read_csv(pyarrow) + distinct dates",
    "xlsx-openpyxl": "read_excel(openpyxl)",
    "big-xlsx-calamine": "python-calamine cells only",
    "engine-pandas": "pandas merge + groupby",
    "trend-per-month": "compute_status per month end",
    "bare-pandas": 'python -c "import pandas"',
}


def prepare(folder: Path, sizes: Sizes) -> Prepared:
    """The inputs every job reads, written the first time only (``frames.pickle`` last,
    so an interrupted preparation starts again)."""
    prepared = Prepared(folder)
    if prepared.frames.exists():
        return prepared
    folder.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    data = national.national_frames(national.SEED, sizes.people, sizes.completions)
    national.write_files(folder / "files", data)
    completions = data.completions
    national_files._write_csv(
        national_files.completions_table(completions.iloc[: sizes.csv_rows]), prepared.csv
    )
    national_files._write_csv(
        national_files.completions_table(completions.iloc[:10]), prepared.small_csv
    )
    national_files.write_xlsx(completions.iloc[: sizes.xlsx_rows], prepared.xlsx)
    national_files.write_xlsx(completions.iloc[: sizes.big_xlsx_rows], prepared.big_xlsx)
    prepared.sqlite.unlink(missing_ok=True)
    national.build_store(f"sqlite:///{prepared.sqlite}", data).engine.dispose()
    partial = prepared.frames.with_suffix(".part")
    partial.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    partial.rename(prepared.frames)
    print(f"prepared {folder} in {time.perf_counter() - began:.0f} s", flush=True)
    return prepared


def run_job(name: str, folder: Path) -> dict:
    """One job in a fresh process; its figures plus the peak memory of its process tree:
    the largest sum of resident memory over the tree seen in samples every 20 ms, or the
    job process's own peak (``VmHWM``, which it reports on its way out) if higher."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(
            [sys.executable, __file__, "--job", name, "--folder", str(folder)],
            stdout=out,
            stderr=err,
            text=True,
        )
        tree_peak = 0
        while child.poll() is None:
            tree = [child.pid, *descendants(child.pid)]
            tree_peak = max(tree_peak, sum(resident(pid) for pid in tree))
            time.sleep(SAMPLE_S)
        out.seek(0)
        err.seek(0)
        lines = out.read().strip().splitlines()
        if child.returncode or not lines:
            return {"failed": " ".join(err.read().strip().splitlines()[-1:]) or "no output"}
    figures = json.loads(lines[-1])
    figures["peak_mb"] = max(tree_peak, figures.pop("own_peak")) / MB
    return figures


def resident(pid: int) -> int:
    """``VmRSS`` of ``pid`` in bytes (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def print_table(sizes: Sizes, results: dict[str, dict]) -> None:
    """One Markdown table: each figure, its peer, the ratio and the target."""
    print("| job | measured | peak RSS (tree) | peer, same run | its peak RSS | ratio | target |")
    print("|---|---|---|---|---|---|---|")
    for label, job, peer, target in ROWS:
        if job not in results:
            continue
        mine = results[job]
        other = results.get(peer, {}) if peer else {}
        ratio = ""
        if "seconds" in mine and "seconds" in other:
            ratio = f"{other['seconds'] / mine['seconds']:.1f}x"
        cells = [
            label.format(**sizes.__dict__), _figure(job, mine), _memory(mine),
            f"{PEERS[peer]}: {_figure(peer, other)}" if peer else "",
            _memory(other) if peer else "",
            ratio, target,
        ]  # fmt: skip
        print("| " + " | ".join(cells) + " |")
        if job == "overview" and "filter_seconds" in mine:
            print(f"| national Overview, unit filter change | {mine['filter_seconds']:.2f} s "
                  "| (same process) | | | | |")  # fmt: skip


def _figure(job: str, figures: dict) -> str:
    if figures.get("failed"):
        return f"failed: {figures['failed']}"
    if "seconds" not in figures:
        return "not run"
    if "rate" in figures:
        rows, seconds = figures["rows"], figures["seconds"]
        return f"{figures['rate']:,.0f} rows/s ({rows:,} rows in {seconds:.1f} s)"
    shown = f"{figures['seconds']:.2f} s"
    if "match_seconds" in figures:
        match, status = figures["match_seconds"], figures["status_seconds"]
        shown += f" (match {match:.2f} + statuses {status:.2f})"
    if "repeat_seconds" in figures:
        shown += f"; again in the same process {figures['repeat_seconds']:.2f} s"
    if "repeat_match_seconds" in figures:
        shown += (f" (match {figures['repeat_match_seconds']:.2f} + "
                  f"statuses {figures['repeat_status_seconds']:.2f})")  # fmt: skip
    return shown


def _memory(figures: dict) -> str:
    return f"{figures['peak_mb']:,.0f} MB" if "peak_mb" in figures else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--jobs", nargs="+", choices=list(JOBS), help="only these jobs")
    parser.add_argument("--job", choices=list(JOBS), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.job:
        figures = JOBS[args.job](Prepared(args.folder))
        print(json.dumps(figures | {"own_peak": peak_resident(os.getpid())}, default=str))
        return 0
    folder = national.OUT / f"national-table-{sizes.name}"
    if args.prepare:
        prepare(folder, sizes)
        return 0
    quick = ["--quick"] if args.quick else []
    subprocess.run([sys.executable, __file__, "--prepare", *quick], check=True)
    print(f"{platform.node()}: {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at the start, {time.strftime('%Y-%m-%d %H:%M')}")  # fmt: skip
    results = {}
    for name in args.jobs or list(JOBS):
        results[name] = run_job(name, folder)
        print(f"  {name}: {json.dumps(results[name], default=str)}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print_table(sizes, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
