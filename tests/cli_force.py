"""A small force for the command-line tests, written as files the loaders have never seen.

Other header spellings, title rows, extra sheets, UTF-16 and semicolons, a wide matrix,
all generated with ``tests.filemaker``; :data:`EXPECTED_STATUS` is worked out by hand
from :data:`RULES_YAML`. Also the helpers every ``tests/test_cli_*`` module uses.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from compliance.cli import main
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
    ("0101", "Firearms Refresher", "expiring", "2025-07-20", "2026-07-20", ""),
    ("0101", "Managing Information", "compliant", "2024-01-15", "2027-01-15", ""),
    ("0101", "Safeguarding", "compliant", "2025-03-01", "", ""),
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


def write_force(tmp_path: Path) -> dict[str, Path]:
    """A small force's files in formats and spellings unlike the demo's, under ``tmp_path``."""
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
    """The arguments naming every file of :func:`write_force`, as of :data:`AS_OF`."""
    return [
        "--roster", str(files["roster"]),
        "--completions", str(files["long"]), str(files["wide"]),
        "--exemptions", str(files["exemptions"]),
        "--requirements", str(files["rules"]),
        "--as-of", AS_OF,
        *extra,
    ]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``main(argv)`` in-process -> (exit code, stdout, stderr)."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def read_csv(path: Path) -> list[dict[str, str]]:
    """A CSV the CLI wrote, as rows of text."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
