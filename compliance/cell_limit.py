"""Text longer than one Excel cell holds: cut with a note in the cell, and listed, never lost
silently.

Excel keeps at most 32,767 characters in a cell (XlsxWriter would drop the rest without a
word). A cut cell keeps its first 32,000 characters and ends with a note saying how many
more there were and that the CSV download holds the whole text.

>>> fit_text("x" * 40_000)[-58:]
'xxx ... [cut: 8,000 more characters, full text in the CSV]'
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

CELL_LIMIT = 32_767
"""The most characters Excel holds in one cell."""
KEPT_CHARACTERS = 32_000
"""What a cut cell keeps, leaving room for the note that says it was cut."""
LISTED_CUTS = 20
"""Cut cells named one by one in the header block; the rest are counted."""

Cut = tuple[int, int, int]
"""(row, column, length of the full text), by position in the frame."""


def fit_cells(frame: pd.DataFrame, text_columns: Sequence[str]) -> tuple[pd.DataFrame, list[Cut]]:
    """``frame`` with every text too long for a cell cut, and where each cut was made
    (``frame`` itself, not a copy, when nothing needs cutting)."""
    fitted = frame
    cuts: list[Cut] = []
    for column in text_columns:
        text = pd.Series(frame[column].astype("string").array)  # by position: any index
        lengths = text.str.len()
        long = (lengths > CELL_LIMIT).fillna(False).to_numpy(dtype=bool)
        if not long.any():
            continue
        removed = (lengths[long] - KEPT_CHARACTERS).map("{:,}".format)
        cut = text[long].str.slice(0, KEPT_CHARACTERS) + _note(removed)
        fitted = fitted.copy() if fitted is frame else fitted
        fitted[column] = text.mask(long, cut).array
        position = frame.columns.get_loc(column)
        rows = long.nonzero()[0]
        cuts += [(int(r), position, int(n)) for r, n in zip(rows, lengths[long], strict=True)]
    return fitted, sorted(cuts)


def fit_text(text: str) -> str:
    """One value (a header, a line of the header block) cut like a table cell."""
    if len(text) <= CELL_LIMIT:
        return text
    return text[:KEPT_CHARACTERS] + _note(f"{len(text) - KEPT_CHARACTERS:,}")


def cut_notes(headers: Sequence[object], cuts: list[Cut], first_row: int) -> list[str]:
    """Each cut cell by its Excel address (the table's first row at ``first_row``, counted
    from 0) and column header, with the length of its full text."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    return [
        f"{xl_rowcol_to_cell(first_row + row, column)} ({headers[column]}): "
        f"{length:,} characters, cut to {KEPT_CHARACTERS:,}"
        for row, column, length in cuts
    ]


def notes_line(notes: list[str]) -> list[tuple[str, str]]:
    """The header block's "Text cut" line: the first cut cells, then how many more."""
    if not notes:
        return []
    shown = "; ".join(notes[:LISTED_CUTS])
    more = f"; and {len(notes) - LISTED_CUTS:,} more" if len(notes) > LISTED_CUTS else ""
    return [("Text cut", f"{shown}{more} (the CSV download holds the full text)")]


def _note(removed: str | pd.Series) -> str | pd.Series:
    return " ... [cut: " + removed + " more characters, full text in the CSV]"
