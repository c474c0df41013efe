"""The ``status``, ``summary`` and ``overdue`` commands, run in-process through ``main(argv)``.

Every status of the small force in ``tests.cli_force`` is checked against values worked
out by hand from the rules; the demo force is run as well, for the realistic outcome the
dashboard shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from compliance.cli import main
from compliance.cli.tables import SHEET_NAMES, TABLE_COMMANDS
from tests.cli_force import (
    AS_OF,
    DEMO,
    DEMO_RULES,
    EXPECTED_STATUS,
    STATUS_HEAD,
    SUMMARY_COLUMNS,
    inputs,
    read_csv,
    run,
    write_force,
)
from tests.filemaker import csv_bytes


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return write_force(tmp_path)


def test_status_matches_the_rules_row_for_row(files, tmp_path, capsys) -> None:
    out = tmp_path / "status.csv"
    code, _, err = run(["status", *inputs(files), "--out", str(out)], capsys)
    assert code == 0, err
    rows = read_csv(out)
    assert list(rows[0])[:8] == STATUS_HEAD
    got = [
        (r["person_id"], r["course"], r["status"], r["last_completed"], r["due_date"],
         r["days_overdue"])
        for r in rows
    ]
    assert got == EXPECTED_STATUS  # 0101 as the roster wrote it; the export wrote 101
    assert {r["name"] for r in rows if r["person_id"] == "107"} == {"Gus Fry"}
    assert {r["unit"] for r in rows if r["person_id"] == "0101"} == {"Ops / Firearms"}
    assert "Traceback" not in err


def test_stderr_summarises_problems_and_unmatched(files, tmp_path, capsys) -> None:
    code, _, err = run(["status", *inputs(files), "--out", str(tmp_path / "s.csv")], capsys)
    assert code == 0
    assert "learning history.csv: loaded" in err
    assert "course matches no requirement" in err and "Manual Handling" in err
    assert "matched nobody" in err
    assert "999 is not on the roster" in err


def test_summary_by_unit_level(files, tmp_path, capsys) -> None:
    out = tmp_path / "summary.csv"
    code, _, err = run(["summary", *inputs(files, "--level", "2"), "--out", str(out)], capsys)
    assert code == 0, err
    rows = read_csv(out)
    assert list(rows[0]) == SUMMARY_COLUMNS
    table = {r["unit"]: [r[c] for c in SUMMARY_COLUMNS[1:]] for r in rows}
    assert table == {
        "Ops / Firearms": ["6", "2", "1", "1", "2", "0", "0.5"],
        "West / Northtown": ["4", "1", "0", "1", "0", "2", "0.5"],
        "West / Southtown": ["2", "1", "0", "0", "1", "0", "0.5"],
        "ALL": ["12", "4", "1", "2", "3", "2", "0.5"],
    }
    assert rows[-1]["unit"] == "ALL"


def test_summary_default_level_is_the_top_unit(files, tmp_path, capsys) -> None:
    out = tmp_path / "summary.csv"
    assert run(["summary", *inputs(files), "--out", str(out)], capsys)[0] == 0
    assert [r["unit"] for r in read_csv(out)] == ["Ops", "West", "ALL"]


def test_overdue_list_most_overdue_first_with_contact_details(files, tmp_path, capsys) -> None:
    out = tmp_path / "overdue.csv"
    code, _, err = run(["overdue", *inputs(files), "--out", str(out)], capsys)
    assert code == 0, err
    rows = read_csv(out)
    assert list(rows[0]) == [*STATUS_HEAD, "role", "email", "manager"]
    assert [(r["person_id"], r["course"], r["days_overdue"]) for r in rows] == [
        ("102", "Firearms Refresher", ""),
        ("108", "Managing Information", "9130"),
        ("102", "Managing Information", "30"),
    ]
    assert rows[1]["role"] == "Constable"
    assert rows[1]["email"] == "hal.orr@anyforce.police.uk"
    assert rows[1]["manager"] == "Ann Lee"


def test_xlsx_output_has_the_same_rows(files, tmp_path, capsys) -> None:
    out = tmp_path / "status.xlsx"
    assert run(["status", *inputs(files), "--out", str(out)], capsys)[0] == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:8]) == STATUS_HEAD
    assert [(r[0], r[3], r[4]) for r in rows[1:]] == [e[:3] for e in EXPECTED_STATUS]
    assert rows[1][5] == dt.datetime(2025, 7, 20)


def test_dash_writes_csv_to_stdout_without_bom(files, capsysbinary) -> None:
    code = main(["status", *inputs(files), "--out", "-"])
    out, err = capsysbinary.readouterr()
    assert code == 0, err
    assert not out.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"))))
    assert rows[0][:8] == STATUS_HEAD
    assert len(rows) == len(EXPECTED_STATUS) + 1


def test_dash_works_when_stdout_is_text_only(files, monkeypatch) -> None:
    text = io.StringIO()
    monkeypatch.setattr(sys, "stdout", text)
    assert main(["summary", *inputs(files), "--out", "-"]) == 0
    assert text.getvalue().splitlines()[0] == ",".join(SUMMARY_COLUMNS)


@pytest.mark.parametrize(
    ("flags", "expected"), [([], "2026-02-01"), (["--month-first"], "2026-01-02")]
)
def test_month_first(tmp_path, capsys, flags: list[str], expected: str) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_bytes(csv_bytes([["Staff Number", "Name"], ["7", "Ann Lee"]]))
    done = tmp_path / "done.csv"
    done.write_bytes(csv_bytes([["Staff Number", "Course", "Completed On"],
                                ["7", "Safeguarding", "01/02/2026"]]))
    rules = tmp_path / "rules.yaml"
    rules.write_text("requirements:\n  - course: Safeguarding\n")
    out = tmp_path / "s.csv"
    argv = ["status", "--roster", str(roster), "--completions", str(done),
            "--requirements", str(rules), "--as-of", AS_OF, *flags, "--out", str(out)]
    assert run(argv, capsys)[0] == 0
    assert read_csv(out)[0]["last_completed"] == expected


def test_map_and_course_options(tmp_path, capsys) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_bytes(csv_bytes([["Ref", "Name"], ["7", "Ann Lee"]]))
    done = tmp_path / "export (2).csv"
    done.write_bytes(csv_bytes([["Ref", "Date Completed"], ["7", "01/02/2026"]]))
    rules = tmp_path / "rules.yaml"
    rules.write_text("requirements:\n  - course: Safeguarding\n")
    out = tmp_path / "s.csv"
    base = ["status", "--roster", str(roster), "--completions", str(done),
            "--requirements", str(rules), "--as-of", AS_OF, "--out", str(out)]
    code, _, err = run(base, capsys)
    assert code == 1 and "staff.csv" in err
    code, _, err = run([*base, "--map", "Ref=person_id"], capsys)
    assert code == 1 and "export (2).csv" in err and "--course" in err
    code, _, err = run([*base, "--map", "Ref=person_id", "--course", "Safeguarding"], capsys)
    assert code == 0, err
    assert read_csv(out)[0]["status"] == "compliant"


@pytest.fixture(scope="module")
def demo_tables(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """The demo force run through ``status`` and ``summary`` once (as of its own date)."""
    out = tmp_path_factory.mktemp("demo")
    argv = [
        "--roster", str(DEMO / "hr_roster.xlsx"),
        "--completions", *(str(DEMO / n) for n in (
            "lms_completions.csv", "learning_platform.xlsx", "course_matrix.xlsx",
            "completion-managing_information (1).csv",
        )),
        "--exemptions", str(DEMO / "exemptions.csv"),
        "--requirements", str(DEMO_RULES),
        "--as-of", "2026-11-01",
    ]
    tables = {}
    for command in ("status", "summary"):
        path = out / f"{command}.csv"
        assert main([command, *argv, "--out", str(path)]) == 0
        tables[command] = pd.read_csv(path, dtype=str, keep_default_na=False,
                                      encoding="utf-8-sig")
    return tables


def test_demo_status_is_realistic(demo_tables) -> None:
    status = demo_tables["status"]
    assert list(status.columns[:8]) == STATUS_HEAD
    keys = list(zip(status["person_id"], status["course"], strict=True))
    assert keys == sorted(keys)
    shares = status["status"].value_counts(normalize=True)
    assert set(shares.index) == {"compliant", "expiring", "pending", "overdue", "exempt"}
    assert shares["compliant"] > 0.7
    assert 0.05 < shares["overdue"] < 0.2
    assert status["person_id"].nunique() > 1800
    assert (status.loc[status["status"] == "exempt", "exemption_reason"] != "").all()


def test_demo_summary_has_a_clear_worst_unit(demo_tables) -> None:
    summary = demo_tables["summary"]
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert summary["unit"].iloc[-1] == "ALL"
    rates = summary.set_index("unit")["compliance_rate"].astype(float)
    divisions = rates.drop("ALL")
    assert len(divisions) >= 4
    worst = divisions.idxmin()
    assert worst == "South Division"
    assert divisions.drop(worst).min() - divisions[worst] > 0.05
    assert int(summary["in_scope"].iloc[-1]) == len(demo_tables["status"])


@pytest.mark.parametrize(("command", "sheet"), list(SHEET_NAMES.items()))
def test_xlsx_sheet_is_named_after_the_command(files, tmp_path, capsys, command, sheet) -> None:
    out = tmp_path / f"{command}.xlsx"
    code, _, err = run([command, *inputs(files), "--out", str(out)], capsys)
    assert code == 0, err
    assert openpyxl.load_workbook(out).sheetnames == [sheet]
    assert err.strip().splitlines()[-1] == f"Wrote {_rows(command)} rows to {out}"


def _rows(command: str) -> int:
    return {"status": len(EXPECTED_STATUS), "summary": 3, "overdue": 3}[command]


def test_the_three_commands_are_documented() -> None:
    assert list(TABLE_COMMANDS) == ["status", "summary", "overdue"] == list(SHEET_NAMES)

