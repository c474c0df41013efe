"""Real-world files: every spreadsheet from other projects' test suites, read as in production.

``../shared/corpus/wild`` holds ~245 files gathered from the test suites of SheetJS,
calamine, ExcelDataReader, PhpSpreadsheet, openpyxl, xlrd, csvkit and others
(``MANIFEST.tsv`` names the source of each). Each is read once in the capped worker with
the default limits and loaded as completions and as a roster. Whatever it is, the
answer is a usable load or one line naming the file; no exception escapes and the worker
never fails on a bug of ours; it takes under 30 s and the whole process tree stays
under 1.5 GB. The files stay in the shared folder and are never copied here.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from loaders import load_completions, load_roster
from loaders.errors import LoaderError
from loaders.limits import MB, Limits
from loaders.readers import read_workbook
from loaders.sandbox import run_isolated
from tests.environment import unavailable
from tests.hostile import hold_memory
from tests.process_memory import TreePeak

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "wild"
MANIFEST = "MANIFEST.tsv"
MAX_SECONDS = 30.0
MAX_TREE_BYTES = 1536 * MB


def corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return ["(corpus missing)"]
    return sorted(p.name for p in CORPUS.iterdir() if p.is_file() and p.name != MANIFEST)


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not (CORPUS / MANIFEST).is_file():
        unavailable(f"the real-world corpus is not at {CORPUS}")
    return CORPUS


def outcomes(data: bytes, name: str) -> list[str | None]:
    """What a user would be told: the refusal, else each load's fatal line (None: usable)."""
    try:
        book = read_workbook(data, name)
    except LoaderError as error:
        return [str(error)]
    return [
        loader(book, name).report.fatal_message() for loader in (load_completions, load_roster)
    ]


@pytest.mark.parametrize("name", corpus_files())
def test_corpus_file_is_read_or_refused_in_one_line(
    corpus: Path, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    data = (corpus / name).read_bytes()
    caplog.set_level(logging.WARNING, logger="loaders")
    with TreePeak() as peak:
        started = time.monotonic()
        told = outcomes(data, name)
        elapsed = time.monotonic() - started
    for line in filter(None, told):
        assert line.startswith((f"{name}: ", f"{name}, ")), line
        assert "\n" not in line, line
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert elapsed < MAX_SECONDS, f"{name} took {elapsed:.1f} s"
    assert peak.total < MAX_TREE_BYTES, f"{name}: the tree peaked at {peak.total / MB:.0f} MB"


def test_manifest_names_every_file(corpus: Path) -> None:
    listed = {line.split("\t")[0] for line in (corpus / MANIFEST).read_text().splitlines()[1:]}
    assert set(corpus_files()) - listed == set()


def test_tree_peak_sees_a_worker_that_allocates() -> None:
    """The measure can fail: a worker filling 200 MB shows in the total."""
    run_isolated(hold_memory, 0, limits=Limits())  # the forkserver is up before measuring
    with TreePeak() as idle:
        run_isolated(hold_memory, 0, limits=Limits())
    with TreePeak() as busy:
        run_isolated(hold_memory, 200 * MB, limits=Limits())
    assert busy.total - idle.total > 180 * MB
