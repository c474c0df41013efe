"""Text too long for an Excel cell: cut with a note, located, the rest left untouched."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

from compliance import cell_limit
from compliance.cell_limit import CELL_LIMIT, KEPT_CHARACTERS, cut_notes, fit_cells, fit_text


@pytest.mark.parametrize("index", [[0, 1, 2], [7, 7, 3], ["a", "b", "c"]])
def test_fit_cells_cuts_only_long_text_whatever_the_index(index: list) -> None:
    frame = pd.DataFrame(
        {"n": [1, 2, 3], "a": ["ok", "x" * 40_000, None], "b": ["y" * 50_000, "ok", "ok"]},
        index=index,
    )
    fitted, cuts = fit_cells(frame, ["a", "b"])
    assert cuts == [(0, 2, 50_000), (1, 1, 40_000)]
    assert fitted["a"].iloc[0] == "ok" and pd.isna(fitted["a"].iloc[2])
    assert fitted["a"].iloc[1].endswith("[cut: 8,000 more characters, full text in the CSV]")
    assert max(fitted["a"].str.len().max(), fitted["b"].str.len().max()) <= CELL_LIMIT
    assert list(fitted.index) == index
    assert frame["a"].iloc[1] == "x" * 40_000, "the caller's frame is not changed"


def test_nothing_to_cut_returns_the_frame_itself() -> None:
    frame = pd.DataFrame({"a": ["x" * CELL_LIMIT]})
    fitted, cuts = fit_cells(frame, ["a"])
    assert fitted is frame and cuts == []


@pytest.mark.parametrize(
    ("length", "cut"), [(10, False), (CELL_LIMIT, False), (CELL_LIMIT + 1, True)]
)
def test_fit_text(length: int, cut: bool) -> None:
    text = "t" * length
    fitted = fit_text(text)
    assert (fitted != text) is cut and len(fitted) <= CELL_LIMIT
    if cut:
        assert fitted.startswith("t" * KEPT_CHARACTERS) and "[cut: " in fitted


def test_cut_notes_give_the_excel_address() -> None:
    assert cut_notes(["ID", "Notes"], [(1, 1, 40_000)], first_row=11) == [
        "B13 (Notes): 40,000 characters, cut to 32,000"
    ]


def test_the_docstring_example_runs() -> None:
    assert doctest.testmod(cell_limit).failed == 0
