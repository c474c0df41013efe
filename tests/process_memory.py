"""Peak memory of this process and every process it starts, taken from /proc while a block runs.

The parsing worker is a child of a forkserver, not of the test process, so
``getrusage(RUSAGE_CHILDREN)`` never sees it while the forkserver lives. Instead the
peak resident size (``VmHWM``) of this process is reset on entry and read on exit, and
a thread visits every descendant (``/proc/PID/task/TID/children``) every few
milliseconds, keeping the highest ``VmHWM`` each one reached. The tree's peak is taken
as the sum of those peaks: never less than the real simultaneous peak (pages shared
after a fork count twice), so a test holding it under a cap errs on the safe side. A
process living less than one sampling interval may go unseen; such a short life cannot
build much.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

SAMPLE_S = 0.005


class TreePeak:
    """``with TreePeak() as peak: ...`` then ``peak.total`` (bytes) and ``peak.by_process``."""

    def __init__(self) -> None:
        self.by_process: dict[int, int] = {}
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    @property
    def total(self) -> int:
        return sum(self.by_process.values())

    def __enter__(self) -> TreePeak:
        for pid in [os.getpid(), *descendants(os.getpid())]:
            reset_peak(pid)
        self._sampler.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._sampler.join()
        self._record()
        self.by_process[os.getpid()] = peak_resident(os.getpid())

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            self._record()

    def _record(self) -> None:
        for pid in descendants(os.getpid()):
            self.by_process[pid] = max(self.by_process.get(pid, 0), peak_resident(pid))


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid``, children before their own children."""
    found, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def peak_resident(pid: int) -> int:
    """``VmHWM`` of ``pid`` in bytes (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def reset_peak(pid: int) -> None:
    """Make ``VmHWM`` start again from the current resident size (Linux 4.0 and later)."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def _children(pid: int) -> list[int]:
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    out = []
    for task in tasks:
        try:
            out.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return out
