"""Raw sheets as read from an uploaded file, before any header is found.

A ``Sheet.grid`` is an object-dtype frame with positional columns ``0..n-1`` and an
index of 1-based file row numbers, holding cells as the reader gave them: ``str``,
``int``/``float``, ``datetime.datetime``/``datetime.date``, ``bool`` or ``None``.
CSV cells are always ``str`` (or ``None`` for empty).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
