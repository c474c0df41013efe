"""``python -m compliance evidence``: the document, its audit entry, and the exit codes."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from compliance.store import Store
from tests.cli_force import run
from tests.evidence_store import sqlite_copy

ROOT = Path(__file__).resolve().parents[1]
PURPOSE = "PSD/2026/0142 complaint"


@pytest.fixture
def url(tmp_path: Path) -> str:
    return sqlite_copy(tmp_path)


def _args(url: str, out: Path, *extra: str) -> list[str]:
    return ["evidence", "--as-of", "2022-06-15", "--person", "9917", "--person", "004321",
            "--purpose", PURPOSE, "--out", str(out), "--db", url, "--user", "ds.ortiz", *extra]


def _exports(url: str):
    log = Store.open(url).audit_log()
    return log[log["action"] == "export"]


def test_pdf_written_answers_printed_and_audited_with_the_bytes_sha256(url, tmp_path,
                                                                        capsys) -> None:
    out = tmp_path / "evidence.pdf"
    code, stdout, err = run(_args(url, out, "--reference", "PSD/2026/0142", "--requester",
                                  "Insp. Hall"), capsys)
    assert code == 0, err
    assert stdout.splitlines() == [
        "Ann Lee (009917)\tManaging Information\tnot trained",
        "Ann Lee (009917)\tInformation Security Awareness\ttrained",
        "Ann Lee (009917)\tTaser\tnot required",
        "Bilal Khan (004321)\tManaging Information\tnot trained",
        "Bilal Khan (004321)\tInformation Security Awareness\ttrained",
        "Bilal Khan (004321)\tTaser\tnot required",
    ]
    assert "warning: The rules applied are the version in force now" in err
    data = out.read_bytes()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "PSD/2026/0142" in text and "Insp. Hall" in text and "ds.ortiz" in text
    exports = _exports(url)
    assert len(exports) == 1
    entry = exports.iloc[0]
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["purpose"] == PURPOSE and entry["user"] == "ds.ortiz"
    assert "Ann Lee (009917), Bilal Khan (004321)" in entry["detail"]


def test_xlsx_with_the_courses_asked_for(url, tmp_path, capsys) -> None:
    out = tmp_path / "evidence.xlsx"
    code, stdout, err = run(_args(url, out, "--course", "managing  information"), capsys)
    assert code == 0, err
    assert [line.split("\t")[1] for line in stdout.splitlines()] == ["Managing Information"] * 2
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Cover", "1 009917", "2 004321", "Sources"]
    assert _exports(url)["sha256"].tolist() == [hashlib.sha256(out.read_bytes()).hexdigest()]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--person", "7777"], "unknown person: no one with the ID '7777' is on any roster"),
        (["--course", "Taser Refresher"], "--course 'Taser Refresher' is no requirement"),
    ],
)
def test_unknown_person_or_course_exits_1_and_writes_nothing(url, tmp_path, capsys, extra,
                                                              message) -> None:
    out = tmp_path / "evidence.pdf"
    code, _, err = run(_args(url, out, *extra), capsys)
    assert code == 1
    assert message in err and "Traceback" not in err
    assert not out.exists() and _exports(url).empty


def test_a_store_with_no_data_exits_1(tmp_path, capsys) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    code, _, err = run(_args(empty, tmp_path / "e.pdf"), capsys)
    assert code == 1
    assert "the store holds no roster and no completions and no requirements" in err


@pytest.mark.parametrize(
    "change",
    [
        {"--out": "evidence.csv"}, {"--purpose": "x"}, {"--as-of": "15/06/2022"},
        {"--time": "half two"}, {"--purpose": None}, {"--person": None},
    ],
)
def test_usage_errors_exit_2(url, tmp_path, capsys, change) -> None:
    argv = _args(url, tmp_path / "evidence.pdf", "--time", "14:30")
    for flag, value in change.items():
        while flag in argv:
            at = argv.index(flag)
            del argv[at:at + 2]
        if value is not None:
            argv += [flag, str(tmp_path / value) if flag == "--out" else value]
    code, _, err = run(argv, capsys)
    assert code == 2, err
    assert _exports(url).empty


def test_runs_as_a_module_for_scheduled_scripts(url, tmp_path) -> None:
    out = tmp_path / "evidence.pdf"
    done = subprocess.run([sys.executable, "-m", "compliance", *_args(url, out)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-")
