"""Raw sheets as read from an uploaded file, before any header is found.

A sheet read from a file holds its cells as text in Arrow (:class:`loaders.cells.Cells`);
one built by hand (tests, the docs) holds an object grid. Either way ``Sheet.grid`` is
the object view: positional columns ``0..n-1``, an index of 1-based file row numbers,
cells ``str``, ``float``, ``datetime.datetime``/``datetime.date``, ``datetime.time``,
``bool`` or ``None`` (CSV cells always ``str`` or ``None``). The loaders read the top
rows through :meth:`Sheet.top` and the data through :meth:`Sheet.body`, which keeps a
read file's columns as Arrow-backed ``string``: a million rows are never turned into
Python objects.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pandas as pd

from loaders.cells import Cells, from_ipc, to_ipc, typed


class Sheet:
    """One visible sheet: a name, its cells, and formula cells saved without a value."""

    def __init__(
        self,
        name: str,
        grid: pd.DataFrame | None = None,
        *,
        cells: Cells | None = None,
        spreadsheet: bool = False,
        missing_formula_values: list[tuple[int, int]] | None = None,
    ) -> None:
        self.name = name
        self.cells = cells
        self.spreadsheet = spreadsheet
        """Cells came from a spreadsheet (their text forms stand for numbers and dates)."""
        self.missing_formula_values = list(missing_formula_values or [])
        """(file row, 0-based column) of formula cells with no cached value."""
        self._grid = grid

    @property
    def shape(self) -> tuple[int, int]:
        return self.cells.shape if self.cells is not None else self._grid.shape

    @property
    def rows(self) -> pd.Index:
        """The file row number of each row."""
        return pd.Index(self.cells.rows) if self.cells is not None else self._grid.index

    @property
    def grid(self) -> pd.DataFrame:
        """The object view of every cell (built once, on first use)."""
        if self._grid is None:
            self._grid = self.top(self.shape[0])
        return self._grid

    def top(self, count: int) -> pd.DataFrame:
        """The object view of the first ``count`` rows."""
        if self._grid is not None or self.cells is None:
            return self._grid.iloc[:count]
        values = self.cells.objects(0, count)
        if self.spreadsheet:
            values = typed(values)
        return pd.DataFrame(
            values, index=pd.Index(self.cells.rows[:count]), columns=range(values.shape[1]),
            dtype=object,
        )

    def body(self, position: int) -> pd.DataFrame:
        """The rows after grid position ``position``, columns ``0..n-1``: Arrow-backed
        ``string`` columns for a read file, object columns for a hand-built grid."""
        if self.cells is None:
            return self._grid.iloc[position + 1 :].copy()
        start = position + 1
        columns = {n: self.cells.series(n, start) for n in range(self.shape[1])}
        return pd.DataFrame(columns, index=pd.Index(self.cells.rows[start:]))


@dataclass
class Workbook:
    file: str
    file_type: str
    """One of ``xlsx``, ``xlsm``, ``xls``, ``ods``, ``csv``."""
    sheets: list[Sheet]
    """Visible sheets only, in workbook order."""
    hidden_sheets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the reader detected (encoding, delimiter) in words for the report."""

    def release_pages(self) -> None:
        """Hand the mapped cells' pages back to the kernel (:meth:`Cells.release_pages`)."""
        for sheet in self.sheets:
            if sheet.cells is not None:
                sheet.cells.release_pages()


def pack(book: Workbook, folder: str) -> dict:
    """A read workbook as plain data, each sheet's cells written to ``folder`` as an
    Arrow IPC stream (the worker's answer)."""
    for number, sheet in enumerate(book.sheets):
        to_ipc(sheet.cells, os.path.join(folder, f"sheet-{number}.arrow"))
    return {
        "file": book.file,
        "file_type": book.file_type,
        "hidden_sheets": book.hidden_sheets,
        "notes": book.notes,
        "sheets": [(sheet.name, sheet.spreadsheet) for sheet in book.sheets],
    }


def unpack(meta: dict, folder: str) -> Workbook:
    """What :func:`pack` made, back as a workbook."""
    sheets = [
        Sheet(name, cells=from_ipc(os.path.join(folder, f"sheet-{n}.arrow")), spreadsheet=typed)
        for n, (name, typed) in enumerate(meta["sheets"])
    ]
    return Workbook(
        file=meta["file"], file_type=meta["file_type"], sheets=sheets,
        hidden_sheets=meta["hidden_sheets"], notes=meta["notes"],
    )
