"""The board report as a workbook: one sheet per part, real dates, and native Excel charts.

The compliance trend is a line chart and compliance by unit a column chart, both with the
target as a line, drawn by Excel from the cells (XlsxWriter ``add_chart``), so a board
member can restyle or copy them. Every sheet carries the handling marking in its first row
and in the printed header. Text is always written as a string, never a formula or link
(the workbook options of :mod:`compliance.export`), dates are date cells shown dd/mm/yyyy.
"""

from __future__ import annotations

import io

import pandas as pd
import xlsxwriter
from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from compliance.export import WORKBOOK_OPTIONS, safe_sheet_name
from compliance.report_tables import (
    RATE_COLUMNS,
    TITLE,
    BoardReport,
    Section,
    cover_lines,
    headline_sentences,
    labelled,
    sections,
)

SHEETS: dict[str, str] = {
    "headline": "Report", "units_1": "Units", "units_2": "Units", "courses": "Courses",
    "trend": "Trend", "bands": "Overdue", "longest": "Overdue", "pending": "Pending and exempt",
    "exemptions": "Pending and exempt", "sources": "Data", "method": "Data", "matching": "Data",
    "names": "Names",
}
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
WIDTH = 16
WIDE = {"unit": 44, "course": 34, "file": 36, "sha256": 66, "name": 28, "period": 14}
CHART_SIZE = {"x_scale": 1.6, "y_scale": 1.3}
WARNING_COLUMNS = 9
WARNING_LINE = 150
"""Characters of a warning per line across its merged cells (for the row's height)."""
CELL_LIMIT = 32_767
"""Characters Excel keeps in a cell: longer text is cut here with a note saying so."""


def report_xlsx(report: BoardReport) -> bytes:
    """The report's workbook bytes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    writer = _Writer(workbook, report)
    writer.cover()
    for section in sections(report):
        writer.section(section)
    writer.charts()
    workbook.close()
    return buffer.getvalue()


def fit_cell(text: str) -> str:
    """``text`` as one cell holds it: whole, or cut to Excel's limit with a note of how
    long it was (Excel would cut it silently)."""
    units = text.encode("utf-16-le")
    if len(units) // 2 <= CELL_LIMIT:
        return text
    note = f" [cut: {len(text):,} characters in the source]"
    kept = units[: (CELL_LIMIT - len(note)) * 2].decode("utf-16-le", errors="ignore")
    return kept + note


class _Writer:
    """Sheets filled top to bottom; where each table landed is kept for the charts."""

    def __init__(self, workbook: Workbook, report: BoardReport) -> None:
        self.workbook = workbook
        self.report = report
        self.sheets: dict[str, Worksheet] = {}
        self.rows: dict[str, int] = {}
        self.placed: dict[str, tuple[str, int, pd.DataFrame]] = {}
        add = workbook.add_format
        self.formats = {
            "title": add({"bold": True, "font_size": 14}),
            "marking": add({"bold": True, "font_color": "#8b0000"}),
            "heading": add({"bold": True, "font_size": 12}),
            "header": add({"bold": True, "bg_color": "#e1e6ee", "border": 1, "text_wrap": True,
                           "valign": "top"}),
            "label": add({"bold": True}),
            "warning": add({"bold": True, "bg_color": "#fff3cd", "text_wrap": True,
                            "valign": "top", "border": 1}),
            "note": add({"italic": True, "font_color": "#5a5a5a"}),
            "date": add({"num_format": DATE_FORMAT}),
            "cover_date": add({"num_format": DATE_FORMAT, "align": "left"}),
            "datetime": add({"num_format": DATETIME_FORMAT}),
            "rate": add({"num_format": "0.0%"}),
            "number": add({"num_format": "#,##0"}),
        }

    def sheet(self, name: str) -> Worksheet:
        """The sheet called ``name``, made with its marking row and printed header."""
        if name not in self.sheets:
            sheet = self.workbook.add_worksheet(safe_sheet_name(name))
            marking = self.report.cover.marking
            sheet.write_string(0, 0, marking, self.formats["marking"])
            sheet.set_header(f"&C&B{marking.replace('&', '&&')}")
            sheet.set_footer(f"&L{TITLE.replace('&', '&&')}&RPage &P of &N")
            sheet.set_landscape()
            sheet.fit_to_pages(1, 0)
            sheet.set_column(0, 0, WIDE["unit"])
            sheet.set_column(1, 12, WIDTH)
            self.sheets[name] = sheet
            self.rows[name] = 2
        return self.sheets[name]

    def cover(self) -> None:
        sheet, formats = self.sheet(SHEETS["headline"]), self.formats
        sheet.write_string(1, 0, TITLE, formats["title"])
        row = 3
        for label, value in cover_lines(self.report):
            sheet.write_string(row, 0, label, formats["label"])
            if label == "Report for":
                sheet.write_datetime(row, 1, self.report.cover.as_of.to_pydatetime(),
                                     formats["cover_date"])
            else:
                sheet.write_string(row, 1, value)
            row += 1
        row += 1
        for line in headline_sentences(self.report.figures):
            sheet.write_string(row, 0, line)
            row += 1
        for warning in self.report.sources.warnings:
            text = f"Warning: {warning}"
            sheet.merge_range(row, 0, row, WARNING_COLUMNS - 1, text, formats["warning"])
            sheet.set_row(row, 15 * (1 + len(text) // WARNING_LINE))
            row += 1
        self.rows[SHEETS["headline"]] = row + 1

    def section(self, section: Section) -> None:
        name = SHEETS[section.key]
        sheet = self.sheet(name)
        row = self.rows[name]
        sheet.write_string(row, 0, section.heading, self.formats["heading"])
        row += 1
        for line in section.note.splitlines():
            sheet.write_string(row, 0, line, self.formats["note"])
            row += 1
        if section.table is not None:
            self.placed[section.key] = (name, row, section.table)
            row = self._table(sheet, row, section.table)
        self.rows[name] = row + 2

    def _table(self, sheet: Worksheet, row: int, table: pd.DataFrame) -> int:
        """Headers then columns; returns the row after the last."""
        shown = labelled(table)
        for position, (column, label) in enumerate(zip(table.columns, shown.columns,
                                                       strict=True)):
            sheet.write_string(row, position, str(label), self.formats["header"])
            self._column(sheet, row + 1, position, column, table[column])
            if column in WIDE:
                sheet.set_column(position, position, WIDE[column])
        return row + 1 + len(table)

    def _column(self, sheet: Worksheet, row: int, position: int, column: str,
                values: pd.Series) -> None:
        if pd.api.types.is_datetime64_any_dtype(values):
            timed = (values.dropna() != values.dropna().dt.normalize()).any()
            cell = self.formats["datetime" if timed else "date"]
            for offset, value in enumerate(values):
                if pd.notna(value):
                    sheet.write_datetime(row + offset, position, value.to_pydatetime(), cell)
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            cell = self.formats["rate" if column in RATE_COLUMNS else "number"]
            for offset, value in enumerate(values.astype(float)):
                if pd.notna(value):
                    sheet.write_number(row + offset, position, value, cell)
        else:
            for offset, value in enumerate(values.astype(object)):
                if value is not None and not pd.isna(value):
                    sheet.write_string(row + offset, position, fit_cell(str(value)))

    def charts(self) -> None:
        """The trend line and the level-1 units' columns, each with the target line."""
        name, row, table = self.placed["trend"]
        if len(table):
            chart = self._chart("line", name, row, table, "date",
                                "Compliance rate at each month end")
            chart.set_x_axis({"date_axis": True, "num_format": "mmm yy"})
            self.sheets[name].insert_chart(row, len(table.columns) + 1, chart, CHART_SIZE)
        name, row, table = self.placed["units_1"]
        units = table[table["unit"] != "ALL"]
        if len(units):
            chart = self._chart("column", name, row, units, "unit", "Compliance by unit")
            self.sheets[name].insert_chart(row, len(table.columns) + 1, chart, CHART_SIZE)

    def _chart(self, kind: str, name: str, row: int, table: pd.DataFrame, category: str,
               title: str) -> Chart:
        """A chart of the rate column with the target column as a dashed line over it."""
        sheet_name = self.sheets[name].name
        first, last = row + 1, row + len(table)
        column = table.columns.get_loc
        categories = [sheet_name, first, column(category), last, column(category)]
        chart = self.workbook.add_chart({"type": kind})
        chart.add_series({
            "name": "Compliance rate", "categories": categories,
            "values": [sheet_name, first, column("compliance_rate"), last,
                       column("compliance_rate")],
            **({"marker": {"type": "circle", "size": 4}} if kind == "line" else {}),
        })
        target = self.workbook.add_chart({"type": "line"})
        target.add_series({
            "name": "Target", "categories": categories,
            "values": [sheet_name, first, column("target"), last, column("target")],
            "line": {"color": "#2e7d32", "dash_type": "dash", "width": 1.5},
        })
        chart.combine(target)
        chart.set_title({"name": title})
        chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%",
                          "major_gridlines": {"visible": True,
                                              "line": {"color": "#e5e5e5"}}})
        chart.set_legend({"position": "bottom"})
        return chart
