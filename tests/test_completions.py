import datetime as dt

import pandas as pd
import pytest

from loaders.completions import NO_COURSE, NO_DATE, canonical_completions
from loaders.headers import locate
from loaders.layout import (
    choose_layout,
    clean_file_name,
    per_course_course,
    title_candidates,
    trim_notes,
)
from loaders.report import LoadReport
from loaders.schema import COMPLETION_COLUMNS
from loaders.workbook import Sheet, Workbook

TODAY = dt.date(2025, 1, 31)
REQUIREMENTS = {
    "managing information": "Managing Information",
    "management of information": "Managing Information",
    "mi01": "Managing Information",
    "information security": "Information Security",
}


def match_course(titles, *, regex=True):
    folded = titles.astype("string").str.lower().str.strip()
    return folded.map(REQUIREMENTS).astype("string")


def load(rows, *, filename="export.xlsx", course=None, month_first=None, matcher=match_course,
         mapping=None):
    grid = pd.DataFrame(rows, dtype=object)
    grid.index = range(1, len(grid) + 1)
    report = LoadReport(file=filename, kind="completions")
    workbook = Workbook(filename, "xlsx", [Sheet("Data", grid)])
    table = locate(workbook, "completions", report, mapping=mapping, match_course=matcher)
    frame = canonical_completions(
        table, report, filename=filename, match_course=matcher, course=course,
        month_first=month_first, today=TODAY,
    )
    return frame, report


def problems(report, severity):
    found = report.problems[report.problems["severity"] == severity]
    return list(zip(found["row"], found["reason"], strict=True))


LONG = ["Collar No", "Email", "Course Title", "Course Code", "Completion Date"]


def test_long_layout_row_is_canonical():
    frame, report = load([LONG, [1234.0, " A@B.UK ", "Managing Information", "MI01",
                                 "26/08/2024 14:32"]])
    assert list(frame.columns) == list(COMPLETION_COLUMNS)
    assert frame.iloc[0].to_dict() == {
        "person_id": "1234",
        "email": "a@b.uk",
        "course": "Managing Information",
        "course_code": "MI01",
        "completed_on": pd.Timestamp("2024-08-26"),
        "source_file": "export.xlsx",
        "source_row": 2,
    }
    assert report.layout == "long"
    assert report.usable


def test_email_only_completions_are_kept():
    frame, _ = load([["Email", "Course", "Completion Date"], ["a@b.uk", "MI01", "1/2/2024"]])
    assert pd.isna(frame["person_id"].iloc[0])
    assert frame["email"].iloc[0] == "a@b.uk"


@pytest.mark.parametrize(
    ("row", "reason", "column"),
    [
        ([None, None, "MI01", "26/08/2024"], "no ID or email: row not loaded", "Collar No"),
        (["1", None, "MI01", "someday"], "not a date: write it as DD/MM/YYYY", "Completion Date"),
        (["1", None, "MI01", None], "no completion date: row not loaded", "Completion Date"),
        (["1", None, None, "26/08/2024"], "no course: row not loaded", "Course"),
    ],
)
def test_rows_that_cannot_be_loaded_are_errors_with_row_and_column(row, reason, column):
    frame, report = load([["Collar No", "Email", "Course", "Completion Date"], row])
    assert frame.empty
    error = report.problems.iloc[0]
    assert (error["severity"], error["row"], error["reason"], error["column"]) == (
        "error", 2, reason, column,
    )


def test_unparseable_date_error_carries_the_value():
    _, report = load([["Collar No", "Course", "Completion Date"], ["1", "MI01", "31/02/2024"]])
    assert report.problems["value"].iloc[0] == "31/02/2024"


def test_future_date_and_unknown_course_are_warnings_and_kept():
    rows = [["Collar No", "Course", "Completion Date"], ["1", "Basket Weaving", "26/08/2024"],
            ["2", "MI01", "01/03/2025"]]
    frame, report = load(rows)
    assert len(frame) == 2
    assert problems(report, "warning") == [
        (3, "completion date is in the future"),
        (2, "course matches no requirement"),
    ]


def test_course_code_alone_makes_a_course_known():
    rows = [["Collar No", "Course", "Course Code", "Completion Date"],
            ["1", "MI v2 (e-learning)", "MI01", "26/08/2024"]]
    _, report = load(rows)
    assert problems(report, "warning") == []


def test_without_match_course_no_course_is_unknown():
    rows = [["Collar No", "Course", "Completion Date"], ["1", "Basket Weaving", "26/08/2024"]]
    _, report = load(rows, matcher=None)
    assert report.problems.empty


@pytest.mark.parametrize(
    ("status", "loaded"),
    [
        ("Completed", True), ("Passed", True), ("Attended", True), ("yes", True),
        ("In Progress", False), ("Not Started", False), ("Enrolled", False), ("Failed", False),
        ("Not Attempted", False), ("Expired", False),
        ("Completed (did not achieve pass grade)", False), (None, False),
    ],
)
def test_only_done_statuses_are_completions(status, loaded):
    rows = [["Collar No", "Course", "Completion Status", "Completion Date"],
            ["1", "MI01", status, "26/08/2024"]]
    frame, report = load(rows)
    assert (len(frame) == 1) is loaded
    assert report.problems.empty
    assert any("Skipped 1 row(s)" in note for note in report.notes) is not loaded


def test_skipped_statuses_are_counted_by_value():
    rows = [["Collar No", "Course", "Status", "Completion Date"],
            ["1", "MI01", "In Progress", None], ["2", "MI01", "In Progress", None],
            ["3", "MI01", "Failed", "1/1/2024"], ["4", "MI01", "Completed", "1/1/2024"]]
    frame, report = load(rows)
    assert frame["person_id"].tolist() == ["4"]
    assert any("Skipped 3 row(s)" in n and "In Progress (2)" in n and "Failed (1)" in n
               for n in report.notes)


def test_notes_and_totals_below_the_data_are_info():
    rows = [LONG, ["1", None, "MI01", None, "26/08/2024"], [None] * 5, ["Total: 1,234"],
            [None] * 5, ["Report generated 01/02/2025 by J Smith"], ["Contact the L&D team"]]
    frame, report = load(rows)
    assert len(frame) == 1
    assert problems(report, "info") == [(4, "note or total below the data: not loaded"),
                                        (6, "note or total below the data: not loaded"),
                                        (7, "note or total below the data: not loaded")]
    assert problems(report, "error") == []


@pytest.mark.parametrize(
    ("title", "filename", "course", "expected", "origin"),
    [
        ("Managing Information", "report.xlsx", None, "Managing Information", "title row"),
        ("Course completion report: Management of Information", "x.xlsx", None,
         "Managing Information", "title row"),
        ("Information Security - Completion Report", "x.xlsx", None, "Information Security",
         "title row"),
        (None, "completion-managing_information (1).csv", None, "Managing Information",
         "file name"),
        (None, "completions-Information-Security.xlsx", None, "Information Security",
         "file name"),
        (None, "export.xlsx", "Managing Information", "Managing Information", "given by"),
        ("Information Security", "export.xlsx", "Managing Information", "Managing Information",
         "given by"),
    ],
)
def test_per_course_course_from_title_file_name_or_user(title, filename, course, expected,
                                                        origin):
    rows = [[title, None], ["Collar No", "Completion Date"], ["1", "26/08/2024"]]
    frame, report = load(rows, filename=filename, course=course)
    assert report.layout == "per-course"
    assert report.course == expected
    assert frame["course"].tolist() == [expected]
    assert any(origin in note for note in report.notes)


def test_per_course_without_a_known_course_asks_the_user():
    rows = [["Collar No", "Completion Date"], ["1", "26/08/2024"]]
    frame, report = load(rows, filename="export (3).xlsx")
    assert frame.empty
    assert report.layout == "per-course"
    assert report.course is None
    assert report.fatal_message() == f"export (3).xlsx: {NO_COURSE}"
    assert "--course TITLE" in NO_COURSE


def test_wide_layout_makes_one_row_per_filled_course_cell():
    rows = [["Collar No", "Name", "Managing Information", "Information Security", "Notes"],
            ["1", "Ann", "26/08/2024", "N/A", "x"],
            ["2", "Bob", "-", "not completed", None],
            ["3", "Cy", dt.datetime(2024, 3, 5), "05/03/2024", None],
            ["4", "Di", "soon", None, None]]
    frame, report = load(rows)
    assert report.layout == "wide"
    assert list(zip(frame["person_id"], frame["course"], frame["completed_on"],
                    frame["source_row"], strict=True)) == [
        ("1", "Managing Information", pd.Timestamp("2024-08-26"), 2),
        ("3", "Managing Information", pd.Timestamp("2024-03-05"), 4),
        ("3", "Information Security", pd.Timestamp("2024-03-05"), 4),
    ]
    assert problems(report, "error") == [(5, "not a date: write it as DD/MM/YYYY")]
    assert report.problems["column"].iloc[0] == "Managing Information"


def test_completion_date_column_beats_course_headers():
    rows = [["Collar No", "Completion Date", "Managing Information"], ["1", "1/1/2024", "x"]]
    _, report = load(rows, course="Managing Information")
    assert report.layout == "per-course"


def test_no_date_and_no_course_headers_is_fatal():
    rows = [["Collar No", "Course"], ["1", "MI01"]]
    frame, report = load(rows)
    assert frame.empty
    assert report.fatal_message() == f"export.xlsx: {NO_DATE}"


def test_no_id_or_email_column_is_fatal():
    _, report = load([["Course", "Completion Date"], ["MI01", "1/1/2024"]])
    assert "no ID column" in report.fatal_message()


def test_month_first_column_is_read_and_reported():
    rows = [["Collar No", "Course", "Completion Date"], ["1", "MI01", "08/26/2024"],
            ["2", "MI01", "02/01/2024"]]
    frame, report = load(rows)
    assert frame["completed_on"].tolist() == [pd.Timestamp("2024-08-26"),
                                              pd.Timestamp("2024-02-01")]
    assert report.date_order == "month-first"
    assert any("'Completion Date' read month first" in note for note in report.notes)


@pytest.mark.parametrize(
    ("filename", "cleaned"),
    [
        ("completion-managing_information (1).csv", "managing information"),
        ("completions-Information-Security.xlsx", "Information Security"),
        ("Managing Information.xlsx", "Managing Information"),
        ("Completion-MI (12).CSV", "MI"),
        ("C:\\Users\\me\\Downloads\\completion-mi_01.csv", "mi 01"),
        ("/tmp/up/completions-a_b.txt", "a b"),
    ],
)
def test_clean_file_name(filename, cleaned):
    assert clean_file_name(filename) == cleaned


def test_title_candidates_split_and_strip_report_words():
    found = title_candidates(["Course Completion Report: Managing Information | 2024"])
    assert "Managing Information" in found


def test_per_course_course_without_matcher_or_course_is_unknown():
    assert per_course_course(["Managing Information"], "mi.csv", course=None,
                             match_course=None) == (None, "")


@pytest.mark.parametrize(
    ("fields", "wide", "layout"),
    [
        ({"person_id", "course", "completed_on"}, {}, "long"),
        ({"person_id", "course_code", "completed_on"}, {}, "long"),
        ({"person_id", "completed_on"}, {"MI": "MI"}, "per-course"),
        ({"person_id"}, {"MI": "MI"}, "wide"),
        ({"person_id", "course"}, {}, "long"),
    ],
)
def test_choose_layout(fields, wide, layout):
    assert choose_layout(fields, wide) == layout


def test_trim_notes_keeps_data_followed_by_sparse_rows_inside():
    body = pd.DataFrame(
        [["1", "Ann", "x"], [None, None, None], ["2", "Bob", "y"], ["Total: 2", None, None]],
        index=[5, 6, 7, 8], dtype=object,
    )
    report = LoadReport(file="f", kind="roster")
    kept = trim_notes(body, report)
    assert list(kept.index) == [5, 7]
    assert report.problems["row"].tolist() == [8]
    assert report.problems["value"].tolist() == ["Total: 2"]
