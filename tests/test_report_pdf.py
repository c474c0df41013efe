"""The board report PDF, read back as text (pypdf): figures, warnings, marking on every page,
charts as images, names only in the appendix, text from files drawn as written."""

from __future__ import annotations

import dataclasses
import io

import pypdf
import pytest

from compliance.report_pdf import report_pdf
from tests.report_store import KNOWN_NAME, board_report, report_store

HOSTILE_UNIT = "$\\frac{1}{2}$ <b>North</b> **bold** [x](http://evil.example)"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return report_store(tmp_path_factory.mktemp("pdf"))


def _pages(data: bytes) -> list[str]:
    """Each page's text with runs of white space as one space."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_text_holds_the_figures_and_every_warning(url: str) -> None:
    report = board_report(url)
    pages = _pages(report_pdf(report))
    text = " ".join(pages)
    rate = report.figures.rate("this month")
    assert f"Compliance rate on 31 October 2026: {rate:.1%} (target 90%)." in text
    assert "Personal data none: counts only" in text
    for warning in report.sources.warnings:
        assert _flat(f"Warning: {warning}") in text
    assert report.sources.warnings, "the generated force's roster is stale on purpose"
    for heading in ("Headline", "Compliance by unit (level 1)", "Compliance by unit (level 2)",
                    "Compliance by course", "Trend: month ends", "Overdue by days overdue",
                    "Longest-overdue units (level 2)", "New starters and deadlines pending",
                    "Exemptions in force", "Data behind the figures",
                    "How the figures are computed"):
        assert heading in text
    units = report.figures.units[2]
    for unit, in_scope, overdue, rate in units[
            ["unit", "in_scope", "overdue", "compliance_rate"]].itertuples(index=False):
        assert f"{unit} {in_scope:,} " in text and f" {overdue:,} " in text
        assert f"{rate:.1%}" in text
    assert "roster-nov.xlsx" in text and "wrong.csv" not in text


def test_every_page_is_marked_and_numbered(url: str) -> None:
    pages = _pages(report_pdf(board_report(url)))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, number
        assert f"Page {number} of {len(pages)}" in page
        assert "Mandatory training compliance: board report" in page


def test_page_one_has_the_trend_chart_and_page_two_the_units_chart(url: str) -> None:
    reader = pypdf.PdfReader(io.BytesIO(report_pdf(board_report(url))))
    assert len(reader.pages[0].images) == 1
    assert len(reader.pages[1].images) == 1
    assert "Compliance by unit (level 1)" in reader.pages[1].extract_text()


def test_a_demo_report_says_so_on_every_page(url: str) -> None:
    report = board_report(url)
    demo = dataclasses.replace(report, cover=dataclasses.replace(report.cover, demo=True))
    for page in _pages(report_pdf(demo)):
        assert "DEMO - fictional force - OFFICIAL-SENSITIVE" in page


def test_names_only_in_the_appendix_when_asked(url: str) -> None:
    assert KNOWN_NAME not in " ".join(_pages(report_pdf(board_report(url))))
    named = board_report(url, names=True)
    cover = dataclasses.replace(named.cover, purpose="Board meeting: ref BRD-2026-11")
    pages = _pages(report_pdf(dataclasses.replace(named, cover=cover)))
    start = next(i for i, page in enumerate(pages) if "Appendix: overdue people" in page)
    assert KNOWN_NAME in " ".join(pages[start:])
    assert KNOWN_NAME not in " ".join(pages[:start])
    assert "Purpose Board meeting: ref BRD-2026-11" in pages[0]


def test_text_from_files_is_drawn_as_written(url: str) -> None:
    report = board_report(url)
    units = report.figures.units[2].assign(
        unit=[HOSTILE_UNIT, *report.figures.units[2]["unit"][1:]])
    hostile = dataclasses.replace(report, figures=dataclasses.replace(
        report.figures, units={**report.figures.units, 2: units}))
    assert _flat(HOSTILE_UNIT) in " ".join(_pages(report_pdf(hostile)))


def test_a_cell_taller_than_a_page_is_cut_with_a_note(url: str) -> None:
    named = board_report(url, names=True)
    names = named.names.assign(name=["N" * 100_000, *named.names["name"][1:]])
    text = " ".join(_pages(report_pdf(dataclasses.replace(named, names=names))))
    assert "[cut: 100,000 characters]" in text and "N" * 5_000 not in text.replace(" ", "")
