import pandas as pd
import pytest

from loaders.exemptions import NO_COURSE, canonical_exemptions
from loaders.headers import locate
from loaders.report import LoadReport
from loaders.schema import EXEMPTION_COLUMNS
from loaders.workbook import Sheet, Workbook

HEADER = ["Collar No", "Course", "From", "Until", "Reason"]


def load(rows, *, month_first=None):
    grid = pd.DataFrame(rows, dtype=object)
    grid.index = range(1, len(grid) + 1)
    report = LoadReport(file="ex.csv", kind="exemptions")
    table = locate(Workbook("ex.csv", "csv", [Sheet("ex", grid)]), "exemptions", report)
    return canonical_exemptions(table, report, filename="ex.csv", month_first=month_first), report


def test_exemption_row_is_canonical():
    frame, report = load([HEADER, ["0123", "Managing Information", "01/04/2024", "31/03/2025",
                                   "Long-term sick"]])
    assert list(frame.columns) == list(EXEMPTION_COLUMNS)
    assert frame.iloc[0].to_dict() == {
        "person_id": "123",
        "course": "Managing Information",
        "from": pd.Timestamp("2024-04-01"),
        "until": pd.Timestamp("2025-03-31"),
        "reason": "Long-term sick",
        "source_file": "ex.csv",
        "source_row": 2,
    }
    assert report.usable


@pytest.mark.parametrize("value", ["*", "All", "all courses", "ANY"])
def test_all_courses_becomes_star(value):
    frame, _ = load([HEADER, ["1", value, None, None, "Career break"]])
    assert frame["course"].iloc[0] == "*"


def test_open_ended_dates_are_empty():
    frame, _ = load([HEADER, ["1", "*", None, "", "Secondment"]])
    assert frame[["from", "until"]].isna().all(axis=None)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ([None, "*", None, None, "x"], "no ID or email: row not loaded"),
        (["1", None, None, None, "x"], "no course (use * for every course): row not loaded"),
        (["1", "*", "next week", None, "x"], "not a date: row not loaded"),
    ],
)
def test_rows_that_cannot_be_read_exactly_are_errors(row, reason):
    frame, report = load([HEADER, row])
    assert frame.empty
    assert report.problems[["row", "reason", "severity"]].values.tolist() == [[2, reason, "error"]]


def test_until_before_from_is_a_warning():
    frame, report = load([HEADER, ["1", "*", "01/05/2024", "01/04/2024", "x"]])
    assert len(frame) == 1
    assert report.problems["severity"].tolist() == ["warning"]


def test_email_stands_in_for_the_id():
    frame, _ = load([["Email", "Course", "Reason"], [" A@B.UK ", "*", "x"]])
    assert frame["person_id"].iloc[0] == "a@b.uk"


def test_exemption_synonyms():
    rows = [["Staff ID", "Course Name", "Exempt From", "Exempt Until", "Exemption Reason"],
            ["1", "*", "1/4/2024", "1/5/2024", "x"]]
    frame, _ = load(rows)
    assert frame["from"].iloc[0] == pd.Timestamp("2024-04-01")
    assert frame["until"].iloc[0] == pd.Timestamp("2024-05-01")
    assert frame["reason"].iloc[0] == "x"


def test_no_course_column_is_fatal():
    frame, report = load([["Collar No", "Reason"], ["1", "x"]])
    assert frame.empty
    assert report.fatal_message() == f"ex.csv: {NO_COURSE}"
