"""read_workbook: every format and quirk in, raw grids out; anything unusable refused."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from loaders.errors import LoaderError
from loaders.limits import Limits
from loaders.readers import parse, read_workbook
from loaders.sandbox import run_isolated
from tests import hostile
from tests.filemaker import csv_bytes, ods_bytes, xls_bytes, xlsm_bytes, xlsx_bytes

PURE = Limits(isolate=False)
COMPLETED = dt.datetime(2024, 8, 26)
ROWS = [
    ["Managing Information completions"],
    [None, None, None],
    ["Collar No", "Name", "Completed"],
    [1234, "Zoë O’Brien", COMPLETED],
    [5678, "Ann Lee", dt.date(2024, 3, 5)],
]
SPREADSHEETS = {
    "xlsx": lambda rows: xlsx_bytes({"Staff": rows}),
    "xlsm": lambda rows: xlsm_bytes({"Staff": rows}),
    "xls": lambda rows: xls_bytes({"Staff": rows}),
    "ods": lambda rows: ods_bytes({"Staff": rows}),
}


@pytest.mark.parametrize("file_type", list(SPREADSHEETS))
def test_spreadsheets_keep_file_rows_and_cell_types(file_type: str) -> None:
    book = read_workbook(SPREADSHEETS[file_type](ROWS), f"staff.{file_type}", limits=PURE)
    assert book.file_type == file_type
    assert [sheet.name for sheet in book.sheets] == ["Staff"]
    grid = book.sheets[0].grid
    assert grid.index.tolist() == [1, 2, 3, 4, 5]
    assert grid.columns.tolist() == [0, 1, 2]
    assert set(grid.dtypes) == {np.dtype(object)}
    assert grid.loc[1].tolist() == ["Managing Information completions", None, None]
    assert grid.loc[2].tolist() == [None, None, None]
    assert grid.loc[3].tolist() == ["Collar No", "Name", "Completed"]
    assert grid.loc[4, 0] == 1234
    assert grid.loc[4, 1] == "Zoë O’Brien"
    assert isinstance(grid.loc[4, 2], dt.date)
    assert pd.Timestamp(grid.loc[4, 2]) == pd.Timestamp(COMPLETED)
    assert pd.Timestamp(grid.loc[5, 2]) == pd.Timestamp(2024, 3, 5)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimited_text_in_every_encoding(encoding: str, sep: str) -> None:
    book = read_workbook(csv_bytes(ROWS, sep=sep, encoding=encoding), "staff.csv", limits=PURE)
    assert book.file_type == "csv"
    grid = book.sheets[0].grid
    assert grid.index.tolist() == [1, 2, 3, 4, 5]
    assert grid.loc[1].tolist() == ["Managing Information completions", None, None]
    assert grid.loc[2].tolist() == [None, None, None]
    assert grid.loc[4].tolist() == ["1234", "Zoë O’Brien", "26/08/2024 00:00"]
    assert {"comma": ",", "semicolon": ";", "tab": "\t"}[book.notes[0].split()[-1]] == sep


def test_text_quirks_ragged_rows_quotes_and_line_numbers() -> None:
    data = (
        b'Report generated 01/09/2024\r\n\r\nID,Name,Note\r\n1,"Lee, Ann","two\r\nlines"\r\n'
        b'2,Bob\r\n3,"Say ""hi""",\r\n\r\n\r\n'
    )
    grid = read_workbook(data, "report.txt", limits=PURE).sheets[0].grid
    assert grid.columns.tolist() == [0, 1, 2]
    assert grid.index.tolist() == [1, 2, 3, 4, 6, 7]
    assert grid.loc[4].tolist() == ["1", "Lee, Ann", "two\r\nlines"]
    assert grid.loc[6].tolist() == ["2", "Bob", None]
    assert grid.loc[7].tolist() == ["3", 'Say "hi"', None]


def test_several_visible_sheets_in_order_and_hidden_ones_never_read() -> None:
    data = xlsx_bytes(
        {
            "Cover": [["Training export"]],
            "Secret": [["Collar No", "Grievance"], [1, "SECRET-1"]],
            "Staff": ROWS,
            "Vault": [["VAULT-2"]],
        },
        hidden={"Secret": "hidden", "Vault": "veryHidden"},
    )
    book = read_workbook(data, "export.xlsx", limits=PURE)
    assert [sheet.name for sheet in book.sheets] == ["Cover", "Staff"]
    assert book.hidden_sheets == ["Secret", "Vault"]
    cells = pd.concat([sheet.grid for sheet in book.sheets]).to_numpy().ravel().tolist()
    assert not {"SECRET-1", "VAULT-2", "Grievance"} & set(cells)


def test_cached_formula_values_are_used_and_missing_ones_reported() -> None:
    rows = [["ID", "Double"], [2, None], [3, None]]
    formulas = {"Staff": {"B2": "=A2*2", "B3": "=A3*2"}}
    data = xlsx_bytes({"Staff": rows}, formulas=formulas, cached={"Staff": {"B2": 4}})
    sheet = read_workbook(data, "export.xlsx", limits=PURE).sheets[0]
    assert sheet.grid.loc[2, 1] == 4
    assert sheet.grid.loc[3, 1] is None
    assert sheet.missing_formula_values == [(3, 1)]


@pytest.mark.parametrize(
    ("data", "name", "file_type"),
    [
        (xlsx_bytes({"S": ROWS}), "staff.csv", "xlsx"),
        (ods_bytes({"S": ROWS}), "staff.xlsx", "ods"),
        (xls_bytes({"S": ROWS}), "staff.xlsx", "xls"),
        (csv_bytes(ROWS), "staff.xlsx", "csv"),
        (csv_bytes(ROWS, sep="\t", encoding="utf-16"), "staff.xls", "csv"),
    ],
)
def test_type_comes_from_content_not_extension(data: bytes, name: str, file_type: str) -> None:
    assert read_workbook(data, name, limits=PURE).file_type == file_type


def test_trailing_empty_cells_are_dropped() -> None:
    grid = read_workbook(b"a,b,,\r\nc,,,\r\n,,,\r\n\r\n", "x.csv", limits=PURE).sheets[0].grid
    assert grid.index.tolist() == [1, 2]
    assert grid.columns.tolist() == [0, 1]


def test_isolated_read_gives_the_same_workbook() -> None:
    data = xlsx_bytes({"Staff": ROWS, "Hidden": [["x"]]}, hidden={"Hidden": "hidden"})
    isolated = read_workbook(data, "staff.xlsx")
    direct = read_workbook(data, "staff.xlsx", limits=PURE)
    assert isolated.hidden_sheets == direct.hidden_sheets == ["Hidden"]
    pd.testing.assert_frame_equal(isolated.sheets[0].grid, direct.sheets[0].grid)


def test_the_sandbox_contains_a_reader_that_aborts() -> None:
    """Without the zip checks, calamine aborts on XFD1048576: only the child dies."""
    with pytest.raises(LoaderError) as raised:
        run_isolated(
            parse, hostile.far_cell_xlsx(), "far.xlsx", "xlsx", limits=Limits(), file="far.xlsx"
        )
    assert raised.value.reason == "unsafe"
    assert str(raised.value).startswith("far.xlsx: the file could not be read safely")


@pytest.mark.parametrize(
    ("data", "reason", "words"),
    [
        (b"", "empty", "the file is empty"),
        (b"\xef\xbb\xbf \r\n\r\n", "empty", "the file is empty"),
        (hostile.PDF, "not_spreadsheet", "PDF document"),
        (hostile.PNG, "not_spreadsheet", "PNG image"),
        (hostile.truncated_xlsx(), "corrupt", "damaged or incomplete"),
        (hostile.cfb_bytes(["EncryptionInfo", "EncryptedPackage"]), "encrypted", "password"),
        (hostile.password_protected_xlsx(), "encrypted", "password-protected"),
        (hostile.zip_bomb_xlsx(), "zip_bomb", "zip bomb"),
        (hostile.zip_bomb_xlsx(lie=True), "corrupt", "damaged"),
        (hostile.entity_expansion_xlsx(), "hostile_xml", "XML entities"),
        (hostile.far_cell_xlsx(), "out_of_range", "cell XFD1048576 is beyond"),
        (hostile.far_cell_xlsx(lying_dimension=True), "out_of_range", "XFD1048576"),
        (bytes(range(256)) * 16, "not_text", "not a spreadsheet or a text file"),
    ],
)
def test_unusable_files_are_refused_by_name(data: bytes, reason: str, words: str) -> None:
    with pytest.raises(LoaderError) as raised:
        read_workbook(data, "upload.xlsx")
    assert raised.value.reason == reason
    assert str(raised.value).startswith("upload.xlsx: ")
    assert words in str(raised.value)
    assert "\n" not in str(raised.value)


def test_oversized_file_is_refused_before_anything_else() -> None:
    with pytest.raises(LoaderError) as raised:
        read_workbook(hostile.PDF * 100, "big.xlsx", limits=Limits(max_bytes=1024))
    assert raised.value.reason == "too_large"
    assert str(raised.value).startswith("big.xlsx: the file is 0.0 MB, over the 0.0009765")


def test_corrupt_workbook_body_is_refused_inside_the_child() -> None:
    data = hostile.rewrite_zip(
        xlsx_bytes({"S": ROWS}), {hostile.SHEET: lambda xml: xml.replace(b"</sheetData>", b"")}
    )
    with pytest.raises(LoaderError) as raised:
        read_workbook(data, "broken.xlsx")
    assert raised.value.reason in {"corrupt", "unsafe"}
    assert str(raised.value).startswith("broken.xlsx: ")
