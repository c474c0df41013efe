"""Benchmark: the dashboard server's memory while sessions upload the largest sheet Excel holds.

Writes a 1,048,576-row completions export (title, blank and header rows, then 1,048,573
rows of ID, course and a real date cell; about 15 MB, the size the issue measured, under
the 50 MB upload cap), starts ``streamlit run dashboard.py`` on an
empty store, signs in with N browser sessions at once (Debian's Chromium), drops the file
on each session's Upload page and waits until every file card is drawn. A sampler reads
``/proc`` every 0.2 s and prints the peak resident memory of the server process alone and
of its whole process tree (the parsing workers included), with the file's size and the
time until every card showed, and the server's own high-water mark (``VmHWM``, which
no sampling interval misses). Repeat with another N to see what one more session costs.

    .venv/bin/python bench/upload_memory.py                # 3 sessions
    .venv/bin/python bench/upload_memory.py --sessions 1
    .venv/bin/python bench/upload_memory.py --rules        # requirements in force
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import xlsxwriter

from tests.browser import VIEWPORT, chromium, open_page, sign_in, streamlit_server

EXCEL_ROWS = 1_048_576
DATA_ROWS = EXCEL_ROWS - 3
"""The export's title, blank and header rows take three of Excel's rows."""
USER = "bench-manager"
PASSWORD = "a bench password that is long"
RULES = Path(__file__).resolve().parents[1] / "data" / "requirements.yaml"
CACHE = Path(tempfile.gettempdir()) / "upload-memory-1048576-narrow.xlsx"
COURSES = ("Managing Information", "Information Security", "Taser Refresher", "First Aid")


def big_export() -> Path:
    """The sheet, written once and kept in the temporary directory between runs."""
    if not CACHE.exists():
        print(f"writing {DATA_ROWS:,} rows to {CACHE} ...", flush=True)
        partial = CACHE.with_suffix(".part.xlsx")
        _write_export(partial)
        partial.rename(CACHE)
    return CACHE


def _write_export(path: Path) -> None:
    rng = np.random.default_rng(13)
    ids = np.char.add("P0", rng.integers(10_000, 99_999, DATA_ROWS).astype(str))
    courses = rng.integers(0, len(COURSES), DATA_ROWS)
    days = rng.integers(0, 5 * 365, DATA_ROWS).tolist()
    dates = [dt.datetime(2020, 1, 1) + dt.timedelta(days=day) for day in range(5 * 365)]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Completions")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ["Course completion report"])
    sheet.write_row(2, 0, ["Employee Number", "Course Title", "Completion Date"])
    rows = zip(ids.tolist(), courses.tolist(), days, strict=True)
    for row, (person, course, day) in enumerate(rows, start=3):
        sheet.write_string(row, 0, person)
        sheet.write_string(row, 1, COURSES[course])
        sheet.write_datetime(row, 2, dates[day], date_format)
    book.close()


def tree_rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory of ``pid`` alone and of ``pid`` with all its descendants, in MB."""
    own = _rss_kb(pid)
    total = own + sum(_rss_kb(child) for child in _descendants(pid))
    return own / 1024, total / 1024


def _rss_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *_descendants(child)]
    return found


def server_pid(port: int) -> int:
    """The ``streamlit run`` process listening on ``port`` (found by its command line)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(command) and str(port).encode() in command:
            return int(entry.name)
    raise RuntimeError(f"no streamlit process on port {port}")


class Sampler(threading.Thread):
    """Peak memory of a process tree, sampled until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.server_peak, self.tree_peak = pid, 0.0, 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            own, tree = tree_rss_mb(self.pid)
            self.server_peak, self.tree_peak = max(self.server_peak, own), max(self.tree_peak, tree)
            time.sleep(0.2)

    def stop(self) -> None:
        self._done.set()
        self.join()


def prepare_store(directory: Path, rules: bool = False) -> str:
    """A store with the bench's manager; with ``rules``, the project's requirements in force
    too, so the export's other courses become problem rows as in a real force's store."""
    url = f"sqlite:///{directory / 'bench.sqlite'}"
    subprocess.run([sys.executable, "-m", "compliance", "users", "add", USER, "--role",
                    "manager", "--password-stdin", "--db", url], check=True,
                   capture_output=True, input=f"{PASSWORD}\n", text=True)
    if rules:
        subprocess.run([sys.executable, "-m", "compliance", "import", "--kind", "requirements",
                        str(RULES), "--db", url], check=True, capture_output=True)
    return url


def run(sessions: int, rules: bool = False) -> dict[str, float]:
    export = big_export()
    with tempfile.TemporaryDirectory() as directory:
        url = prepare_store(Path(directory), rules)
        with streamlit_server(url) as base, chromium() as browser:
            pid = server_pid(int(base.rsplit(":", 1)[1]))
            pages = [browser.new_context(viewport=VIEWPORT).new_page() for _ in range(sessions)]
            for page in pages:
                sign_in(page, base, USER, PASSWORD)
                open_page(page, "Upload")
            idle, _ = tree_rss_mb(pid)
            sampler = Sampler(pid)
            sampler.start()
            started = time.perf_counter()
            for page in pages:
                page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                    str(export)
                )
            for page in pages:
                page.locator("text=/rows loaded|cannot be used|cannot be read/").first.wait_for(
                    timeout=600_000
                )
            elapsed = time.perf_counter() - started
            time.sleep(2)
            settled, settled_tree = tree_rss_mb(pid)
            high_water = _rss_kb(pid, "VmHWM") / 1024
            sampler.stop()
    return {
        "sessions": sessions, "file_mb": export.stat().st_size / 2**20, "idle_mb": idle,
        "server_peak_mb": sampler.server_peak, "server_hwm_mb": high_water,
        "tree_peak_mb": sampler.tree_peak,
        "server_after_mb": settled, "tree_after_mb": settled_tree, "cards_s": elapsed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--rules", action="store_true",
                        help=f"import {RULES.name} first (the export's other courses are then "
                        "problem rows)")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    figures = run(args.sessions, args.rules)
    store = "the project's requirements in force" if args.rules else "an empty store"
    print(f"{figures['sessions']} session(s) uploading a {EXCEL_ROWS:,}-row xlsx "
          f"({figures['file_mb']:.1f} MB) on {store}; every card drawn after "
          f"{figures['cards_s']:.1f} s")
    print(f"server idle before upload  {figures['idle_mb']:8.0f} MB")
    print(f"server peak                {figures['server_peak_mb']:8.0f} MB")
    print(f"server high-water mark     {figures['server_hwm_mb']:8.0f} MB (VmHWM)")
    print(f"process tree peak          {figures['tree_peak_mb']:8.0f} MB (workers included)")
    print(f"server after, cards shown  {figures['server_after_mb']:8.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
