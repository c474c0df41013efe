"""CSV/XLSX exports: ISO dates in CSV, dd/mm/yyyy date cells in XLSX, empty missing values,
no cell that runs as a formula, the header block above a list of people, and text too long
for a cell cut with a note, never silently."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from compliance import columns, export, lists
from compliance.cell_limit import CELL_LIMIT, KEPT_CHARACTERS
from compliance.errors import ExportError
from compliance.export import (
    MAX_COLUMN_WIDTH,
    neutralise_formulas,
    safe_sheet_name,
    to_csv_bytes,
    to_xlsx_bytes,
    write_table,
)
from compliance.heading import Heading
from tests.exports import read_export
from tests.force import engine_status

HOSTILE = [
    "=1+1",
    "+44 1234",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=cmd",
    "\r=cmd",
    "\uff1d1+1",
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
    '=HYPERLINK("http://evil.example","click")',
]
XLSX_FORMULA_LIKE = ["{=A1}"]
"""XlsxWriter's ``write()`` would turn this into an array formula; in CSV it is inert."""
HARMLESS = ["Ann Lee", "O'Brien", "http://example.org", "", "Zoë Seán", "1+1="]


def status_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": ["0456", "1234", "60001"],
            "name": ["Zoë Jones", "=cmd|' /C calc'!A0", None],
            "last_completed": pd.to_datetime(["2025-08-26", None, "2024-02-29"]),
            "days_overdue": pd.array([None, 12, 400], dtype="Int64"),
            "compliance_rate": [0.5, float("nan"), 1.0],
        }
    )


def read_csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_prefixes_formula_text(text: str) -> None:
    rows = read_csv_rows(to_csv_bytes(pd.DataFrame({"name": [text]})))
    assert rows[1] == ["'" + text]


@pytest.mark.parametrize("text", HARMLESS)
def test_csv_leaves_plain_text_alone(text: str) -> None:
    rows = read_csv_rows(to_csv_bytes(pd.DataFrame({"name": [text]})))
    assert rows[1] == [text]


def test_csv_has_bom_iso_dates_and_empty_missing_values() -> None:
    data = to_csv_bytes(status_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = read_csv_rows(data)
    assert rows[0] == ["person_id", "name", "last_completed", "days_overdue", "compliance_rate"]
    assert rows[1] == ["0456", "Zoë Jones", "2025-08-26", "", "0.5"]
    assert rows[2] == ["1234", "'=cmd|' /C calc'!A0", "", "12", ""]
    assert rows[3] == ["60001", "", "2024-02-29", "400", "1.0"]


def test_csv_keeps_time_of_day_only_when_present() -> None:
    frame = pd.DataFrame({"at": pd.to_datetime(["2026-11-01 14:32:05", None])})
    assert read_csv_rows(to_csv_bytes(frame))[1:] == [["2026-11-01 14:32:05"], [""]]


def test_negative_numbers_stay_numbers() -> None:
    rows = read_csv_rows(to_csv_bytes(pd.DataFrame({"days": [-3, 4]})))
    assert rows[1:] == [["-3"], ["4"]]


def load_sheet(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


@pytest.mark.parametrize("text", HOSTILE + XLSX_FORMULA_LIKE + HARMLESS[:3])
def test_xlsx_writes_every_text_as_a_string(text: str) -> None:
    data = to_xlsx_bytes(pd.DataFrame({text: [text]}))
    sheet = load_sheet(data)
    for cell in (sheet["A1"], sheet["A2"]):
        assert cell.data_type == "s"
        assert cell.value.replace("_x000D_", "\r") == text
        assert cell.hyperlink is None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml
    assert b"hyperlink" not in xml


def test_xlsx_layout_dates_and_missing_values() -> None:
    frame = status_frame()
    frame["note"] = "x" * 200
    sheet = load_sheet(to_xlsx_bytes(frame, "Overdue"))
    assert sheet.title == "Overdue"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F4"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet["A2"].value == "0456" and sheet["A2"].data_type == "s"
    assert sheet["C2"].value == dt.datetime(2025, 8, 26)
    assert sheet["C2"].number_format == "dd/mm/yyyy"
    assert sheet["C3"].value is None
    assert sheet["D3"].value == 12 and sheet["D2"].value is None
    assert sheet["E3"].value is None
    assert sheet["B4"].value is None
    widths = {key: dim.width for key, dim in sheet.column_dimensions.items()}
    assert widths["F"] <= MAX_COLUMN_WIDTH + 1
    assert widths["B"] > len("name") + 1


def test_xlsx_of_an_empty_frame_keeps_the_header() -> None:
    frame = pd.DataFrame({"person_id": pd.Series(dtype="string"), "due": pd.Series(dtype="M8[ns]")})
    sheet = load_sheet(to_xlsx_bytes(frame))
    assert [c.value for c in sheet[1]] == ["person_id", "due"]
    assert sheet.max_row == 1


def test_neutralise_formulas_keeps_missing_values() -> None:
    result = neutralise_formulas(pd.Series(["=x", None, "ok"], dtype="object"))
    assert result.tolist()[0] == "'=x" and result.isna().tolist() == [False, True, False]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Overdue", "Overdue"),
        ("a/b:c*d?e[f]g\\h", "a b c d e f g h"),
        ("x" * 40, "x" * 31),
        ("'", "Export"),
        ("", "Export"),
    ],
)
def test_safe_sheet_name(name: str, expected: str) -> None:
    assert safe_sheet_name(name) == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_write_table_to_path_and_stream(tmp_path, fmt: str) -> None:
    """Same table every way; xlsx files carry their creation second, so sheets are compared."""
    frame = status_frame()
    path = tmp_path / f"out.{fmt}"
    write_table(frame, path, fmt)
    stream = io.BytesIO()
    write_table(frame, stream, fmt)
    if fmt == "csv":
        assert path.read_bytes() == stream.getvalue() == to_csv_bytes(frame)
        return
    written = [path.read_bytes(), stream.getvalue(), to_xlsx_bytes(frame)]
    read = [pd.read_excel(io.BytesIO(data), engine="openpyxl") for data in written]
    pd.testing.assert_frame_equal(read[0], read[1])
    pd.testing.assert_frame_equal(read[0], read[2])


def test_write_table_rejects_unknown_format(tmp_path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        write_table(status_frame(), tmp_path / "out.pdf", "pdf")  # type: ignore[arg-type]


def test_table_bytes_csv_and_xlsx_hold_the_rows() -> None:
    table = lists.overdue_table(engine_status())
    csv = pd.read_csv(io.BytesIO(export.table_bytes(table, "csv", "Overdue")), dtype=str)
    assert csv["person_id"].tolist() == table["person_id"].tolist()
    xlsx = pd.read_excel(io.BytesIO(export.table_bytes(table, "xlsx", "Overdue")), dtype=str)
    assert xlsx["person_id"].tolist() == table["person_id"].tolist()


def heading(**changes: object) -> Heading:
    fields = {
        "title": "Overdue list", "as_of": dt.date(2026, 11, 1),
        "filters": "unit South Division / Response; all courses; all staff types",
        "purpose": "Reminders to line managers", "reference": "March reminders 2026",
        "recipient": "Insp. Hall", "exported_by": "tm (manager)", "marking": "OFFICIAL-SENSITIVE",
    }
    return Heading(**{**fields, **changes})


def overdue_shown() -> pd.DataFrame:
    return columns.headed(lists.overdue_table(engine_status()))


BLOCKS = {
    "a manager's list": (heading(), {}),
    "demo data": (heading(title="DEMO overdue list"), {"Title": "DEMO overdue list"}),
    "another marking": (heading(marking="OFFICIAL"), {"Marking": "OFFICIAL"}),
    "command line, no reference or recipient": (
        heading(reference="", recipient="", exported_by="ann (command line)"),
        {"Exported by": "ann (command line)"},
    ),
    "hostile filters and purpose": (
        heading(filters="=HYPERLINK(\"http://evil\")", purpose="+cmd|calc"),
        {"Filters": "=HYPERLINK(\"http://evil\")", "Purpose": "+cmd|calc"},
    ),
}


@pytest.mark.parametrize(("block", "expected"), BLOCKS.values(), ids=list(BLOCKS))
def test_xlsx_header_block_says_what_why_who_and_the_marking(
    block: Heading, expected: dict[str, str]
) -> None:
    table = overdue_shown()
    read = read_export(export.table_bytes(table, "xlsx", "Overdue", block))
    wanted = {label: value for label, value in block.rows() if label != "As of"}
    assert {k: v for k, v in read.block.items() if k != "As of"} == {**wanted, **expected}
    assert list(read.block)[:3] == ["Marking", "Title", "As of"]
    if not block.reference:
        assert "Reference" not in read.block and "Recipient" not in read.block
    as_of = read.sheet.cell(row=3, column=2)
    assert as_of.value == dt.datetime(2026, 11, 1) and as_of.number_format == "dd/mm/yyyy"
    for row in read.sheet.iter_rows(max_row=read.header_row):
        assert all(c.data_type in ("s", "n", "d") and c.hyperlink is None for c in row)
    assert list(read.table.columns) == list(table.columns)
    assert read.table["ID"].tolist() == table["ID"].tolist()
    assert read.sheet.freeze_panes == f"A{read.header_row + 1}"
    last = openpyxl.utils.get_column_letter(len(table.columns))
    assert read.sheet.auto_filter.ref == f"A{read.header_row}:{last}{read.header_row + len(table)}"
    assert block.marking in read.sheet.oddHeader.center.text


@pytest.mark.parametrize(
    ("column", "values", "shown"),
    [
        ("Due date", ["2026-01-31", None], "dd/mm/yyyy"),
        ("Last completed", ["2024-02-29", "2025-12-01"], "dd/mm/yyyy"),
        ("At", ["2026-11-01 14:32:05", None], "dd/mm/yyyy hh:mm:ss"),
    ],
)
def test_xlsx_dates_are_date_cells_shown_day_first(
    column: str, values: list[str | None], shown: str
) -> None:
    frame = pd.DataFrame({"ID": ["1", "2"], column: pd.to_datetime(values)})
    read = read_export(export.table_bytes(frame, "xlsx", "Overdue", heading()))
    cell = read.sheet.cell(row=read.header_row + 1, column=2)
    assert isinstance(cell.value, dt.datetime)
    assert cell.value == pd.Timestamp(values[0]).to_pydatetime()
    assert cell.number_format == shown
    assert read_csv_rows(to_csv_bytes(frame))[1][1] == values[0]


@pytest.mark.parametrize("block", [heading(), None], ids=["with block", "plain table"])
@pytest.mark.parametrize("length", [CELL_LIMIT + 1, 100_000])
def test_text_longer_than_a_cell_is_cut_with_a_note_and_listed(
    block: Heading | None, length: int
) -> None:
    long = "=" + "x" * (length - 1)
    frame = pd.DataFrame({"ID": ["1", "2"], "Notes": ["short", long]})
    data = export.table_bytes(frame, "xlsx", "Overdue", block)
    read = read_export(data)
    cell = read.sheet.cell(row=read.header_row + 2, column=2)
    assert cell.data_type == "s" and len(cell.value) <= CELL_LIMIT
    assert cell.value.startswith(long[:KEPT_CHARACTERS])
    removed = length - KEPT_CHARACTERS
    assert cell.value.endswith(f" ... [cut: {removed:,} more characters, full text in the CSV]")
    address = f"B{read.header_row + 2}"
    listed = f"{address} (Notes): {length:,} characters, cut to {KEPT_CHARACTERS:,}"
    if block is None:
        notes = read_export(data, first_header="Text cut (the CSV download holds the full text)",
                            sheet=1)
        assert notes.table.iloc[:, 0].tolist() == [listed]
    else:
        assert listed in read.block["Text cut"]
    assert read.table["Notes"].iloc[0] == "short"
    assert read_csv_rows(to_csv_bytes(frame))[2][1] == "'" + long


def test_text_that_fits_is_not_cut_and_nothing_is_listed() -> None:
    frame = pd.DataFrame({"ID": ["1"], "Notes": ["y" * CELL_LIMIT]})
    read = read_export(export.table_bytes(frame, "xlsx", "Overdue", heading()))
    assert read.table["Notes"].iloc[0] == "y" * CELL_LIMIT
    assert "Text cut" not in read.block


def test_many_cut_cells_are_counted_past_the_first_twenty() -> None:
    frame = pd.DataFrame({"ID": [str(i) for i in range(25)], "Notes": ["z" * 40_000] * 25})
    read = read_export(export.table_bytes(frame, "xlsx", "Overdue", heading()))
    assert read.block["Text cut"].count("(Notes): 40,000 characters") == 20
    assert "; and 5 more (the CSV download holds the full text)" in read.block["Text cut"]
