"""Reading an exported XLSX back as a person does: the header block, then the table below it.

The table is found by its content (the row whose first cell is the first header), never by
a fixed row number, so the tests keep working whatever the block holds.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl
import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class Export:
    """One sheet of an export: its block (label -> value), table, and the header's row."""

    sheet: Worksheet
    block: dict[str, object]
    table: pd.DataFrame
    header_row: int
    """1-based, as Excel counts."""


def read_export(data: bytes, first_header: str = "ID", sheet: int = 0) -> Export:
    """Sheet ``sheet`` of the workbook ``data``, split at the row starting ``first_header``."""
    worksheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[sheet]
    rows = list(worksheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    block = {row[0]: row[1] for row in rows[:start] if row and row[0] is not None}
    header = list(rows[start])
    table = pd.DataFrame([list(row) for row in rows[start + 1 :]], columns=header)
    return Export(worksheet, block, table, start + 1)
