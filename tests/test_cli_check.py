"""The ``check`` command: one file's load report, exit 0 if usable and 1 if not."""

from __future__ import annotations

import pytest

from tests import hostile
from tests.cli_force import DEMO, DEMO_RULES, run
from tests.filemaker import csv_bytes

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


@pytest.mark.parametrize(
    ("flags", "expected"),
    [([], "Date order: day-first"), (["--month-first"], "Date order: month-first")],
)
def test_check_reads_dates_as_status_would(tmp_path, capsys, flags, expected) -> None:
    done = tmp_path / "done.csv"
    done.write_bytes(csv_bytes([["Staff Number", "Course", "Completed On"],
                                ["7", "Safeguarding", "01/02/2026"]]))
    code, out, _ = run(["check", "--kind", "completions", str(done), *flags], capsys)
    assert code == 0
    assert expected in out.splitlines()
    assert out.strip().endswith("Usable: yes")


def test_check_uses_the_map(tmp_path, capsys) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_bytes(csv_bytes([["Ref", "Name"], ["7", "Ann Lee"]]))
    assert run(["check", "--kind", "roster", str(roster)], capsys)[0] == 1
    code, out, _ = run(["check", "--kind", "roster", str(roster), "--map", "Ref=person_id"], capsys)
    assert code == 0 and out.strip().endswith("Usable: yes")


BIG_ROSTER = ("Collar No,Name\n" + "".join(f"{n},Ann {n}\n" for n in range(150_000))).encode()


def test_the_upload_size_setting_caps_the_command_line(tmp_path, capsys, monkeypatch) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(BIG_ROSTER)
    monkeypatch.setenv("COMPLIANCE_MAX_UPLOAD_MB", "1")
    code, out, _ = run(["check", "--kind", "roster", str(big)], capsys)
    assert code == 1
    assert "over the 1 MB limit" in out
    monkeypatch.setenv("COMPLIANCE_MAX_UPLOAD_MB", "5")
    assert run(["check", "--kind", "roster", str(big)], capsys)[0] == 0


def test_a_bad_upload_size_setting_is_one_line(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COMPLIANCE_MAX_UPLOAD_MB", "lots")
    code, out, err = run(["check", "--kind", "roster", str(DEMO / "hr_roster.xlsx")], capsys)
    assert code == 1 and "Traceback" not in out + err
    assert err.strip() == (
        "error: COMPLIANCE_MAX_UPLOAD_MB='lots' is not a size: give a whole number of MB, "
        "such as 50"
    )
