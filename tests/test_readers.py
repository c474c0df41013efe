"""read_workbook: every format and quirk in, raw grids out; anything unusable refused."""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np
import pandas as pd
import pytest

from loaders.errors import LoaderError
from loaders.limits import Limits
from loaders.readers import parse, read_workbook
from loaders.sandbox import run_isolated
from tests import hostile
from tests.filemaker import (
    csv_bytes,
    ods_bytes,
    relocated_xlsx,
    xls_bytes,
    xlsm_bytes,
    xlsx_bytes,
)

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


def test_a_refusal_of_the_checks_stands_whatever_the_worker_did(caplog) -> None:
    """The parts are checked while the worker parses: calamine aborts on this file, and
    the check's words are still the ones given, with no worker death logged."""
    caplog.set_level(logging.WARNING, logger="loaders.sandbox")
    with pytest.raises(LoaderError) as raised:
        read_workbook(hostile.far_cell_xlsx(), "far.xlsx")
    assert raised.value.reason == "out_of_range"
    assert caplog.records == []


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


def _calamine_refuses(data: bytes) -> bytes:
    """The same workbook plus a sheet entry whose relationship id is empty: calamine
    refuses the file ("Relationship not found"), openpyxl skips the entry."""
    ghost = b'<sheet name="Ghost" sheetId="99" r:id=""/></sheets>'
    return hostile.rewrite_zip(
        data, {"xl/workbook.xml": lambda xml: xml.replace(b"</sheets>", ghost)}
    )


def _as_timestamps(grid: pd.DataFrame) -> pd.DataFrame:
    return grid.map(lambda v: pd.Timestamp(v) if isinstance(v, dt.date) else v)


@pytest.mark.parametrize("make", [xlsx_bytes, xlsm_bytes], ids=["xlsx", "xlsm"])
def test_openpyxl_reads_what_calamine_refuses_the_same_way(make) -> None:
    rows = [*ROWS, [9012, "Bob Roe", None]]
    data = make(
        {"Staff": rows, "Secret": [["Collar No"], ["SECRET-1"]]},
        hidden={"Secret": "veryHidden"},
        formulas={"Staff": {"D4": "=A4*2", "D5": "=A5*2"}},
        cached={"Staff": {"D4": 2468}},
    )
    direct = read_workbook(data, "staff.xlsx")
    fallback = read_workbook(_calamine_refuses(data), "staff.xlsx")
    assert fallback.file_type == direct.file_type
    assert [s.name for s in fallback.sheets] == ["Staff"]
    assert fallback.hidden_sheets == ["Secret"]
    grid = fallback.sheets[0].grid
    pd.testing.assert_frame_equal(_as_timestamps(grid), _as_timestamps(direct.sheets[0].grid))
    assert grid.loc[4, 3] == 2468 and grid.loc[5, 3] is None
    assert fallback.sheets[0].missing_formula_values == [(5, 3)]


def test_a_file_neither_reader_opens_keeps_calamines_words() -> None:
    data = hostile.rewrite_zip(
        _calamine_refuses(xlsx_bytes({"S": ROWS})),
        {"xl/workbook.xml": lambda xml: xml.replace(b'r:id="rId1"', b'r:id="rId404"')},
    )
    with pytest.raises(LoaderError) as raised:
        read_workbook(data, "broken.xlsx")
    assert raised.value.reason == "corrupt"
    assert str(raised.value) == (
        "broken.xlsx: the file is damaged and cannot be read (Relationship not found): "
        "open it in Excel, save a new copy and upload that"
    )


def test_a_password_protected_xls_says_so() -> None:
    with pytest.raises(LoaderError) as raised:
        read_workbook(hostile.password_protected_xls(), "rota.xls")
    assert raised.value.reason == "encrypted"
    assert str(raised.value).startswith("rota.xls: the file is password-protected: open it")


def test_parts_with_unusual_names_are_read() -> None:
    book = read_workbook(relocated_xlsx([["Collar No", "Name"], [1234, "Ann Lee"]]), "hr.xlsx")
    assert (book.file_type, [s.name for s in book.sheets]) == ("xlsx", ["Staff"])
    assert book.sheets[0].grid.values.tolist() == [["Collar No", "Name"], [1234, "Ann Lee"]]


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_text_is_read(encoding: str) -> None:
    book = read_workbook(csv_bytes(ROWS, encoding=encoding), "staff.csv", limits=PURE)
    assert book.sheets[0].grid.loc[4].tolist() == ["1234", "Zoë O’Brien", "26/08/2024 00:00"]
    assert book.notes[0].startswith("Encoding: UTF-32")


WIDE = [[f"h{i}" for i in range(5)], list(range(5))]
TALL = [["h"], *[[i] for i in range(5)]]


@pytest.mark.parametrize("isolate", [False, True], ids=["pure", "worker"])
@pytest.mark.parametrize(
    ("data", "name"),
    [
        (csv_bytes(WIDE), "staff.csv"),
        (xls_bytes({"Staff": WIDE}), "staff.xls"),
        (ods_bytes({"Staff": WIDE}), "staff.ods"),
        (xlsx_bytes({"Staff": WIDE}), "staff.xlsx"),
    ],
)
def test_every_format_is_held_to_the_column_cap(data: bytes, name: str, isolate: bool) -> None:
    limits = Limits(max_columns=4, isolate=isolate)
    with pytest.raises(LoaderError) as raised:
        read_workbook(data, name, limits=limits)
    assert raised.value.reason in {"too_many_columns", "out_of_range"}
    assert str(raised.value).startswith(f"{name}: ")
    if not name.endswith((".xlsx", ".ods")):
        where = "the file" if name.endswith(".csv") else "sheet 'Staff'"
        assert str(raised.value) == (
            f"{name}: {where} has 5 columns, over the limit of 4: delete the columns that "
            "are not needed (or export only the ones needed) and upload it again"
        )


@pytest.mark.parametrize(
    ("data", "name", "file_type"),
    [
        (csv_bytes(TALL), "staff.csv", "text"),
        (xls_bytes({"Staff": TALL}), "staff.xls", "xls"),
        (ods_bytes({"Staff": TALL}), "staff.ods", "ods"),
        (xlsx_bytes({"Staff": TALL}), "staff.xlsx", "xlsx"),
        (_calamine_refuses(xlsx_bytes({"Staff": TALL})), "staff.xlsx", "xlsx"),
    ],
    ids=["csv", "xls", "ods", "xlsx", "xlsx-openpyxl"],
)
def test_every_reader_holds_its_sheets_to_the_row_cap(
    data: bytes, name: str, file_type: str
) -> None:
    """Past the zip checks too: the parser itself refuses a sheet over the cap."""
    with pytest.raises(LoaderError) as raised:
        parse(data, name, file_type, Limits(max_rows=5))
    assert raised.value.reason == "too_many_rows"
    assert "has 6 rows, over the limit of 5: split it into smaller files" in str(raised.value)
