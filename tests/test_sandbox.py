"""Whatever a child does, the parent gets a LoaderError and the child is reaped."""

from __future__ import annotations

import logging
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loaders.errors import LoaderError
from loaders.limits import MB, Limits
from loaders.sandbox import UNSAFE_MESSAGE, run_isolated
from tests import hostile

LIMITS = Limits(max_memory=512 * MB, timeout_s=20)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_child_left() -> None:
    yield
    assert multiprocessing.active_children() == []


def test_result_comes_back() -> None:
    assert run_isolated(sorted, [3, 1, 2], limits=LIMITS) == [1, 2, 3]


MAIN_SCRIPT = """
import sys
import xml.dom.minidom  # the mark of this script having run

from loaders.limits import Limits
from loaders.sandbox import run_isolated
from tests.worker_probe import imported

if __name__ == "__main__":
    names = ["xml.dom.minidom", "pandas", "pyarrow", "fastexcel"]
    print(run_isolated(imported, names, limits=Limits(timeout_s=60)))
"""


def test_the_worker_has_its_libraries_but_not_the_main_script(tmp_path: Path) -> None:
    """The forkserver preloads the readers and pandas, and its children do not re-run the
    parent's main script (the Streamlit launcher, a bench script)."""
    script = tmp_path / "main.py"
    script.write_text(MAIN_SCRIPT)
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=environment,
        timeout=120, check=True,
    )
    assert done.stdout.strip() == "['pandas', 'pyarrow', 'fastexcel']"


def test_loader_error_keeps_its_details() -> None:
    with pytest.raises(LoaderError) as raised:
        run_isolated(hostile.refuse_file, "roster.xlsx", limits=LIMITS, file="roster.xlsx")
    error = raised.value
    details = (error.file, error.row, error.column, error.reason)
    assert details == ("roster.xlsx", 3, "B", "no_header")
    assert str(error) == "roster.xlsx, row 3, column 'B': no header row found"


@pytest.mark.parametrize(
    ("func", "limits", "reason"),
    [
        (hostile.fail_unexpectedly, LIMITS, "unsafe"),
        (hostile.allocate_forever, Limits(max_memory=256 * MB, timeout_s=20), "unsafe"),
        (hostile.abort_process, LIMITS, "unsafe"),
        (hostile.sleep_forever, Limits(timeout_s=0.5), "timeout"),
    ],
)
def test_hostile_children_become_loader_errors(func, limits: Limits, reason: str) -> None:
    started = time.monotonic()
    with pytest.raises(LoaderError) as raised:
        run_isolated(func, limits=limits, file="bad.xlsx")
    assert raised.value.reason == reason
    assert str(raised.value).startswith(f"bad.xlsx: {UNSAFE_MESSAGE}")
    assert time.monotonic() - started < 15


def test_an_error_while_the_child_works_stands_and_stops_the_child() -> None:
    def refuse() -> None:
        raise LoaderError("refused by the checks", file="bad.xlsx", reason="hostile_xml")

    started = time.monotonic()
    with pytest.raises(LoaderError) as raised:
        run_isolated(hostile.sleep_forever, limits=LIMITS, file="bad.xlsx", meanwhile=refuse)
    assert raised.value.reason == "hostile_xml"
    assert time.monotonic() - started < 5


def test_the_time_limit_counts_from_the_start_of_the_child() -> None:
    started = time.monotonic()
    with pytest.raises(LoaderError) as raised:
        run_isolated(
            hostile.sleep_forever, limits=Limits(timeout_s=2), file="slow.xlsx",
            meanwhile=lambda: time.sleep(1.5),
        )
    assert raised.value.reason == "timeout"
    assert time.monotonic() - started < 3.5


@pytest.mark.parametrize(
    ("func", "level", "words"),
    [
        (hostile.fail_unexpectedly, logging.ERROR, "the worker reading bad.xlsx failed: "
         "ValueError: boom"),
        (hostile.abort_process, logging.WARNING, "the worker reading bad.xlsx died (exit code -6)"),
    ],
)
def test_a_failing_worker_is_logged(func, level: int, words: str, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="loaders.sandbox")
    with pytest.raises(LoaderError):
        run_isolated(func, limits=LIMITS, file="bad.xlsx")
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [(level, words)]


def test_running_out_of_memory_says_how_much_was_allowed() -> None:
    limits = Limits(max_memory=256 * MB, timeout_s=20)
    with pytest.raises(LoaderError) as raised:
        run_isolated(hostile.allocate_forever, limits=limits, file="big.xlsx")
    assert str(raised.value) == (
        f"big.xlsx: {UNSAFE_MESSAGE}; reading it needed more than the 256 MB allowed: "
        "export only the rows and columns needed"
    )
