"""Where a command's table goes: CSV or XLSX file, or formula-safe CSV on standard output."""

from __future__ import annotations

import io
import sys

import openpyxl
import pandas as pd
import pytest

from compliance.cli import output
from compliance.errors import UsageError

TABLE = pd.DataFrame(
    {
        "person_id": ["7", "8"],
        "name": ["=HYPERLINK(\"http://x\",\"Zoë\")", "Seán"],
        "due_date": pd.to_datetime(["2026-01-31", None]),
        "days": [3, None],
    }
)
CSV_LINES = [
    "person_id,name,due_date,days",
    "7,\"'=HYPERLINK(\"\"http://x\"\",\"\"Zoë\"\")\",2026-01-31,3.0",
    "8,Seán,,",
]


@pytest.mark.parametrize(
    ("out", "fmt"),
    [("-", "csv"), ("s.csv", "csv"), ("S.CSV", "csv"), ("dir/s.xlsx", "xlsx"), ("s.Xlsx", "xlsx")],
)
def test_output_format(out: str, fmt: str) -> None:
    assert output.output_format(out) == fmt


@pytest.mark.parametrize("out", ["s.pdf", "s", "s.xls", "s.csv.txt"])
def test_output_format_refuses_other_suffixes(out: str) -> None:
    with pytest.raises(UsageError) as raised:
        output.output_format(out)
    assert str(raised.value) == (
        f"--out {out!r}: the file name must end in .csv or .xlsx (or be -)"
    )


def test_stdout_csv_is_formula_safe_without_bom(capsysbinary) -> None:
    output.write_output(TABLE, "-", "Status")
    out, err = capsysbinary.readouterr()
    assert err == b""
    assert out.decode("utf-8").split("\r\n") == [*CSV_LINES, ""]


def test_stdout_that_is_text_only_gets_the_same_text(monkeypatch) -> None:
    text = io.StringIO()
    monkeypatch.setattr(sys, "stdout", text)
    output.write_csv_stdout(TABLE)
    assert text.getvalue().split("\r\n") == [*CSV_LINES, ""]


def test_csv_file_has_a_bom_for_excel(tmp_path, capsys) -> None:
    out = tmp_path / "s.csv"
    output.write_output(TABLE, str(out), "Status")
    data = out.read_bytes()
    assert data.startswith(output.UTF8_BOM)
    assert data.removeprefix(output.UTF8_BOM).decode("utf-8").split("\r\n") == [*CSV_LINES, ""]
    assert capsys.readouterr().err == f"Wrote 2 rows to {out}\n"


def test_xlsx_file_holds_text_not_formulas(tmp_path, capsys) -> None:
    out = tmp_path / "s.xlsx"
    output.write_output(TABLE, str(out), "Overdue")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Overdue"]
    cell = book["Overdue"]["B2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(\"http://x\",\"Zoë\")", "s")
    assert capsys.readouterr().err == f"Wrote 2 rows to {out}\n"


@pytest.mark.parametrize(("lines", "err"), [([], ""), (["a", "  b"], "a\n  b\n")])
def test_print_lines(capsys, lines: list[str], err: str) -> None:
    output.print_lines(lines)
    assert capsys.readouterr() == ("", err)
