import os
import subprocess
import sys

import pytest

from bench import national_table
from bench.national_jobs import JOBS

SIZES = national_table.QUICK


def test_every_row_and_peer_of_the_table_is_a_job():
    for _, job, peer, _ in national_table.ROWS:
        assert job in JOBS
        assert peer is None or (peer in JOBS and peer in national_table.PEERS)


@pytest.mark.parametrize(
    ("mine", "other", "shown"),
    [
        ({"seconds": 2.0, "peak_mb": 800}, {"seconds": 10.0, "peak_mb": 400}, "| 5.0x |"),
        ({"seconds": 4.0, "peak_mb": 800}, {"seconds": 1.0, "peak_mb": 400}, "| 0.2x |"),
        ({"failed": "the file is too big"}, {"seconds": 1.0}, "failed: the file is too big"),
        ({"seconds": 1.0}, {"failed": "no output"}, "failed: no output"),
    ],
)
def test_the_table_shows_each_figure_its_peer_and_their_ratio(capsys, mine, other, shown):
    national_table.print_table(SIZES, {"trend": mine, "trend-per-month": other})
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3
    assert out[2].startswith(f"| 24-month trend, {SIZES.people:,} people | ")
    assert shown in out[2]
    assert "compute_status per month end" in out[2]


def test_rates_and_the_engine_split_are_shown(capsys):
    results = {
        "engine": {"seconds": 1.5, "match_seconds": 0.5, "status_seconds": 1.0, "peak_mb": 900},
        "import-sqlite": {"seconds": 2.0, "rows": 200_000, "rate": 100_000.0, "peak_mb": 500},
        "overview": {"seconds": 9.0, "filter_seconds": 0.5, "failed": "", "peak_mb": 700},
    }
    national_table.print_table(SIZES, results)
    out = capsys.readouterr().out
    assert "1.50 s (match 0.50 + statuses 1.00) | 900 MB" in out
    assert "100,000 rows/s (200,000 rows in 2.0 s)" in out
    assert "| national Overview, unit filter change | 0.50 s |" in out


def test_a_job_process_tree_peak_counts_its_children(monkeypatch):
    # A child that holds about 200 MB while the job waits for it.
    holder = "import time; block = bytearray(200 * 2**20); time.sleep(1)"
    code = (
        "import subprocess, sys, json\n"
        f"subprocess.run([sys.executable, '-c', {holder!r}], check=True)\n"
        "print(json.dumps({'seconds': 1.0, 'own_peak': 0}))\n"
    )
    original = subprocess.Popen

    def popen(command, **kwargs):
        return original([sys.executable, "-c", code], **kwargs)

    monkeypatch.setattr(national_table.subprocess, "Popen", popen)
    figures = national_table.run_job("bare-pandas", national_table.national.OUT)
    assert figures["seconds"] == 1.0
    assert figures["peak_mb"] > 200
    assert national_table.resident(os.getpid()) > 0
