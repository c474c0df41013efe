"""The command line, run in-process through ``main(argv)``.

Files the loaders have never seen are generated here with ``tests.filemaker`` (other
header spellings, title rows, extra sheets, UTF-16 and semicolons, a wide matrix), and
every status is checked against values worked out by hand from the rules. The demo
force is run as well, for the realistic outcome the dashboard shows.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.machinery
import io
import sys
import types
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from compliance import cli
from compliance.cli import main
from tests import hostile
from tests.filemaker import csv_bytes, xlsx_bytes

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
DEMO_RULES = DEMO.parent / "requirements.yaml"
AS_OF = "2026-06-30"
STATUS_HEAD = [
    "person_id", "name", "unit", "course", "status", "last_completed", "due_date", "days_overdue",
]
SUMMARY_COLUMNS = [
    "unit", "in_scope", "compliant", "expiring", "pending", "overdue", "exempt", "compliance_rate",
]

RULES_YAML = """\
due_soon_days: 30
requirements:
  - course: Managing Information
    aliases: [Management of Information, '/managing\\s+info/']
    renewal_months: 36
    new_starter_days: 90
  - course: Safeguarding
    applies_to:
      staff_type: [officer]
    deadline: 2026-09-30
  - course: Firearms Refresher
    applies_to:
      unit: [Ops / Firearms]
    renewal_months: 12
    not_before: 2025-01-01
"""

D = dt.date
ROSTER_ROWS = [
    ["Anyforce Constabulary"],
    ["Nominal roll - produced 29/06/2026"],
    [],
    ["Warrant No", "Given Name", "Family Name", "BCU", "Station", "Job Title", "Employee Type",
     "Date Joined", "Date Left", "E-mail Address", "Supervisor"],
    ["0101", "Ann", "Lee", "Ops", "Firearms", "Sergeant", "Police Officer", D(2010, 1, 4), None,
     "ann.lee@anyforce.police.uk", "Mo Ray"],
    [102, "Bob", "Khan", "Ops", "Firearms", "Constable", "Police Officer", D(2015, 3, 2), None,
     "bob.khan@anyforce.police.uk", "Ann Lee"],
    [103, "Cat", "Jones", "West", "Northtown", "PCSO", "PCSO", D(2026, 5, 1), None,
     "cat.jones@anyforce.police.uk", "Ann Lee"],
    [104, "Dan", "Roe", "West", "Northtown", "Clerk", "Police Staff", D(2005, 1, 1),
     D(2026, 3, 31), "dan.roe@anyforce.police.uk", "Ann Lee"],
    [105, "Eve", "Poe", "West", "Southtown", "Constable", "Police Officer", D(2026, 8, 1), None,
     "eve.poe@anyforce.police.uk", "Ann Lee"],
    [106, "Fay", "Day", "West", "Northtown", "Constable", "Police Officer", D(2000, 6, 5), None,
     "fay.day@anyforce.police.uk", "Ann Lee"],
    [107, "Gus", "Fry", "West", "Northtown", "Analyst", "Police Staff", D(2012, 9, 3), None,
     "gus.fry@anyforce.police.uk", "Ann Lee"],
    [108, "Hal", "Orr", "West", "Southtown", "Constable", "Police Officer", D(2001, 4, 2), None,
     "hal.orr@anyforce.police.uk", "Ann Lee"],
]
LONG_COMPLETIONS = [
    ["Staff ID", "E-mail", "Course Title", "Date Passed", "Result"],
    ["101", "", "Managing Information", "15/01/2024 09:12", "Passed"],
    ["102", "", "MANAGING  INFORMATION", "31/05/2023", "Passed"],
    ["102", "", "Firearms Refresher", "15/12/2024", "Passed"],
    ["102", "", "Safeguarding", "01/06/2026", "Failed"],
    ["", "Gus.Fry@AnyForce.police.uk", "Management of Information", "15/06/2026", "Passed"],
    ["106", "", "Managing Information", "01/01/2022", "Passed"],
    ["108", "", "Managing Information module (v2)", "05/07/2026", "Passed"],
    ["999", "", "Managing Information", "01/02/2026", "Passed"],
    ["101", "", "Manual Handling", "01/02/2026", "Passed"],
]
WIDE_COMPLETIONS = {
    "About": [["Training matrix export"], ["Dates are completion dates."]],
    "Matrix": [
        ["Training matrix"],
        ["Payroll Number", "Name", "Safeguarding", "Firearms Refresher"],
        [101, "Ann Lee", D(2025, 3, 1), D(2025, 7, 20)],
        [102, "Bob Khan", "not completed", "N/A"],
        [108, "Hal Orr", D(2026, 1, 10), "-"],
    ],
}
EXEMPTIONS = [
    ["Payroll No", "Course", "Exempt From", "Exempt Until", "Reason for exemption"],
    ["106", "*", "01/01/2026", "", "Career break"],
    ["102", "Managing Information", "01/01/2025", "31/12/2025", "Expired exemption"],
]

# person_id, course, status, last_completed, due_date, days_overdue (as the CSV shows them)
EXPECTED_STATUS = [
    ("101", "Firearms Refresher", "expiring", "2025-07-20", "2026-07-20", ""),
    ("101", "Managing Information", "compliant", "2024-01-15", "2027-01-15", ""),
    ("101", "Safeguarding", "compliant", "2025-03-01", "", ""),
    ("102", "Firearms Refresher", "overdue", "", "", ""),
    ("102", "Managing Information", "overdue", "2023-05-31", "2026-05-31", "30"),
    ("102", "Safeguarding", "pending", "", "2026-09-30", ""),
    ("103", "Managing Information", "pending", "", "2026-07-30", ""),
    ("106", "Managing Information", "exempt", "2022-01-01", "2025-01-01", ""),
    ("106", "Safeguarding", "exempt", "", "2026-09-30", ""),
    ("107", "Managing Information", "compliant", "2026-06-15", "2029-06-15", ""),
    ("108", "Managing Information", "overdue", "", "2001-07-01", "9130"),
    ("108", "Safeguarding", "compliant", "2026-01-10", "", ""),
]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A small force's files in formats and spellings unlike the demo's."""
    contents = {
        "roster": ("Nominal Roll.xlsx", xlsx_bytes(
            {"Read me": [["Nominal roll"], ["Do not edit"]], "Staff List": ROSTER_ROWS}
        )),
        "long": ("learning history.csv", csv_bytes(LONG_COMPLETIONS, sep=";", encoding="utf-16")),
        "wide": ("matrix.xlsx", xlsx_bytes(WIDE_COMPLETIONS)),
        "exemptions": ("exemptions.csv", csv_bytes(EXEMPTIONS, encoding="utf-8-sig")),
        "rules": ("rules.yaml", RULES_YAML.encode()),
    }
    paths = {}
    for key, (name, data) in contents.items():
        paths[key] = tmp_path / name
        paths[key].write_bytes(data)
    return paths


def inputs(files: dict[str, Path], *extra: str) -> list[str]:
    return [
        "--roster", str(files["roster"]),
        "--completions", str(files["long"]), str(files["wide"]),
        "--exemptions", str(files["exemptions"]),
        "--requirements", str(files["rules"]),
        "--as-of", AS_OF,
        *extra,
    ]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


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
    assert got == EXPECTED_STATUS
    assert {r["name"] for r in rows if r["person_id"] == "107"} == {"Gus Fry"}
    assert {r["unit"] for r in rows if r["person_id"] == "101"} == {"Ops / Firearms"}
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


BAD_INPUTS = {
    "pdf roster": ("roster", "roster.xlsx", b"%PDF-1.4 not a spreadsheet"),
    "empty completions": ("long", "completions.csv", b""),
    "duplicate ids": ("roster", "roster.csv", csv_bytes(
        [["Collar No", "Name"], ["101", "Ann Lee"], ["0101", "Ann Leigh"]]
    )),
    "no id column": ("long", "history.csv", csv_bytes(
        [["Learner", "Course", "Date Completed"], ["Ann", "Safeguarding", "01/02/2026"]]
    )),
    "rules typo": ("rules", "rules.yaml", b"requirements:\n  - course: X\n    renewal_month: 3\n"),
    "rules syntax": ("rules", "rules.yaml", b"requirements: [\n"),
    "exemptions not a table": ("exemptions", "exempt.xlsx", b"PK\x03\x04garbage"),
    "rules bad date": (
        "rules", "rules.yaml", b"requirements:\n  - course: X\n    deadline: 31/02/2025\n"
    ),
}
HOSTILE_FILES = {
    "empty": b"",
    "pdf renamed": hostile.PDF,
    "image renamed": hostile.PNG,
    "truncated": hostile.truncated_xlsx(),
    "password-protected": hostile.password_protected_xlsx(),
    "zip bomb": hostile.zip_bomb_xlsx(),
    "entity expansion": hostile.entity_expansion_xlsx(),
    "cell at XFD1048576": hostile.far_cell_xlsx(),
    "no header": csv_bytes([["just", "some"], ["words", "here"]]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_input_exits_1_with_one_line_naming_the_file(files, tmp_path, capsys, case) -> None:
    key, name, data = BAD_INPUTS[case]
    bad = tmp_path / "bad" / name
    bad.parent.mkdir()
    bad.write_bytes(data)
    files[key] = bad
    code, out, err = run(["status", *inputs(files), "--out", str(tmp_path / "s.csv")], capsys)
    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and name in lines[0]
    assert not (tmp_path / "s.csv").exists()


@pytest.mark.parametrize("case", list(HOSTILE_FILES), ids=list(HOSTILE_FILES))
def test_check_refuses_hostile_and_broken_files(tmp_path, capsys, case) -> None:
    bad = tmp_path / "upload.xlsx"
    bad.write_bytes(HOSTILE_FILES[case])
    code, out, err = run(["check", "--kind", "roster", str(bad)], capsys)
    assert code == 1
    assert "Traceback" not in out + err
    fatal = [line for line in out.splitlines() if line.startswith("FATAL:")]
    assert len(fatal) == 1 and "upload.xlsx" in fatal[0]
    assert out.strip().endswith("Usable: no")


def test_missing_file_exits_1_naming_it(files, tmp_path, capsys) -> None:
    files["wide"] = tmp_path / "nowhere.xlsx"
    code, _, err = run(["status", *inputs(files), "--out", str(tmp_path / "s.csv")], capsys)
    assert code == 1
    assert "nowhere.xlsx" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


USAGE_ERRORS = {
    "no command": [],
    "no out": ["status", "--roster", "r.xlsx", "--completions", "c.csv"],
    "bad date": ["status", "--as-of", "30/06/2026", "--out", "x.csv"],
    "bad suffix": ["status", "--roster", "r", "--completions", "c", "--requirements", "q",
                   "--out", "x.pdf"],
    "roster only": ["status", "--roster", "r.xlsx", "--requirements", "q", "--out", "x.csv"],
    "no requirements": ["status", "--roster", "r", "--completions", "c", "--out", "x.csv"],
    "bad map": ["status", "--roster", "r", "--completions", "c", "--requirements", "q",
                "--map", "Ref", "--out", "x.csv"],
    "unknown field": ["status", "--roster", "r", "--completions", "c", "--requirements", "q",
                      "--map", "Ref=collar", "--out", "x.csv"],
    "level 0": ["summary", "--level", "0", "--out", "x.csv"],
    "bad kind": ["check", "--kind", "people", "f.csv"],
}


@pytest.mark.parametrize("argv", list(USAGE_ERRORS.values()), ids=list(USAGE_ERRORS))
def test_usage_errors_exit_2(capsys, argv: list[str]) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert "error" in err and "Traceback" not in err


def test_without_files_or_store_asks_for_files(monkeypatch, capsys) -> None:
    monkeypatch.setattr(cli, "_store_cli_available", lambda: False)
    code, _, err = run(["status", "--out", "x.csv"], capsys)
    assert code == 2
    assert "give --roster and --completions" in err


def test_check_prints_the_report(capsys) -> None:
    code, out, _ = run(["check", "--kind", "roster", str(DEMO / "hr_roster.xlsx")], capsys)
    assert code == 0
    assert "Ignored hidden sheet: Salary" in out
    assert out.strip().endswith("Usable: yes")


def test_check_unusable_file_exits_1(tmp_path, capsys) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"%PDF-1.7 nothing to see")
    code, out, err = run(["check", "--kind", "completions", str(bad)], capsys)
    assert code == 1
    assert "notes.txt" in out and out.strip().endswith("Usable: no")
    assert "Traceback" not in err


def test_check_names_the_course_of_a_per_course_file(capsys) -> None:
    path = DEMO / "completion-managing_information (1).csv"
    argv = ["check", "--kind", "completions", str(path), "--requirements", str(DEMO_RULES)]
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert "per-course (course: Managing Information)" in out


STORE_ROSTER = pd.DataFrame({"person_id": ["7"], "name": ["Ann Lee"], "unit": ["Ops"]})


@pytest.fixture
def fake_store(monkeypatch):
    """A stand-in ``compliance.store_cli``: one extra command and frames from 'the store'.

    ``contents`` can be edited by a test to make the store look empty.
    """
    module = types.ModuleType(cli.STORE_CLI)
    module.__spec__ = importlib.machinery.ModuleSpec(cli.STORE_CLI, None)
    calls: list[str | None] = []
    contents = {"roster": STORE_ROSTER, "rules": cli.load_rules(RULES_YAML)}

    def register(subparsers) -> None:
        ping = subparsers.add_parser("ping")
        ping.set_defaults(handler=lambda args: 0)

    def frames_from_store(args):
        calls.append(args.db)
        completions = pd.DataFrame({"person_id": ["7"], "course": ["Safeguarding"],
                                    "completed_on": pd.to_datetime(["2026-01-05"])})
        return contents["roster"], completions, None, contents["rules"]

    module.register = register
    module.frames_from_store = frames_from_store
    monkeypatch.setitem(sys.modules, cli.STORE_CLI, module)
    return types.SimpleNamespace(calls=calls, contents=contents)


def test_store_commands_plug_in(fake_store, capsys) -> None:
    assert run(["ping"], capsys)[0] == 0


def test_without_files_status_reads_the_store(fake_store, capsys) -> None:
    code, out, err = run(["status", "--db", "sqlite://", "--as-of", AS_OF, "--out", "-"], capsys)
    assert code == 0, err
    assert fake_store.calls == ["sqlite://"]
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["person_id"], r["course"], r["status"]) for r in rows] == [
        ("7", "Managing Information", "overdue"),
    ]


@pytest.mark.parametrize(
    ("emptied", "message"),
    [("rules", "the store has no requirements"), ("roster", "the store has no roster")],
)
def test_an_empty_store_exits_1(fake_store, capsys, emptied: str, message: str) -> None:
    fake_store.contents[emptied] = None if emptied == "rules" else STORE_ROSTER.iloc[:0]
    code, _, err = run(["status", "--as-of", AS_OF, "--out", "-"], capsys)
    assert code == 1
    assert message in err and "Traceback" not in err


def test_requirements_file_overrides_the_store_rules(fake_store, files, capsys) -> None:
    fake_store.contents["rules"] = None
    argv = ["status", "--requirements", str(files["rules"]), "--as-of", AS_OF, "--out", "-"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    assert "Managing Information" in out


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
