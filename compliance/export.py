"""CSV and XLSX files of status tables and overdue lists, safe to open anywhere.

Exports hold personal data typed in by other people, so no cell may run as a formula in
a spreadsheet program (CSV injection): text that a spreadsheet would read as a formula
gets a leading apostrophe in CSV, and XLSX cells are always written as strings, never
formulas or links. Missing values are empty cells. CSV dates are ISO ``YYYY-MM-DD``; XLSX
dates are real date cells shown ``dd/mm/yyyy``, as people in a UK force read them.

An XLSX of people carries a header block above the table (:class:`compliance.heading.Heading`).
Excel holds at most 32,767 characters in a cell: longer text is cut with a note in the cell
saying so, and the cut cells are listed (in the header block, else on a "Notes" sheet);
the CSV keeps the whole text.

CSV is UTF-8 *with* a byte-order mark: without it Excel reads the file as Windows-1252
and turns names such as "Zoë" or "Seán" into mojibake; with it Excel, LibreOffice,
pandas (``encoding="utf-8-sig"``) and Python's ``csv`` all read it correctly.

>>> frame = pd.DataFrame({"name": ["=HYPERLINK(\\"x\\")"], "due": [pd.Timestamp("2026-01-31")]})
>>> to_csv_bytes(frame).decode("utf-8-sig").splitlines()[1]
'"\\'=HYPERLINK(""x"")",2026-01-31'
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

import pandas as pd

from compliance import cell_limit
from compliance.errors import ExportError

if TYPE_CHECKING:
    from xlsxwriter.format import Format as Format_
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    from compliance.heading import Heading

FORMULA_START = re.compile("^[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]")
"""First characters that make a spreadsheet treat text as a formula (incl. full-width)."""
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"
MAX_COLUMN_WIDTH = 50
LABEL_WIDTH = 14
"""Column A fits the header block's labels ("Exported by")."""
SHEET_NAME_INVALID = re.compile(r"[\[\]:*?/\\]")
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "remove_timezone": True,
}

Format = Literal["csv", "xlsx"]


def write_table(
    frame: pd.DataFrame,
    out: str | Path | BinaryIO,
    fmt: Format,
    sheet_name: str = "Export",
) -> None:
    """Write ``frame`` as CSV or XLSX to a path or an open binary file."""
    data = table_bytes(frame, fmt, sheet_name)
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(data)
    else:
        out.write(data)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 (with BOM) CSV: ISO dates, empty cells for missing values, no formulas."""
    text = _text_frame(frame)
    for column in _text_columns(frame):
        text[column] = neutralise_formulas(text[column])
    return text.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx_bytes(
    frame: pd.DataFrame, sheet_name: str = "Export", heading: Heading | None = None
) -> bytes:
    """One-sheet workbook: the header block if any, then the table with a bold frozen
    header row, an autofilter, real dates and fitted widths."""
    import xlsxwriter  # here, so CSV-only commands start without it

    fitted, cuts = cell_limit.fit_cells(frame, _text_columns(frame))
    lines = heading.rows() if heading is not None else []
    top = len(lines) + bool(cuts) + 1 if heading is not None else 0
    notes = cell_limit.cut_notes(list(frame.columns), cuts, top + 1)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    sheet = workbook.add_worksheet(safe_sheet_name(sheet_name))
    sheet.add_write_handler(str, _string_cell)
    formats = {
        "bold": workbook.add_format({"bold": True}),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "block date": workbook.add_format({"num_format": DATE_FORMAT, "align": "left"}),
        "datetime": workbook.add_format({"num_format": DATETIME_FORMAT}),
    }
    if heading is not None:
        _write_heading(sheet, [*lines, *cell_limit.notes_line(notes)], formats)
        _mark_pages(sheet, heading.marking)
    elif notes:
        _write_notes_sheet(workbook, notes, formats["bold"])
    _write_frame(sheet, fitted, top, formats, below_heading=heading is not None)
    workbook.close()
    return buffer.getvalue()


def _write_heading(
    sheet: Worksheet, lines: list[tuple[str, object]], formats: dict[str, Format_]
) -> None:
    """Label in column A, value in column B; the title large, the marking bold, dates real."""
    for row, (label, value) in enumerate(lines):
        sheet.write_string(row, 0, label, formats["bold"])
        if isinstance(value, dt.date):
            sheet.write_datetime(row, 1, value, formats["block date"])
        else:
            style = {"Title": formats["title"], "Marking": formats["bold"]}.get(label)
            sheet.write_string(row, 1, cell_limit.fit_text(str(value)), style)


def _mark_pages(sheet: Worksheet, marking: str) -> None:
    """The handling marking on top and bottom of every printed page too."""
    printed = marking.replace("&", "&&")
    sheet.set_header(f"&C&B{printed}")
    sheet.set_footer(f"&C&B{printed}&R&P / &N")


def _write_notes_sheet(workbook: Workbook, notes: list[str], bold: Format_) -> None:
    notes_sheet = workbook.add_worksheet("Notes")
    notes_sheet.add_write_handler(str, _string_cell)
    notes_sheet.write_string(0, 0, "Text cut (the CSV download holds the full text)", bold)
    notes_sheet.write_column(1, 0, notes)
    notes_sheet.set_column(0, 0, MAX_COLUMN_WIDTH)


def _write_frame(
    sheet: Worksheet, frame: pd.DataFrame, top: int, formats: dict[str, Format_], *,
    below_heading: bool,
) -> None:
    """The table from row ``top``: headers bold and frozen, an autofilter over every row."""
    widths = _column_widths(frame)
    if below_heading:
        widths[0] = max(widths[0], LABEL_WIDTH)
    text_columns = set(_text_columns(frame))
    for position, column in enumerate(frame.columns):
        sheet.write_string(top, position, cell_limit.fit_text(str(column)), formats["bold"])
        series = frame[column]
        kind = None if column in text_columns else _date_kind(series)
        if column in text_columns:
            series = series.astype("string")
        sheet.write_column(top + 1, position, _cell_values(series, kind), formats.get(kind))
        sheet.set_column(position, position, widths[position])
    sheet.freeze_panes(top + 1, 0)
    sheet.repeat_rows(top)
    sheet.autofilter(top, 0, top + len(frame), max(len(frame.columns) - 1, 0))


def neutralise_formulas(text: pd.Series) -> pd.Series:
    """Prefix ``'`` to text a spreadsheet would run as a formula; leave the rest as is."""
    text = text.astype("string")
    risky = text.str.contains(FORMULA_START, na=False)
    return text.where(~risky, "'" + text)


def safe_sheet_name(name: str) -> str:
    """A name Excel accepts: no ``[]:*?/\\``, at most 31 characters, not empty."""
    cleaned = SHEET_NAME_INVALID.sub(" ", name).strip().strip("'")[:31]
    return cleaned or "Export"


def table_bytes(
    frame: pd.DataFrame, fmt: str, sheet_name: str = "Export", heading: Heading | None = None
) -> bytes:
    """``frame`` as formula-safe CSV or formatted XLSX bytes (a CSV has no header block)."""
    if fmt == "csv":
        return to_csv_bytes(frame)
    if fmt == "xlsx":
        return to_xlsx_bytes(frame, sheet_name, heading)
    raise ExportError(f"unknown export format {fmt!r}: use 'csv' or 'xlsx'", reason="format")


def _text_columns(frame: pd.DataFrame) -> list[str]:
    """Columns holding text (object, string or categorical), as opposed to numbers or dates."""
    return [
        c
        for c in frame.columns
        if not (
            pd.api.types.is_numeric_dtype(frame[c])
            or pd.api.types.is_bool_dtype(frame[c])
            or pd.api.types.is_datetime64_any_dtype(frame[c])
        )
    ]


def _date_kind(series: pd.Series) -> str | None:
    """``date`` for datetime columns with no time of day, ``datetime`` otherwise, else None."""
    if not pd.api.types.is_datetime64_any_dtype(series):
        return None
    values = _naive(series).dropna()
    return "date" if (values == values.dt.normalize()).all() else "datetime"


def _naive(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_localize(None)
    return series


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the text the CSV holds: ISO dates, empty for missing."""
    text = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        series = frame[column]
        kind = _date_kind(series)
        if kind is not None:
            pattern = "%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M:%S"
            rendered = _naive(series).dt.strftime(pattern)
        else:
            rendered = series.astype("string")
        text[column] = rendered.astype("string").fillna("")
    return text


def _column_widths(frame: pd.DataFrame) -> list[int]:
    """Widths from the longest header or value, capped so one long note cannot dominate."""
    text = _text_frame(frame)
    widths = []
    for column in frame.columns:
        longest = int(text[column].str.len().max()) if len(text) else 0
        widths.append(min(max(longest, len(str(column))) + 2, MAX_COLUMN_WIDTH))
    return widths


def _cell_values(series: pd.Series, kind: str | None) -> list[object]:
    """Python values for XlsxWriter: datetimes, numbers, booleans, None for missing."""
    if kind is not None:
        series = _naive(series)
    values = series.astype(object)
    return values.where(series.notna(), None).tolist()


def _string_cell(
    sheet: Worksheet, row: int, column: int, value: str, *args: object
) -> int:
    """Every ``str`` goes through ``write_string``: never a formula, link or number."""
    return sheet.write_string(row, column, value, *args)
