"""One board report from the dashboard's reads: gathered once, written as PDF or xlsx."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from compliance import report_build
from compliance.scope import Scope
from tests.report_store import AS_OF, board_report, report_store


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return report_store(tmp_path_factory.mktemp("build"))


def test_the_report_holds_the_three_dates_and_the_data_behind_them(url: str) -> None:
    report = board_report(url)
    assert report.figures.headline["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-10-31", "2026-09-30", "2025-10-31"]
    used = report.sources.used
    assert set(used["file"]) == {"roster-jan.xlsx", "roster-nov.xlsx", "requirements.yaml",
                                 "lms-2025.csv", "lms-2026.csv", "exemptions.csv"}
    assert "wrong.csv" not in set(used["file"])


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF-"), ("xlsx", b"PK\x03\x04")])
def test_document_bytes(url: str, fmt: str, magic: bytes) -> None:
    assert report_build.document_bytes(board_report(url), fmt).startswith(magic)


@pytest.mark.parametrize(
    ("names", "demo", "file", "detail", "rows"),
    [
        (False, False, "board-report-2026-10-31.pdf", "counts only", None),
        (True, False, "board-report-2026-10-31-with-names.pdf",
         "with the names behind 60 overdue requirements", 60),
        (False, True, "DEMO-board-report-2026-10-31.pdf", "counts only", None),
    ],
)
def test_file_name_description_and_rows(url, names, demo, file, detail, rows) -> None:
    report = board_report(url, names=names)
    report = dataclasses.replace(report, cover=dataclasses.replace(report.cover, demo=demo))
    assert report_build.file_name(report, "pdf") == file
    described = report_build.describe(report, "pdf")
    assert described.startswith("board report as of 2026-10-31 as pdf; units: whole force; ")
    assert detail in described
    assert report_build.rows_named(report) == rows


def test_scope_text_and_stamping(url: str) -> None:
    assert report_build.scope_text(Scope()) == "whole force"
    assert report_build.scope_text(Scope(("North", "South / CID"))) == "North; South / CID"
    report = board_report(url)
    later = report_build.stamped(report, datetime(2026, 11, 2, 9, 30))
    assert later.cover.generated_at == datetime(2026, 11, 2, 9, 30)
    assert later.cover.as_of == AS_OF and later.figures is report.figures
