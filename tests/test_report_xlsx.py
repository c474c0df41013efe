"""The board report workbook: its cells hold the report's figures, dates are date cells, text
is never a formula, every sheet is marked, and the trend and units are native charts."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from compliance.report_xlsx import fit_cell, report_xlsx
from tests.report_store import KNOWN_NAME, board_report, report_store

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return report_store(tmp_path_factory.mktemp("xlsx"))


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _table(sheet, heading: str) -> pd.DataFrame:
    """The table under ``heading`` (its header row next, then rows until a blank one)."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row[0] == heading) + 1
    while rows[start][1] is None and rows[start][0] is not None and start + 1 < len(rows):
        start += 1
    header = [cell for cell in rows[start] if cell is not None]
    body = []
    for row in rows[start + 1:]:
        if row[0] is None:
            break
        body.append(row[: len(header)])
    return pd.DataFrame(body, columns=header)


def _all_text(book: openpyxl.Workbook) -> str:
    return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)


def test_the_cells_hold_the_reports_figures(url: str) -> None:
    report = board_report(url)
    book = _book(report_xlsx(report))
    assert book.sheetnames == ["Report", "Units", "Courses", "Trend", "Overdue",
                               "Pending and exempt", "Data"]
    for level in (1, 2):
        heading = f"Compliance by unit (level {level})"
        shown = _table(book["Units"], heading)
        expected = report.figures.units[level]
        assert shown["Unit"].tolist() == expected["unit"].tolist()
        assert shown["In scope"].tolist() == expected["in_scope"].tolist()
        assert shown["Overdue"].tolist() == expected["overdue"].tolist()
        assert shown["Compliance rate"].tolist() == pytest.approx(
            expected["compliance_rate"].tolist())
    headline = _table(book["Report"], "Headline")
    assert headline["Period"].tolist() == ["this month", "last month", "last year"]
    assert headline["Compliance rate"].tolist() == pytest.approx(
        report.figures.headline["compliance_rate"].tolist())
    trend = _table(book["Trend"], "Trend: month ends")
    assert len(trend) == 25 and trend["Date"].iloc[-1] == pd.Timestamp("2026-10-31")
    data = _table(book["Data"], "Data behind the figures")
    assert "wrong.csv" not in data["File"].tolist() and "lms-2026.csv" in data["File"].tolist()
    assert all(re.fullmatch(r"[0-9a-f]{64}", sha) for sha in data["File sha256"])


def test_dates_are_date_cells_shown_day_first_and_rates_percentages(url: str) -> None:
    book = _book(report_xlsx(board_report(url)))
    report = book["Report"]
    cover = {row[0].value: row[1] for row in report.iter_rows(min_row=4, max_row=12)}
    assert cover["Report for"].is_date and cover["Report for"].number_format == "dd/mm/yyyy"
    trend = book["Trend"]
    dates = [cell for cell in trend["A"] if cell.is_date]
    assert len(dates) == 25 and {cell.number_format for cell in dates} == {"dd/mm/yyyy"}
    rates = [row[7] for row in trend.iter_rows(min_row=5, max_row=29)]
    assert {cell.number_format for cell in rates} == {"0.0%"}


def test_every_sheet_is_marked_on_screen_and_in_print(url: str) -> None:
    book = _book(report_xlsx(board_report(url)))
    for sheet in book:
        assert sheet["A1"].value == "OFFICIAL-SENSITIVE"
        assert "OFFICIAL-SENSITIVE" in sheet.oddHeader.center.text


def test_the_trend_and_the_units_are_native_charts_with_the_target(url: str) -> None:
    data = report_xlsx(board_report(url))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = sorted(name for name in archive.namelist()
                        if re.fullmatch(r"xl/charts/chart\d+\.xml", name))
        xml = {name: archive.read(name).decode("utf-8") for name in charts}
    assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
    ranges = {name: re.findall(r"<c:f>([^<]*)</c:f>", text) for name, text in xml.items()}
    units, trend = (xml[name] for name in charts)
    assert ranges[charts[0]] == ["Units!$A$5:$A$6", "Units!$H$5:$H$6", "Units!$A$5:$A$6",
                                 "Units!$I$5:$I$6"], "two level-1 units: rate, then target"
    assert ranges[charts[1]] == ["Trend!$A$5:$A$29", "Trend!$H$5:$H$29", "Trend!$A$5:$A$29",
                                 "Trend!$I$5:$I$29"], "25 month ends: rate, then target"
    assert "<c:barChart>" in units and "<c:lineChart>" in units
    assert trend.count("<c:lineChart>") == 2 and "<c:dateAx>" in trend
    assert "Target" in trend and "Target" in units


def test_text_from_files_is_never_a_formula(url: str) -> None:
    report = board_report(url)
    units = report.figures.units[1].assign(unit=[FORMULA, *report.figures.units[1]["unit"][1:]])
    hostile = dataclasses.replace(report, figures=dataclasses.replace(
        report.figures, units={**report.figures.units, 1: units}))
    sheet = _book(report_xlsx(hostile))["Units"]
    cell = next(cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA)
    assert cell.data_type == "s"


def test_names_only_in_the_appendix_when_asked(url: str) -> None:
    plain = _book(report_xlsx(board_report(url)))
    assert KNOWN_NAME not in _all_text(plain)
    named = _book(report_xlsx(board_report(url, names=True)))
    assert named.sheetnames[-1] == "Names"
    appendix = _table(named["Names"], "Appendix: overdue people")
    assert KNOWN_NAME in appendix["Name"].tolist()
    assert appendix["Days overdue"].tolist() == sorted(appendix["Days overdue"], reverse=True)


@pytest.mark.parametrize(
    ("text", "kept"),
    [("short", "short"), ("x" * 32_767, "x" * 32_767), ("x" * 40_000, None), ("😀" * 20_000, None)],
)
def test_text_longer_than_excel_keeps_is_cut_with_a_note(text: str, kept: str | None) -> None:
    cell = fit_cell(text)
    if kept is not None:
        assert cell == kept
        return
    assert len(cell.encode("utf-16-le")) // 2 <= 32_767
    assert cell.endswith(f" [cut: {len(text):,} characters in the source]")
    assert text.startswith(cell.rsplit(" [cut: ", 1)[0])
