"""Raw sheets as read from an uploaded file, before any header is found.

A ``Sheet.grid`` is an object-dtype frame with positional columns ``0..n-1`` and an
index of 1-based file row numbers, holding cells as the reader gave them: ``str``,
``int``/``float``, ``datetime.datetime``/``datetime.date``, ``bool`` or ``None``.
CSV cells are always ``str`` (or ``None`` for empty). Every reader builds its grids with
:func:`grid_from_rows`, so they agree on what empty means.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Sheet:
    name: str
    grid: pd.DataFrame
    missing_formula_values: list[tuple[int, int]] = field(default_factory=list)
    """(file row, 0-based column) of formula cells with no cached value."""


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


def grid_from_rows(
    rows: list | np.ndarray, index: np.ndarray | None = None
) -> pd.DataFrame:
    """Object grid, empty cells None, trailing empty rows and columns dropped.

    ``rows`` may be ragged (rows of different lengths); ``index`` holds the file row
    number of each row (default 1, 2, ...).
    """
    cells = np.empty((0, 0), dtype=object) if len(rows) == 0 else np.asarray(rows, dtype=object)
    if cells.ndim != 2:
        cells = pd.DataFrame(list(rows), dtype=object).to_numpy(dtype=object)
    empty = pd.isna(cells) | (cells == "")
    cells[empty] = None
    filled = ~empty
    height = int(np.flatnonzero(filled.any(axis=1)).max(initial=-1)) + 1
    width = int(np.flatnonzero(filled.any(axis=0)).max(initial=-1)) + 1
    labels = np.arange(1, len(cells) + 1) if index is None else np.asarray(index)
    return pd.DataFrame(
        cells[:height, :width], index=pd.Index(labels[:height]), columns=range(width), dtype=object
    )
