"""Which row of a sheet is the header, scored over all the top cells at once.

The header is the row among the first 30 whose cells best match the kind's synonyms
(whole folded header equals a synonym), counting the user's mapped headers and, for
completions, headers that name a requirement (a wide layout). The top cells are turned
into text and folded as one column of distinct values, never column by column, so a
sheet of thousands of columns costs about what its distinct texts do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from loaders.schema import MatchCourse
from loaders.synonyms import KINDS, SYNONYMS
from loaders.values import fold_text, on_uniques, to_text
from loaders.workbook import Sheet

HEADER_SEARCH_ROWS = 30
EXAMPLE_HEADERS: dict[str, str] = {
    "roster": "Collar Number, Name, Division, Rank, Start Date",
    "completions": "Collar Number, Email, Course, Completion Date",
    "exemptions": "Collar Number, Course, From, Until, Reason",
}


@dataclass
class HeaderRow:
    """Where a sheet's header is and how well it matched (kind score, any-kind score)."""

    position: int
    score: tuple[int, int]


def no_header_message(kind: str, row: int | None = None, sheet: str | None = None) -> str:
    """Why no header was found (searched, or on the user's ``row`` of ``sheet``), with the
    columns this kind of file usually has."""
    where = (
        "no header row found in the first 30 rows"
        if row is None
        else f"row {row} of sheet {sheet!r} is not a header row"
    )
    return (
        f"{where}: expected columns such as "
        f"{EXAMPLE_HEADERS.get(kind, EXAMPLE_HEADERS['completions'])}"
    )


@cache
def synonym_index(kind: str) -> dict[str, str]:
    """Folded synonym -> field for one kind (or ``"any"`` for all kinds together)."""
    kinds = KINDS if kind == "any" else (kind,)
    pairs = [(synonym, name) for each in kinds for name, synonyms in SYNONYMS[each].items()
             for synonym in synonyms]
    folded = fold_text(pd.Series([synonym for synonym, _ in pairs], dtype="string")).tolist()
    index: dict[str, str] = {}
    for text, (_, name) in zip(folded, pairs, strict=True):
        index.setdefault(text, name)
    return index


def detect_fields(headers: list[str], kind: str) -> dict[str, str]:
    """Source header -> field for every header equal (folded) to one of the kind's synonyms."""
    index = synonym_index(kind)
    folded = fold_text(pd.Series(headers, dtype="string")).fillna("")
    return {h: index[f] for h, f in zip(headers, folded, strict=True) if f in index}


def find_header(
    sheet: Sheet, kind: str, *, extra: frozenset[str] = frozenset(),
    match_course: MatchCourse | None = None,
) -> HeaderRow | None:
    """The best header row among the first 30, or None when no row looks like a header.

    A header names at least one of the kind's fields, and either two known fields of any
    kind or nothing but known fields (a lone ``Email`` column is a header).

    ``extra`` holds folded headers the user mapped; ``match_course`` (completions only)
    lets headers naming a requirement count, so a wide layout's header is found.
    """
    cells = HeaderCells.top_of(sheet)
    return None if cells is None else best_header(cells, kind, extra, match_course)


def best_header(
    cells: HeaderCells,
    kind: str,
    extra: frozenset[str] = frozenset(),
    match_course: MatchCourse | None = None,
) -> HeaderRow | None:
    """:func:`find_header` on top cells already folded (to score one sheet for each kind)."""
    known = cells.known(kind, extra, match_course)
    kind_score = known.sum(axis=1)
    any_score = (known | cells.folded_in(frozenset(synonym_index("any")))).sum(axis=1)
    filled = cells.filled.sum(axis=1)
    header_like = (kind_score >= 1) & ((any_score >= 2) | (any_score == filled))
    if not header_like.any():
        return None
    ranking = np.where(header_like, kind_score * (HEADER_SEARCH_ROWS * 1000) + any_score, -1)
    position = int(ranking.argmax())
    return HeaderRow(position=position, score=(int(kind_score[position]), int(any_score[position])))


class HeaderCells:
    """The text cells of some rows (a number or date is never a header name), folded."""

    @classmethod
    def top_of(cls, sheet: Sheet) -> HeaderCells | None:
        """The cells of the rows a header is looked for in; None for an empty sheet."""
        top = sheet.top(HEADER_SEARCH_ROWS)
        return None if top.empty else cls(top)

    def __init__(self, rows: pd.DataFrame) -> None:
        self.shape = rows.shape
        flat = pd.Series(rows.to_numpy(dtype=object).ravel(), dtype=object)
        self.texts = on_uniques(flat, _texts_only).astype("string")
        self.folded = on_uniques(self.texts.astype(object), fold_text).astype("string")

    @property
    def filled(self) -> np.ndarray:
        return self._grid(self.texts.notna())

    def folded_in(self, names: frozenset[str]) -> np.ndarray:
        """(row, column) booleans: the folded text is one of ``names``."""
        return self._grid(self.folded.isin(names))

    def known(
        self, kind: str, extra: frozenset[str], match_course: MatchCourse | None
    ) -> np.ndarray:
        """(row, column) booleans: the cell names one of the kind's fields, a mapped header
        or (with ``match_course``) a requirement."""
        known = self.folded.isin(frozenset(synonym_index(kind)) | extra)
        if match_course is not None:
            candidates = pd.Series(self.texts.dropna().unique(), dtype="string")
            if len(candidates):
                matched = match_course(candidates, regex=False)
                known |= self.texts.isin(set(candidates[matched.notna().to_numpy()]))
        return self._grid(known)

    def _grid(self, flags: pd.Series) -> np.ndarray:
        return flags.fillna(False).to_numpy(dtype=bool).reshape(self.shape)


def _texts_only(values: pd.Series) -> pd.Series:
    return to_text(values.where(values.map(lambda value: isinstance(value, str))))
