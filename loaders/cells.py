"""A sheet's cells as text in Arrow: what every reader hands over, and their object view.

Readers give one string column per sheet column (null for an empty cell) with the
1-based file row number of each row, trailing empty rows and columns dropped. CSV cells
are the text as written. Spreadsheet cells are their text form, the same whichever
reader opened the file: numbers in shortest form (``1234``, ``12.5``), date cells
``2024-08-26 14:32:05`` (``2024-08-26`` at midnight), time-only cells ``14:30:00``,
booleans ``true``/``false``. The object view (:func:`typed`) turns exactly those forms
back into ``float``, ``datetime``/``date``, ``time`` and ``bool``, so a number or date is
still never taken for a header name.

Cells cross from the parsing worker to the server as Arrow IPC streams in a private
temporary folder (:func:`to_ipc`), memory-mapped on the way in, never as pickled Python
objects: a million-row sheet moves as a few buffers, without a copy through a pipe.
"""

from __future__ import annotations

import datetime as dt
import mmap
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ROW = "row"
"""The column of file row numbers in an IPC table."""
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?")
_BOOLS = {"true": True, "false": False}


@dataclass
class Cells:
    """Text cells: ``table`` columns ``"0".."n-1"`` (strings), ``rows`` the file row numbers."""

    table: pa.Table
    rows: np.ndarray
    mapping: mmap.mmap | None = None
    """The file the cells are mapped from (:func:`from_ipc`), if they are."""

    def release_pages(self) -> None:
        """Give the kernel back the mapped file's pages this process has read: once a
        million-row sheet is loaded they are ~60 MB of the server's resident memory per
        session, and a later choice reads them again from the file (the page cache)."""
        if self.mapping is not None:
            self.mapping.madvise(mmap.MADV_DONTNEED)

    @property
    def shape(self) -> tuple[int, int]:
        return self.table.num_rows, self.table.num_columns

    def objects(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Rows ``start:stop`` as a 2-D object array of ``str`` and ``None``."""
        height = self.table.num_rows
        stop = height if stop is None else min(stop, height)
        part = self.table.slice(min(start, height), max(stop - start, 0))
        columns = [column.to_numpy(zero_copy_only=False) for column in part.columns]
        if not columns:
            return np.empty((part.num_rows, 0), dtype=object)
        return np.column_stack(columns).astype(object, copy=False)

    def series(self, column: int, start: int = 0) -> pd.Series:
        """One column from row ``start`` on, as Arrow-backed ``string`` (no copy)."""
        values = self.table.column(column).slice(start)
        return pd.Series(pd.arrays.ArrowStringArray(values), index=pd.Index(self.rows[start:]))


def cells_from_columns(columns: list[pa.Array | pa.ChunkedArray], rows: np.ndarray) -> Cells:
    """Cells from string columns; empty strings become null, trailing empty rows and
    columns are dropped."""
    cleaned, lasts = [], []
    for column in columns:
        column = column.cast(pa.string()) if column.type != pa.string() else column
        empty = pc.equal(column, "")
        if pc.any(empty).as_py():
            column = pc.if_else(empty, pa.scalar(None, pa.string()), column)
        cleaned.append(column)
        valid = pc.is_valid(column).to_numpy(zero_copy_only=False)
        lasts.append(len(valid) - int(valid[::-1].argmax()) if valid.any() else 0)
    height = max(lasts, default=0)
    width = max((n + 1 for n, last in enumerate(lasts) if last), default=0)
    table = pa.table(
        {str(n): column.slice(0, height) for n, column in enumerate(cleaned[:width])}
    )
    return Cells(table, np.asarray(rows[:height], dtype=np.int64))


def cells_from_objects(rows: list | np.ndarray, index: np.ndarray | None = None) -> Cells:
    """Cells from Python values as a reader gave them (``str``, numbers, dates, ``bool``,
    ``None``), written in the spreadsheet text forms."""
    values = np.empty((0, 0), dtype=object) if len(rows) == 0 else np.asarray(rows, dtype=object)
    if values.ndim != 2:
        values = pd.DataFrame(list(rows), dtype=object).to_numpy(dtype=object)
    text = np.vectorize(cell_text, otypes=[object])(values) if values.size else values
    numbers = np.arange(1, len(values) + 1) if index is None else np.asarray(index)
    columns = [pa.array(text[:, n], type=pa.string()) for n in range(values.shape[1])]
    return cells_from_columns(columns, numbers)


def cell_text(value: object) -> str | None:
    """One cell's text form (see the module docstring); ``None`` for an empty cell."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return np.format_float_positional(float(value), trim="-")
    if isinstance(value, dt.datetime):
        value = value.replace(tzinfo=None)
        return value.date().isoformat() if value.time() == dt.time() else str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def typed(values: np.ndarray) -> np.ndarray:
    """Spreadsheet text forms back to the values they stand for (other text unchanged)."""
    return np.vectorize(_typed_cell, otypes=[object])(values) if values.size else values


def _typed_cell(value: str | None) -> object:
    if value is None:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _NUMBER.fullmatch(value):
        return float(value)
    if _DATE.fullmatch(value):
        return dt.date.fromisoformat(value)
    if _DATETIME.fullmatch(value):
        return dt.datetime.fromisoformat(value)
    if _TIME.fullmatch(value):
        return dt.time.fromisoformat(value)
    return value


def to_ipc(cells: Cells, path: str) -> None:
    """Write the cells and their row numbers to ``path`` as one Arrow IPC stream."""
    table = cells.table.append_column(ROW, pa.array(cells.rows, type=pa.int64()))
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)


def from_ipc(path: str) -> Cells:
    """What :func:`to_ipc` wrote, memory-mapped: no copy is made, and the mapping stays
    valid after the file is removed."""
    with open(path, "rb") as handle:
        mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    table = pa.ipc.open_stream(pa.py_buffer(mapping)).read_all()
    rows = table.column(ROW).to_numpy()
    return Cells(table.drop_columns([ROW]), rows, mapping)
