"""The incident check as a workbook: a cover sheet, a sheet per person, the imports cited.

Written with ``compliance.export``'s workbook options: every text cell is a string (never a
formula, link or number), dates are real date cells shown as dd/mm/yyyy, and each sheet
starts with the handling marking and the title (DEMO for the demo force).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd

from compliance.evidence_layout import (
    RULES_NOTE,
    Cover,
    answer_rows,
    cover_pairs,
    person_pairs,
    source_rows,
    title,
)
from compliance.evidence_model import Evidence
from compliance.export import WORKBOOK_OPTIONS, safe_sheet_name

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "dd/mm/yyyy hh:mm"
OVERVIEW_COLUMNS = {"course": "Course", "answer": "Answer on the date", "status": "Status",
                    "due_date": "Due date"}


def evidence_xlsx(evidence: Evidence, cover: Cover) -> bytes:
    """The workbook's bytes."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    styles = _Styles(book)
    _cover_sheet(book, styles, evidence, cover)
    for number, person in enumerate(evidence.people, start=1):
        label = person.person if person.person is not None else person.sighting.person
        sheet = _sheet(book, styles, f"{number} {label['person_id']}", evidence, cover)
        sheet.write_string(2, 0, f"Person: {person.label}", styles.heading)
        row = _pairs(sheet, styles, 3, person_pairs(person))
        row = _warnings(sheet, styles, row + 1, list(person.warnings))
        _table(sheet, styles, row + 1, answer_rows(person))
    sheet = _sheet(book, styles, "Sources", evidence, cover)
    sheet.write_string(2, 0, "Imports cited (only active imports are ever cited)", styles.heading)
    _table(sheet, styles, 3, source_rows(evidence))
    book.close()
    return buffer.getvalue()


class _Styles:
    """The few cell formats the workbook uses."""

    def __init__(self, book: Workbook) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.marking = book.add_format({"bold": True, "font_color": "#9c0006"})
        self.heading = book.add_format({"bold": True, "font_size": 12})
        self.label = book.add_format({"bold": True, "valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.warning = book.add_format({"bold": True, "bg_color": "#fff3cd", "text_wrap": True})
        self.header = book.add_format({"bold": True, "bg_color": "#e1e6ee", "text_wrap": True,
                                       "valign": "top", "border": 1})
        self.date = book.add_format({"num_format": DATE_FORMAT, "valign": "top"})
        self.time = book.add_format({"num_format": TIME_FORMAT, "valign": "top"})


def _cover_sheet(book: Workbook, styles: _Styles, evidence: Evidence, cover: Cover) -> None:
    sheet = _sheet(book, styles, "Cover", evidence, cover)
    row = _pairs(sheet, styles, 3, cover_pairs(evidence, cover))
    row = _warnings(sheet, styles, row + 1, evidence.warnings)
    for person in evidence.people:
        sheet.write_string(row + 1, 0, f"Person: {person.label}", styles.heading)
        row = _warnings(sheet, styles, row + 2, list(person.warnings))
        overview = person.answers[list(OVERVIEW_COLUMNS)].rename(columns=OVERVIEW_COLUMNS)
        row = _table(sheet, styles, row, overview)
    sheet.write_string(row + 1, 0, RULES_NOTE, styles.wrap)


def _sheet(book: Workbook, styles: _Styles, name: str, evidence: Evidence,
           cover: Cover) -> Worksheet:
    """A sheet that opens with the marking and the title, text cells always strings."""
    sheet = book.add_worksheet(safe_sheet_name(name))
    sheet.add_write_handler(str, lambda s, r, c, value, *rest: s.write_string(r, c, value, *rest))
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 20, 18)
    sheet.write_string(0, 0, cover.marking, styles.marking)
    sheet.write_string(1, 0, title(evidence, cover), styles.title)
    return sheet


def _pairs(sheet: Worksheet, styles: _Styles, row: int, pairs: list[tuple[str, str]]) -> int:
    """Label / value lines from ``row``; the row after the last."""
    for label, value in pairs:
        sheet.write_string(row, 0, label, styles.label)
        sheet.write_string(row, 1, value, styles.wrap)
        row += 1
    return row


def _warnings(sheet: Worksheet, styles: _Styles, row: int, warnings: list[str] | tuple) -> int:
    for warning in warnings:
        sheet.write_string(row, 0, "Warning", styles.warning)
        sheet.write_string(row, 1, warning, styles.warning)
        row += 1
    return row


def _table(sheet: Worksheet, styles: _Styles, row: int, frame: pd.DataFrame) -> int:
    """``frame`` with a header row from ``row``: dates as date cells, NA as empty cells."""
    for position, column in enumerate(frame.columns):
        sheet.write_string(row, position, str(column), styles.header)
        series = frame[column]
        fmt = styles.wrap
        if pd.api.types.is_datetime64_any_dtype(series):
            timed = (series.dropna() != series.dropna().dt.normalize()).any()
            fmt = styles.time if timed else styles.date
        values = series.astype(object).where(series.notna(), None).tolist()
        sheet.write_column(row + 1, position, values, fmt)
    return row + len(frame) + 2
