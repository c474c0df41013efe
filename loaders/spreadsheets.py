"""Spreadsheets (xlsx, xlsm, xls, ods) -> text cells, in the parsing worker only.

calamine opens the file as the type the sniffing found and lists its sheets (hidden
ones are never read); fastexcel reads each visible worksheet straight into Arrow as
text, calamine's own cells are used when fastexcel cannot, and openpyxl reads an xlsx
or xlsm that calamine refuses. Imported by :func:`loaders.readers.parse` when a
spreadsheet arrives, so the server and the command line never load these libraries.
"""

from __future__ import annotations

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from loaders.cells import Cells, cells_from_columns, cells_from_objects
from loaders.errors import LoaderError
from loaders.limits import Limits, check_shape
from loaders.sniff import PASSWORD_MESSAGE
from loaders.workbook import Sheet, Workbook

OPENPYXL_TYPES = frozenset({"xlsx", "xlsm"})
_FORMS = (
    (
        r"^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)$",
        r"\1 \2",
        lambda column: pc.equal(pc.utf8_slice_codeunits(column, 10, 11), "T"),
    ),
    (
        r"^([0-9]{4}-[0-9]{2}-[0-9]{2}) 00:00:00$",
        r"\1",
        lambda column: pc.ends_with(column, " 00:00:00"),
    ),
    (
        r"^1899-12-3[01] ([0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)$",
        r"\1",
        lambda column: pc.starts_with(column, "1899-12-3"),
    ),
)
"""fastexcel's text of an OpenDocument date-time, of a date cell at midnight and of a
time-only cell -> the cell text forms (:mod:`loaders.cells`); each with a cheap test
that every text the pattern matches passes, so the pattern runs on those texts only."""


def parse_spreadsheet(path: str, filename: str, file_type: str, limits: Limits) -> Workbook:
    """Visible worksheets via calamine, else openpyxl; cached formula values as saved.

    The file's extension is its sniffed type, so calamine opens it with that reader and
    its own error (a password, a damaged stream) is the one reported.
    """
    try:
        return _read_with_calamine(path, filename, file_type, limits)
    except PasswordError:
        raise LoaderError(PASSWORD_MESSAGE, file=filename, reason="encrypted") from None
    except BaseException as error:
        if not _is_reader_failure(error):
            raise
        refusal = LoaderError(
            f"the file is damaged and cannot be read ({_first_line(error)}): "
            "open it in Excel, save a new copy and upload that",
            file=filename,
            reason="corrupt",
        )
    if file_type not in OPENPYXL_TYPES:
        raise refusal
    from loaders.fallback import read_with_openpyxl

    try:
        return read_with_openpyxl(path, filename, file_type, limits)
    except (LoaderError, MemoryError):
        raise
    except Exception:  # openpyxl signals a damaged package with many types: calamine's words stand
        raise refusal from None


def _read_with_calamine(path: str, filename: str, file_type: str, limits: Limits) -> Workbook:
    book = CalamineWorkbook.from_path(path)
    visible, hidden = [], []
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        (visible if meta.visible == SheetVisibleEnum.Visible else hidden).append(meta.name)
    reader = fastexcel.read_excel(path)
    sheets = [
        Sheet(name, cells=_sheet_cells(book, reader, name, filename, limits), spreadsheet=True)
        for name in visible
    ]
    return Workbook(file=filename, file_type=file_type, sheets=sheets, hidden_sheets=hidden)


def _sheet_cells(
    book: CalamineWorkbook,
    reader: fastexcel.ExcelReader,
    name: str,
    filename: str,
    limits: Limits,
) -> Cells:
    """One sheet's cells as text: fastexcel's, else calamine's own cells turned to text."""
    try:
        sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
    except fastexcel.FastExcelError:
        return _calamine_cells(book, name, filename, limits)
    columns = sheet.available_columns()
    offset = columns[0].absolute_index if columns else 0
    check_shape(sheet.total_height, offset + sheet.width, f"sheet {name!r}", filename, limits)
    batch = sheet.to_arrow()
    texts = [pa.nulls(batch.num_rows, pa.string())] * offset + [
        _cell_forms(column) for column in batch.columns
    ]
    return cells_from_columns(texts, np.arange(1, batch.num_rows + 1))


def _calamine_cells(book: CalamineWorkbook, name: str, filename: str, limits: Limits) -> Cells:
    sheet = book.get_sheet_by_name(name)
    if sheet.end is not None:
        last_row, last_column = sheet.end
        check_shape(last_row + 1, last_column + 1, f"sheet {name!r}", filename, limits)
    return cells_from_objects(sheet.to_python(skip_empty_area=False))


def _cell_forms(column: pa.Array) -> pa.Array:
    """Date and time texts in the cell text forms (only a column holding some is searched)."""
    if not pc.any(pc.equal(pc.utf8_slice_codeunits(column, 4, 5), "-")).as_py():
        return column
    for pattern, replacement, candidates in _FORMS:
        chosen = pc.fill_null(candidates(column), False)
        if pc.any(chosen).as_py():
            changed = pc.replace_substring_regex(column.filter(chosen), pattern, replacement)
            column = pc.replace_with_mask(column, chosen, changed)
    return column


def _is_reader_failure(error: BaseException) -> bool:
    """calamine's and fastexcel's own errors, and Rust panics (pyo3 raises them as a
    BaseException)."""
    return isinstance(error, CalamineError | fastexcel.FastExcelError) or (
        type(error).__name__ == "PanicException"
    )


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
