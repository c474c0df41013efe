"""The demo force: deterministic, committed as generated, and as messy as real exports."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from compliance.rules import load_rules
from data import demo_catalogue as catalogue
from data import demo_force
from data import generate_demo as demo

OFFICER_RANKS = {
    "Constable", "Sergeant", "Inspector", "Chief Inspector", "Superintendent",
    "Chief Superintendent",
}


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return demo.build_files()


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return demo_force.build_people(np.random.default_rng(demo.SEED))


@pytest.fixture(scope="module")
def rules():
    return load_rules(demo.OUT_DIR.parent / "requirements.yaml")


def test_generation_is_deterministic_and_committed(files) -> None:
    assert demo.build_files() == files
    committed = {path.name: path.read_bytes() for path in demo.OUT_DIR.iterdir()}
    assert committed == files, "run: python -m data.generate_demo"


def test_files_are_small(files) -> None:
    assert sum(len(data) for data in files.values()) < 1_000_000


def test_force_structure(people) -> None:
    assert 1900 <= len(people) <= 2100
    assert people["person_id"].is_unique
    assert people["division"].nunique() >= 4
    assert (people.groupby("division")["department"].nunique() >= 2).all()
    assert people.groupby(["division", "department"])["team"].nunique().sum() > 30
    assert set(people["staff_type"]) == {"officer", "staff", "pcso", "special"}
    assert set(people.loc[people["staff_type"] == "officer", "role"]) >= OFFICER_RANKS
    assert people["email"].str.lower().is_unique


def test_starters_and_leavers(people) -> None:
    ref = catalogue.REFERENCE_DATE
    recent = people["start_date"].between(ref - pd.Timedelta(days=90), ref)
    future = people["start_date"] > ref
    left = people["leave_date"] < ref
    assert recent.sum() > 30 and future.sum() > 5 and left.sum() > 30
    assert (people["leave_date"] > ref).sum() > 5


def test_every_manager_is_on_the_roster_except_the_chief(people) -> None:
    names = set(people["surname"] + ", " + people["forename"])
    outside = set(people["manager"]) - names
    assert outside == {catalogue.CHIEF_CONSTABLE}
    assert (people["manager"] != people["surname"] + ", " + people["forename"]).all()


def test_roster_workbook_quirks(files) -> None:
    book = openpyxl.load_workbook(io.BytesIO(files[demo.ROSTER_FILE]))
    assert book["Salary"].sheet_state == "hidden"
    sheet = book["Establishment"]
    assert sheet["A1"].value == "Northshire Police - Establishment Report"
    assert sheet["A2"].value == "As at 01/11/2026"
    header = [c.value for c in sheet[4]]
    assert header == [
        "Collar No", "Surname", "Forename", "Division", "Department", "Team", "Rank",
        "Staff Type", "Start Date", "Leaving Date", "Line Manager", "Work Email",
    ]
    ids = [row[0].value for row in sheet.iter_rows(min_row=5, max_row=sheet.max_row - 2)]
    assert any(isinstance(v, str) and v.startswith("0") for v in ids)
    assert any(isinstance(v, int) for v in ids)
    assert sheet.cell(sheet.max_row, 1).value == "Total headcount"
    assert isinstance(sheet["I5"].value, dt.datetime) and sheet["I5"].is_date


def test_lms_export_quirks(files, people) -> None:
    raw = files[demo.LMS_FILE]
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    table = pd.read_csv(io.BytesIO(raw), sep=";", encoding="cp1252", dtype=str)
    assert list(table.columns) == [
        "Employee Number", "Full Name", "Learning Item Title", "Completion Status",
        "Completion Date",
    ]
    assert set(catalogue.NOT_DONE_STATUSES) <= set(table["Completion Status"])
    assert set(catalogue.UNKNOWN_COURSES) <= set(table["Learning Item Title"])
    assert table["Completion Date"].str.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d").all()
    assert (~table["Employee Number"].astype(int).isin(people["person_id"])).sum() >= 10


def test_platform_user_ids_are_not_staff_ids(files, people) -> None:
    table = pd.read_excel(io.BytesIO(files[demo.PLATFORM_FILE]), header=1)
    assert list(table.columns) == [
        "User ID", "User's Fullname", "Email address", "Course", "Date completed",
    ]
    assert not table["User ID"].isin(people["person_id"]).any()
    on_roster = table["Email address"].isin(people["email"].str.lower())
    assert on_roster.mean() > 0.95 and not on_roster.all()


def test_matrix_is_wide_with_placeholders(files) -> None:
    table = pd.read_excel(
        io.BytesIO(files[demo.MATRIX_FILE]), header=2, keep_default_na=False, dtype=object
    )
    assert set(catalogue.MATRIX_COURSE_COLUMNS) <= set(table.columns)
    assert "N/A" in set(table["Taser Refresher"])
    cells = set(table["Safeguarding Vulnerable People"].map(type))
    assert dt.datetime in cells and str in cells


def test_per_course_export_has_no_course_column(files) -> None:
    raw = files[demo.PER_COURSE_FILE]
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(table.columns) == ["Payroll No", "Full Name", "E-mail", "Completion Time"]


def test_exemptions_name_requirements_or_all(files, rules) -> None:
    table = pd.read_csv(io.BytesIO(files[demo.EXEMPTIONS_FILE]), dtype=str)
    assert list(table.columns) == ["Collar No", "Course", "From", "Until", "Reason"]
    assert set(table["Course"]) <= {"*", *rules.courses}
    assert table["Until"].isna().any()


def test_requirements_cover_every_title_the_demo_uses(rules) -> None:
    assert rules.courses == tuple(course.requirement for course in catalogue.COURSES)
    for course in catalogue.COURSES:
        titles = pd.Series(course.titles, dtype="string")
        assert (rules.match_titles(titles) == course.requirement).all(), course.titles
    unknown = rules.match_titles(pd.Series(catalogue.UNKNOWN_COURSES, dtype="string"))
    assert unknown.isna().all()
    by_course = {r.course: r for r in rules.requirements}
    assert by_course["Managing Information"].renewal_months == 36
    assert by_course["Managing Information"].new_starter_days == 90
    assert any(a.startswith("/") for a in by_course["Managing Information"].aliases)
    assert by_course["Data Protection (GDPR)"].not_before is not None
    assert by_course["Safeguarding Vulnerable People"].deadline is not None
    assert by_course["Safeguarding Vulnerable People"].renewal_months is None


def test_write_demo_writes_every_file(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(demo, "build_files", lambda: {"a.csv": b"1", "b.xlsx": b"PK"})
    written = demo.write_demo(tmp_path / "demo")
    assert [p.read_bytes() for p in written] == [b"1", b"PK"]
    assert [p.name for p in written] == ["a.csv", "b.xlsx"]
