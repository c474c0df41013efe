"""Untrusted uploaded bytes -> raw sheets (:class:`loaders.workbook.Workbook`).

The one entry point is :func:`read_workbook`. It refuses what it cannot read safely
with a one-line :class:`LoaderError` naming the file, in this order: size, type from
the magic bytes, zip-based checks, then parsing in the capped worker: calamine opens the
file as the type the sniffing found (never guessing one of its own), openpyxl reads an
xlsx or xlsm that calamine refuses, the pandas C parser reads delimited text. Every sheet
is held to the row and column caps before its cells are built. Cells are returned as
the file holds them; the canonical layer interprets them.
"""

from __future__ import annotations

import io
import os
import tempfile

import numpy as np
import pandas as pd
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from loaders.errors import LoaderError
from loaders.fallback import read_with_openpyxl
from loaders.limits import DEFAULT_LIMITS, MB, Limits, check_shape
from loaders.sandbox import run_isolated
from loaders.sniff import PASSWORD_MESSAGE, sniff_container
from loaders.text import DELIMITER_NAMES, decode_text, sniff_delimiter
from loaders.workbook import Sheet, Workbook, grid_from_rows
from loaders.zipcheck import check_zip

QUOTE, NEWLINE = ord('"'), ord("\n")
OPENPYXL_TYPES = frozenset({"xlsx", "xlsm"})


def read_workbook(data: bytes, filename: str, *, limits: Limits | None = None) -> Workbook:
    """Read every visible sheet of an uploaded file; list hidden ones without reading them."""
    limits = limits or DEFAULT_LIMITS
    check_size(data, filename, limits)
    file_type = sniff_container(data, filename)
    missing: dict[str, list[tuple[int, int]]] = {}
    if file_type == "zip":
        scan = check_zip(data, filename, limits)
        file_type, missing = scan.file_type, scan.missing_formula_values
    if limits.isolate:
        book = run_isolated(parse, data, filename, file_type, limits, limits=limits, file=filename)
    else:
        book = parse(data, filename, file_type, limits)
    for sheet in book.sheets:
        sheet.missing_formula_values = sorted(missing.get(sheet.name, []))
    return book


def check_size(data: bytes, filename: str, limits: Limits) -> None:
    if not data:
        raise LoaderError("the file is empty: export it again", file=filename, reason="empty")
    if len(data) > limits.max_bytes:
        raise LoaderError(
            f"the file is {len(data) / MB:.1f} MB, over the {limits.max_bytes / MB:g} MB limit: "
            "export only the columns and rows needed",
            file=filename,
            reason="too_large",
        )


def parse(
    data: bytes, filename: str, file_type: str, limits: Limits = DEFAULT_LIMITS
) -> Workbook:
    """Parse bytes whose type is known and which passed the safety checks."""
    if file_type == "text":
        return parse_text(data, filename, limits)
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = os.path.join(folder, f"upload.{file_type}")
        with open(path, "wb") as file:
            file.write(data)
        return parse_spreadsheet(path, filename, file_type, limits)


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
    try:
        return read_with_openpyxl(path, filename, file_type, limits)
    except (LoaderError, MemoryError):
        raise
    except Exception:  # openpyxl signals a damaged package with many types: calamine's words stand
        raise refusal from None


def parse_text(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS) -> Workbook:
    """Delimited text into one sheet whose index is the file's line number."""
    text, encoding = decode_text(data, filename)
    if not text.strip():
        raise LoaderError("the file is empty: export it again", file=filename, reason="empty")
    delimiter = sniff_delimiter(text)
    raw = text.encode("utf-8")
    width, lines = _text_shape(raw, ord(delimiter))
    check_shape(len(lines), width, "the file", filename, limits)
    try:
        frame = pd.read_csv(
            io.BytesIO(raw),
            sep=delimiter,
            header=None,
            names=range(width),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
            encoding="utf-8",
        )
    except (pd.errors.ParserError, ValueError) as error:
        raise LoaderError(
            f"the text cannot be read as {DELIMITER_NAMES[delimiter]}-separated values "
            f"({_first_line(error)}): check the quotes in it or save it again from Excel",
            file=filename,
            reason="bad_text",
        ) from None
    cells = frame.to_numpy(dtype=object)
    if len(lines) != len(cells):
        lines = np.arange(1, len(cells) + 1)
    notes = [f"Encoding: {encoding}; delimiter: {DELIMITER_NAMES[delimiter]}"]
    return Workbook(
        file=filename,
        file_type="csv",
        sheets=[Sheet(filename, grid_from_rows(cells, index=lines))],
        notes=notes,
    )


def _read_with_calamine(path: str, filename: str, file_type: str, limits: Limits) -> Workbook:
    book = CalamineWorkbook.from_path(path)
    sheets, hidden = [], []
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        if meta.visible != SheetVisibleEnum.Visible:
            hidden.append(meta.name)
            continue
        sheet = book.get_sheet_by_name(meta.name)
        if sheet.end is not None:
            last_row, last_column = sheet.end
            check_shape(last_row + 1, last_column + 1, f"sheet {meta.name!r}", filename, limits)
        sheets.append(Sheet(meta.name, grid_from_rows(sheet.to_python(skip_empty_area=False))))
    return Workbook(file=filename, file_type=file_type, sheets=sheets, hidden_sheets=hidden)


def _is_reader_failure(error: BaseException) -> bool:
    """calamine's own errors, and Rust panics (pyo3 raises them as a BaseException)."""
    return isinstance(error, CalamineError) or type(error).__name__ == "PanicException"


def _text_shape(raw: bytes, delimiter: int) -> tuple[int, np.ndarray]:
    """Widest record (in fields) and the first line number of each record.

    Delimiters and newlines inside double quotes do not count; the plain per-line count
    is a floor so a stray quote in a name cannot make the width too small.
    """
    codes = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(codes == QUOTE)
    newlines = np.flatnonzero(codes == NEWLINE)
    delimiters = np.flatnonzero(codes == delimiter)
    per_line = np.bincount(np.searchsorted(newlines, delimiters), minlength=1).max(initial=0)
    record_ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    outside = delimiters[np.searchsorted(quotes, delimiters) % 2 == 0]
    per_record = np.bincount(np.searchsorted(record_ends, outside), minlength=1).max(initial=0)
    starts = np.concatenate(([1], np.searchsorted(newlines, record_ends) + 2))
    if len(codes) and codes[-1] == NEWLINE:
        starts = starts[:-1]
    return int(max(per_line, per_record)) + 1, starts


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
