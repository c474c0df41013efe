"""The dashboard server's allocator settings: Arrow's set when it starts; during a load, freed
large blocks go back to the system, and after it glibc keeps serving them from its heaps."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from compliance import allocator
from tests.pages import app

ROOT = Path(__file__).resolve().parents[1]
FRAGMENT = """
import sys
from pathlib import Path

import numpy as np

from compliance import allocator

def anonymous_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024

def fragment():
    np.ones(1 << 20).sum()  # one 8 MB block freed: glibc's threshold slides up to that size
    before = anonymous_mb()
    big, small = [], []
    for _ in range(40):
        big.append(np.ones(1 << 20))
        small.append(np.ones(512))  # kept: a small block after each big one pins the heap
    del big
    return anonymous_mb() - before

if sys.argv[1] == "during":
    with allocator.large_blocks_returned():
        kept = fragment()
else:
    if sys.argv[1] == "after":
        with allocator.large_blocks_returned():
            pass
    kept = fragment()
print(kept)
"""
"""320 MB of 8 MB arrays freed between small blocks that stay, as a load's columns are."""


def _kept_mb(mode: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", FRAGMENT, mode], cwd=ROOT, check=True, capture_output=True,
        text=True,
    )
    return float(done.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_freed_large_blocks_go_back_to_the_system_during_a_load_only():
    assert _kept_mb("default") > 200  # glibc as it comes keeps them: what a load must avoid
    assert _kept_mb("during") < 20
    assert _kept_mb("after") > 200  # outside loads the heaps serve them again (the engine)


def test_thresholds_go_back_only_when_the_last_overlapping_load_ends(monkeypatch):
    calls = []
    monkeypatch.setattr(allocator, "_mallopt", lambda: lambda *args: calls.append(args) or 1)
    low = [(allocator.M_MMAP_THRESHOLD, allocator.LOAD_MMAP_BYTES),
           (allocator.M_TRIM_THRESHOLD, allocator.LOAD_MMAP_BYTES)]
    with allocator.large_blocks_returned():
        with allocator.large_blocks_returned():
            assert calls == low
        assert calls == low
    assert calls[2:] == [(allocator.M_MMAP_THRESHOLD, allocator.WARM_MMAP_BYTES),
                         (allocator.M_TRIM_THRESHOLD, 2 * allocator.WARM_MMAP_BYTES)]


def test_the_dashboard_puts_arrow_on_the_system_allocator_when_it_starts(monkeypatch, tmp_path):
    allocator.configure.cache_clear()
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    try:
        at = app(monkeypatch, f"sqlite:///{tmp_path / 'empty.sqlite'}", role=None)
        assert not at.exception
        assert pa.default_memory_pool().backend_name == "system"
        assert allocator.configure.cache_info().currsize == 1
    finally:
        pa.set_memory_pool(previous)

