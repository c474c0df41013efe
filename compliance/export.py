"""CSV, XLSX and zip-pack downloads of status tables and overdue lists, safe to open anywhere.

Exports hold personal data typed in by other people, so no cell may run as a formula in
a spreadsheet program (CSV injection): text that a spreadsheet would read as a formula
gets a leading apostrophe in CSV, and XLSX cells are always written as strings, never
formulas or links. Dates are ISO ``YYYY-MM-DD`` and missing values are empty cells.

CSV is UTF-8 *with* a byte-order mark: without it Excel reads the file as Windows-1252
and turns names such as "Zoë" or "Seán" into mojibake; with it Excel, LibreOffice,
pandas (``encoding="utf-8-sig"``) and Python's ``csv`` all read it correctly.

>>> frame = pd.DataFrame({"name": ["=HYPERLINK(\\"x\\")"], "due": [pd.Timestamp("2026-01-31")]})
>>> to_csv_bytes(frame).decode("utf-8-sig").splitlines()[1]
'"\\'=HYPERLINK(""x"")",2026-01-31'
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

import pandas as pd

from compliance.errors import ExportError

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

FORMULA_START = re.compile("^[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20]")
"""First characters that make a spreadsheet treat text as a formula (incl. full-width)."""
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MAX_COLUMN_WIDTH = 50
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


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "Export") -> bytes:
    """One-sheet workbook: bold frozen header, autofilter, real dates, fitted widths."""
    import xlsxwriter  # here, so CSV-only commands start without it

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    sheet = workbook.add_worksheet(safe_sheet_name(sheet_name))
    bold = workbook.add_format({"bold": True})
    formats = {
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "datetime": workbook.add_format({"num_format": DATETIME_FORMAT}),
    }
    sheet.add_write_handler(str, _string_cell)
    widths = _column_widths(frame)
    text_columns = set(_text_columns(frame))
    for position, column in enumerate(frame.columns):
        sheet.write_string(0, position, str(column), bold)
        series = frame[column]
        kind = None if column in text_columns else _date_kind(series)
        if column in text_columns:
            series = series.astype("string")
        sheet.write_column(1, position, _cell_values(series, kind), formats.get(kind))
        sheet.set_column(position, position, widths[position])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(frame), max(len(frame.columns) - 1, 0))
    workbook.close()
    return buffer.getvalue()


def neutralise_formulas(text: pd.Series) -> pd.Series:
    """Prefix ``'`` to text a spreadsheet would run as a formula; leave the rest as is."""
    text = text.astype("string")
    risky = text.str.contains(FORMULA_START, na=False)
    return text.where(~risky, "'" + text)


def safe_sheet_name(name: str) -> str:
    """A name Excel accepts: no ``[]:*?/\\``, at most 31 characters, not empty."""
    cleaned = SHEET_NAME_INVALID.sub(" ", name).strip().strip("'")[:31]
    return cleaned or "Export"


def table_bytes(frame: pd.DataFrame, fmt: str, sheet_name: str = "Export") -> bytes:
    """``frame`` as formula-safe CSV or formatted XLSX bytes."""
    if fmt == "csv":
        return to_csv_bytes(frame)
    if fmt == "xlsx":
        return to_xlsx_bytes(frame, sheet_name)
    raise ExportError(f"unknown export format {fmt!r}: use 'csv' or 'xlsx'", reason="format")


def pack_bytes(frame: pd.DataFrame, by: str, sheet_name: str) -> bytes:
    """A zip of one XLSX per value of ``by`` (a unit or a manager), to send to line managers."""
    buffer = io.BytesIO()
    groups = frame.assign(_key=frame[by].astype("string").fillna("(none)"))
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, group in groups.groupby("_key", sort=True):
            name = f"{safe_file_name(str(key))}.xlsx"
            archive.writestr(name, to_xlsx_bytes(group.drop(columns="_key"), sheet_name))
    return buffer.getvalue()

def safe_file_name(text: str) -> str:
    """A file name made from a unit or manager name (no path separators or odd characters)."""
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
    return cleaned[:80] or "unnamed"


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
