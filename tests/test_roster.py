import pandas as pd
import pytest

from loaders.headers import locate
from loaders.report import LoadReport
from loaders.roster import canonical_roster, roster_columns
from loaders.schema import ROSTER_COLUMNS
from loaders.workbook import Sheet, Workbook


def load(rows, *, month_first=None, mapping=None):
    grid = pd.DataFrame(rows, dtype=object)
    grid.index = range(1, len(grid) + 1)
    report = LoadReport(file="staff.xlsx", kind="roster")
    workbook = Workbook("staff.xlsx", "xlsx", [Sheet("Staff", grid)])
    table = locate(workbook, "roster", report, mapping=mapping)
    frame = canonical_roster(table, report, filename="staff.xlsx", month_first=month_first)
    return frame, report


def problems(report, severity):
    found = report.problems[report.problems["severity"] == severity]
    return list(zip(found["row"], found["reason"], strict=True))


HEADER = ["Collar No", "Forename", "Surname", "Email", "Division", "Station", "Team", "Rank",
          "Officer/Staff", "Start Date", "Leaving Date", "Line Manager"]
ANN = ["0123", "Ann", "Lee", " Ann.Lee@Force.UK ", "North", "Alpha", "Response 1", "PC",
       "Police Officer", "26/08/2020", None, "Sgt Brown"]


def test_full_roster_row_is_canonical():
    frame, report = load([HEADER, ANN])
    assert list(frame.columns) == roster_columns(3)
    row = frame.iloc[0]
    assert row["person_id"] == "0123"  # as the roster wrote it; the key drops the zero
    assert row["name"] == "Ann Lee"
    assert row["email"] == "ann.lee@force.uk"
    assert (row["unit_1"], row["unit_2"], row["unit_3"]) == ("North", "Alpha", "Response 1")
    assert row["unit"] == "North / Alpha / Response 1"
    assert row["role"] == "PC"
    assert row["staff_type"] == "officer"
    assert row["start_date"] == pd.Timestamp("2020-08-26")
    assert pd.isna(row["leave_date"])
    assert row["manager"] == "Sgt Brown"
    assert (row["source_file"], row["source_row"]) == ("staff.xlsx", 2)
    assert report.usable


def test_columns_follow_schema_with_unit_levels_after_unit():
    assert roster_columns(2) == [
        *ROSTER_COLUMNS[: ROSTER_COLUMNS.index("unit") + 1],
        "unit_1",
        "unit_2",
        *ROSTER_COLUMNS[ROSTER_COLUMNS.index("unit") + 1 :],
    ]


def test_dtypes():
    frame, _ = load([HEADER, ANN])
    assert frame["person_id"].dtype == "string"
    assert frame["start_date"].dtype == "datetime64[ns]"
    assert frame["source_row"].dtype == "int64"


@pytest.mark.parametrize(
    ("levels", "unit"),
    [
        (["North", "Alpha", "Response 1"], "North / Alpha / Response 1"),
        (["North", None, "Response 1"], "North / Response 1"),
        ([None, None, "Response 1"], "Response 1"),
        ([None, None, None], None),
    ],
)
def test_unit_joins_only_filled_levels(levels, unit):
    frame, _ = load([["Collar No", "Division", "Station", "Team"], ["1", *levels]])
    result = frame["unit"].iloc[0]
    assert (pd.isna(result) and unit is None) or result == unit


def test_full_name_column_wins_over_parts():
    frame, _ = load([["Collar No", "Full Name", "Forename"], ["1", "Ann Lee", "X"]])
    assert frame["name"].iloc[0] == "Ann Lee"


def test_surname_only_still_gives_a_name():
    frame, _ = load([["Collar No", "Forename", "Surname"], ["1", None, "Lee"]])
    assert frame["name"].iloc[0] == "Lee"


def test_emails_are_ids_when_there_is_no_id_column():
    frame, report = load([["Email", "Name", "Rank"], [" A@B.UK ", "Ann", "PC"]])
    assert frame["person_id"].iloc[0] == "a@b.uk"
    assert any("are the person IDs" in note for note in report.notes)


def test_row_without_id_but_with_email_uses_the_email_with_a_warning():
    frame, report = load([["Collar No", "Email", "Name"], [None, "a@b.uk", "Ann"]])
    assert frame["person_id"].tolist() == ["a@b.uk"]
    assert problems(report, "warning") == [(2, "no ID: the email is used as the person ID")]


def test_row_without_id_or_email_is_an_error_and_not_loaded():
    frame, report = load([["Collar No", "Name", "Rank"], ["1", "Ann", "PC"], [None, "Bob", "PC"]])
    assert frame["person_id"].tolist() == ["1"]
    assert problems(report, "error") == [(3, "no ID or email: row not loaded")]
    assert report.problems["value"].iloc[0] == "Bob"


@pytest.mark.parametrize(("first", "second"), [("1234", "1234.0"), ("0123", "123"),
                                               ("ab 12", "AB12"), ("1234", 1234.0)])
def test_duplicate_ids_after_normalising_are_fatal_naming_both_rows(first, second):
    frame, report = load([["Collar No", "Name"], [first, "Ann"], ["9", "Cy"], [second, "Bob"]])
    assert not report.usable
    fatal = report.problems[report.problems["severity"] == "fatal"].iloc[0]
    assert fatal["row"] == 4
    assert "rows 2 and 4" in fatal["reason"]


def test_unreadable_start_date_is_a_warning_and_the_person_is_kept():
    frame, report = load([["Collar No", "Start Date"], ["1", "soon"], ["2", "01/02/2020"]])
    assert len(frame) == 2
    assert pd.isna(frame["start_date"].iloc[0])
    assert problems(report, "warning") == [(2, "not a date: kept with no date")]


def test_month_first_start_dates_are_detected_and_reported():
    frame, report = load([["Collar No", "Start Date"], ["1", "08/26/2020"], ["2", "01/02/2020"]])
    assert frame["start_date"].tolist() == [pd.Timestamp("2020-08-26"), pd.Timestamp("2020-01-02")]
    assert report.date_order == "month-first"


def test_month_first_option_applies_to_ambiguous_dates():
    frame, _ = load([["Collar No", "Start Date"], ["1", "01/02/2020"]], month_first=True)
    assert frame["start_date"].iloc[0] == pd.Timestamp("2020-01-02")


def test_notes_below_the_data_are_info_not_missing_ids():
    rows = [["Collar No", "Name"], ["1", "Ann"], [None, None], [None, None],
            ["Total: 1", None], ["Report generated 01/02/2025 by HR", None]]
    frame, report = load(rows)
    assert len(frame) == 1
    assert problems(report, "error") == []
    assert [row for row, _ in problems(report, "info")] == [5, 6]


def test_malformed_email_is_a_warning():
    _, report = load([["Collar No", "Email"], ["1", "not-an-email"]])
    assert problems(report, "warning") == [(2, "not an email address")]


def test_no_id_and_no_email_column_is_fatal():
    frame, report = load([["Name", "Rank", "Division"], ["Ann", "PC", "North"]])
    assert frame.empty
    assert "no ID column" in report.fatal_message()


def test_mapping_a_column_to_unit_replaces_detected_levels():
    rows = [["Collar No", "Division", "Cost Centre"], ["1", "North", "CC1"]]
    frame, _ = load(rows, mapping={"Cost Centre": "unit"})
    assert frame["unit"].iloc[0] == "CC1"
    assert "unit_2" not in frame.columns
