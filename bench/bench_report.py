"""How long the monthly board report takes for a large force, against ``summary`` on the same store.

Builds the national data set (``bench/national.py``, scaled by ``--people``) into a
temporary SQLite store, then times in one process, ``--repeat`` times each: the ``summary``
command (one snapshot: the peer), and the ``report`` command as xlsx and as PDF (three
snapshots, the 24-month trend, the charts and the document). Prints the medians, the
ratio to the peer and the documents' sizes.

    .venv/bin/python bench/bench_report.py [--people 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import national
from compliance.cli import main as cli

AS_OF = "2026-10-31"


def timed(argv: list[str], repeat: int) -> float:
    """Median seconds of ``python -m compliance ARGV`` run in this process."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            code = cli(argv)
        times.append(time.perf_counter() - began)
        if code != 0:
            raise SystemExit(f"{' '.join(argv)} exited {code}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        url = f"sqlite:///{folder / 'national.sqlite'}"
        data = national.national_frames(people=args.people, completions=args.people * 10)
        national.build_store(url, data).engine.dispose()
        print(f"store: {len(data.roster):,} people, {len(data.completions):,} completions")
        peer = timed(["summary", "--as-of", AS_OF, "--db", url, "--level", "2",
                      "--out", str(folder / "summary.csv")], args.repeat)
        print(f"summary --level 2 (peer)  {peer:6.2f} s")
        for fmt in ("xlsx", "pdf"):
            out = folder / f"board.{fmt}"
            seconds = timed(["report", "--as-of", AS_OF, "--db", url, "--out", str(out),
                             "--user", "bench"], args.repeat)
            print(f"report {fmt:<4}               {seconds:6.2f} s  ({seconds / peer:4.1f} x "
                  f"summary; {out.stat().st_size / 1e3:,.0f} kB)")


if __name__ == "__main__":
    main()
