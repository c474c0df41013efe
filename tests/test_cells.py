"""loaders.cells: text forms of cells, their object view, and the Arrow IPC crossing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from loaders.cells import cell_text, cells_from_columns, from_ipc, to_ipc, typed
from loaders.limits import Limits
from loaders.readers import read_workbook
from tests.filemaker import csv_bytes, xlsx_bytes

ROWS = [
    ["Export of 02/09/2024"],
    [None],
    ["Staff Number", "Name", "Completion Date"],
    ["009917", "Zoë O’Brien", "26/08/2024 14:32"],
    ["0012", "Łukasz Nowak 🚓", "05/03/2024"],
    [None, None, None],
    ["1234", "  Siobhán ", dt.datetime(2024, 8, 26)],
]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None), (float("nan"), None), (True, "true"), (False, "false"), (1234, "1234"),
        (1234.0, "1234"), (12.5, "12.5"), (1e20, "100000000000000000000"),
        (dt.datetime(2024, 8, 26), "2024-08-26"), (dt.datetime(2024, 8, 26, 14, 32, 5),
                                                    "2024-08-26 14:32:05"),
        (dt.date(2024, 3, 5), "2024-03-05"), (dt.time(14, 30), "14:30:00"), ("0012", "0012"),
    ],
)
def test_cell_text_forms(value: object, text: str | None) -> None:
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234", 1234.0), ("12.5", 12.5), ("0012", "0012"), ("12.50", "12.50"), ("true", True),
        ("2024-08-26", dt.date(2024, 8, 26)),
        ("2024-08-26 14:32:05", dt.datetime(2024, 8, 26, 14, 32, 5)),
        ("14:30:00", dt.time(14, 30)), ("Collar No", "Collar No"), (None, None),
    ],
)
def test_typed_turns_only_the_text_forms_back(text: str | None, value: object) -> None:
    result = typed(np.array([[text]], dtype=object))[0, 0]
    assert result == value and type(result) is type(value)


def test_empty_strings_and_trailing_empty_rows_and_columns_go() -> None:
    cells = cells_from_columns(
        [
            pa.array(["a", "", None, None]),
            pa.array(["", "b", "", None]),
            pa.array([None, "", None, None]),
        ],
        np.array([3, 4, 5, 6]),
    )
    assert cells.shape == (2, 2)
    assert cells.rows.tolist() == [3, 4]
    assert cells.objects().tolist() == [["a", None], [None, "b"]]


@pytest.mark.parametrize(
    ("make", "name"),
    [(csv_bytes, "staff.csv"), (lambda rows: xlsx_bytes({"Staff": rows}), "staff.xlsx")],
    ids=["csv", "xlsx"],
)
def test_cells_cross_from_the_worker_identically(make, name: str) -> None:
    """IDs with leading zeros, dates and non-ASCII text come back from the worker (as
    Arrow IPC) exactly as an in-process read gives them."""
    data = make(ROWS)
    direct = read_workbook(data, name, limits=Limits(isolate=False)).sheets[0]
    crossed = read_workbook(data, name, limits=Limits(isolate=True)).sheets[0]
    assert crossed.cells.table.equals(direct.cells.table)
    assert crossed.cells.rows.tolist() == direct.cells.rows.tolist()
    pd.testing.assert_frame_equal(crossed.grid, direct.grid)
    body = crossed.body(2)
    assert body[0].tolist()[:2] == ["009917", "0012"]
    assert body[1].tolist()[:2] == ["Zoë O’Brien", "Łukasz Nowak 🚓"]
    assert str(body[0].dtype) == "string" and body[0].dtype.storage == "pyarrow"


def test_ipc_round_trip_keeps_row_numbers_and_nulls(tmp_path) -> None:
    cells = cells_from_columns(
        [pa.array(["009917", None, "x"]), pa.array(["Zoë", "2024-08-26", None])],
        np.array([3, 5, 9]),
    )
    to_ipc(cells, str(tmp_path / "sheet.arrow"))
    back = from_ipc(str(tmp_path / "sheet.arrow"))
    (tmp_path / "sheet.arrow").unlink()
    assert back.table.equals(cells.table)
    assert back.rows.tolist() == [3, 5, 9]
    assert back.objects().tolist() == [["009917", "Zoë"], [None, "2024-08-26"], ["x", None]]


def _mapped_kb(path: str) -> int:
    """Resident kB of this process's mappings of ``path`` (``/proc/self/smaps``)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text(encoding="utf-8").splitlines():
        if line[:1].isalnum() and "-" in line.split(" ", 1)[0]:
            inside = line.rstrip().endswith(path)
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="needs Linux's /proc")
def test_released_cells_give_their_pages_back_and_stay_readable(tmp_path) -> None:
    texts = pa.array([f"{n:09d} a course title" for n in range(200_000)])
    cells = cells_from_columns([texts], np.arange(2, 200_002))
    path = str(tmp_path / "sheet.arrow")
    to_ipc(cells, path)
    mapped = from_ipc(path)
    assert mapped.series(0).str.len().sum() > 0
    assert _mapped_kb(path) > 4_000
    mapped.release_pages()
    assert _mapped_kb(path) < 100
    assert mapped.series(0).iloc[-1] == "000199999 a course title"
