"""Reading a table command's inputs from files or the store, and refusing unusable ones."""

from __future__ import annotations

import argparse
import csv
import io
import types
from pathlib import Path

import pandas as pd
import pytest

from compliance.cli import inputs
from compliance.errors import UsageError
from compliance.rules import load_rules
from tests.cli_force import AS_OF, RULES_YAML, run, write_force
from tests.cli_force import inputs as force_inputs
from tests.filemaker import csv_bytes


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return write_force(tmp_path)


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
@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_input_exits_1_with_one_line_naming_the_file(files, tmp_path, capsys, case) -> None:
    key, name, data = BAD_INPUTS[case]
    bad = tmp_path / "bad" / name
    bad.parent.mkdir()
    bad.write_bytes(data)
    files[key] = bad
    code, out, err = run(["status", *force_inputs(files), "--out", str(tmp_path / "s.csv")], capsys)
    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and name in lines[0]
    assert not (tmp_path / "s.csv").exists()


def test_missing_file_exits_1_naming_it(files, tmp_path, capsys) -> None:
    files["wide"] = tmp_path / "nowhere.xlsx"
    code, _, err = run(["status", *force_inputs(files), "--out", str(tmp_path / "s.csv")], capsys)
    assert code == 1
    assert "nowhere.xlsx" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


STORE_ROSTER = pd.DataFrame({"person_id": ["7"], "name": ["Ann Lee"], "unit": ["Ops"]})


@pytest.fixture
def fake_store(monkeypatch):
    """``compliance.cli.inputs.frames_from_store`` returning frames from 'the store'.

    ``contents`` can be edited by a test to make the store look empty.
    """
    calls: list[str | None] = []
    contents = {"roster": STORE_ROSTER, "rules": load_rules(RULES_YAML)}

    def frames_from_store(args):
        calls.append(args.db)
        completions = pd.DataFrame({"person_id": ["7"], "course": ["Safeguarding"],
                                    "completed_on": pd.to_datetime(["2026-01-05"])})
        return contents["roster"], completions, None, contents["rules"]

    monkeypatch.setattr(inputs, "frames_from_store", frames_from_store)
    return types.SimpleNamespace(calls=calls, contents=contents)


def test_without_files_status_reads_the_store(fake_store, capsys) -> None:
    code, out, err = run(["status", "--db", "sqlite://", "--as-of", AS_OF, "--out", "-",
                          "--purpose", "Case PSD/2026/1"], capsys)
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
    code, _, err = run(["status", "--as-of", AS_OF, "--out", "-", "--db", "sqlite://",
                        "--purpose", "Case PSD/2026/1"], capsys)
    assert code == 1
    assert message in err and "Traceback" not in err


def test_requirements_file_overrides_the_store_rules(fake_store, files, capsys) -> None:
    fake_store.contents["rules"] = None
    argv = ["status", "--requirements", str(files["rules"]), "--as-of", AS_OF, "--out", "-",
            "--db", "sqlite://", "--purpose", "Case PSD/2026/1"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    assert "Managing Information" in out


def test_completions_without_roster_asks_for_both(capsys) -> None:
    code, _, err = run(["status", "--completions", "c.csv", "--out", "x.csv"], capsys)
    assert code == 2
    assert err == "python -m compliance status: error: give --roster and --completions\n"


HAS_FILES = [
    ({"roster": "r", "completions": ["c"], "requirements": "q"}, True),
    ({"roster": None, "completions": None, "requirements": None}, False),
    ({"roster": None, "completions": None, "requirements": "q"}, False),
]


@pytest.mark.parametrize(("given", "expected"), HAS_FILES)
def test_has_files(given: dict, expected: bool) -> None:
    assert inputs.has_files(argparse.Namespace(**given)) is expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"roster": "r", "completions": None, "requirements": "q"},
         "give --roster and --completions"),
        ({"roster": None, "completions": ["c"], "requirements": None},
         "give --roster and --completions"),
        ({"roster": "r", "completions": ["c"], "requirements": None},
         "give --requirements with --roster and --completions"),
    ],
)
def test_has_files_refuses_half_the_files(given: dict, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        inputs.has_files(argparse.Namespace(**given))
    assert str(raised.value) == message


def test_problem_summary_counts_and_shows_the_first_three(files) -> None:
    result = inputs.load_file(
        "completions", str(files["long"]), {},
        match_course=load_rules(RULES_YAML).match_titles, today=pd.Timestamp(AS_OF).date(),
    )
    path = str(files["long"])
    assert inputs.problem_summary(result, path) == [
        "learning history.csv: loaded 8 of 9 rows; 2 warnings "
        f"(full report: python -m compliance check --kind completions '{path}')",
        "  learning history.csv, row 8, column 'Date Passed': completion date is in the future"
        " (value: '2026-07-05T00:00:00')",
        "  learning history.csv, row 10, column 'Course Title': course matches no requirement"
        " (value: 'Manual Handling')",
    ]


def test_problem_summary_is_empty_for_a_clean_file(files) -> None:
    result = inputs.load_file("exemptions", str(files["exemptions"]), {})
    assert inputs.problem_summary(result, str(files["exemptions"])) == []
