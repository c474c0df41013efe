"""The public loaders API end to end: file bytes in, canonical frame and report out."""

import datetime as dt

import pandas as pd
import pytest

from loaders import (
    FIELDS,
    IGNORE,
    LoadResult,
    load,
    load_completions,
    load_exemptions,
    load_roster,
    suggest_kind,
)
from loaders.headers import no_header_message
from loaders.limits import Limits
from loaders.schema import COMPLETION_COLUMNS, EXEMPTION_COLUMNS
from loaders.workbook import Sheet, Workbook
from tests.filemaker import csv_bytes, ods_bytes, xls_bytes, xlsm_bytes, xlsx_bytes

FAST = Limits(isolate=False)
TODAY = dt.date(2025, 1, 31)

ROSTER = [
    ["Staff list - OFFICIAL SENSITIVE"],
    [None],
    ["Collar No", "Forename", "Surname", "E-mail Address", "Division", "Team", "Rank",
     "Officer/Staff", "Start Date"],
    [1234, "Ann", "Lee", "Ann.Lee@Force.UK", "North", "Response 1", "PC", "Police Officer",
     dt.datetime(2020, 8, 26)],
    ["00567", "Bob", "Ng", "bob.ng@force.uk", "South", None, "PCSO", "PCSO", "01/02/2021"],
    [None],
    ["Total: 2"],
]
COMPLETIONS = [
    ["Learning Item Title", "User ID", "Completion Status", "Completion Date"],
    ["Managing Information", 1234, "Completed", dt.datetime(2024, 8, 26, 14, 32)],
    ["Managing Information", 567, "In Progress", None],
    ["Managing Information", 567, "Completed (did not achieve pass grade)", "26/08/2024"],
]


def match_course(titles, *, regex=True):
    known = {"managing information": "Managing Information", "mi": "Managing Information"}
    return titles.astype("string").str.lower().str.strip().map(known).astype("string")


def expected_roster_rows(frame):
    return frame[["person_id", "name", "email", "unit", "staff_type", "start_date",
                  "source_row"]].values.tolist()


ROSTER_ROWS = [
    ["1234", "Ann Lee", "ann.lee@force.uk", "North / Response 1", "officer",
     pd.Timestamp("2020-08-26"), 4],
    ["00567", "Bob Ng", "bob.ng@force.uk", "South", "pcso", pd.Timestamp("2021-02-01"), 5],
]


@pytest.mark.parametrize(
    ("name", "data", "file_type"),
    [
        ("staff.xlsx", xlsx_bytes({"Staff": ROSTER}), "xlsx"),
        ("staff.xlsm", xlsm_bytes({"Staff": ROSTER}), "xlsm"),
        ("staff.xls", xls_bytes({"Staff": ROSTER}), "xls"),
        ("staff.ods", ods_bytes({"Staff": ROSTER}), "ods"),
        ("staff.csv", csv_bytes(ROSTER), "csv"),
        ("staff.csv", csv_bytes(ROSTER, sep=";", encoding="utf-8-sig"), "csv"),
        ("staff.txt", csv_bytes(ROSTER, sep="\t", encoding="utf-16"), "csv"),
        ("staff.csv", csv_bytes(ROSTER, encoding="cp1252"), "csv"),
        ("misnamed.csv", xlsx_bytes({"Staff": ROSTER}), "xlsx"),
    ],
)
def test_roster_from_every_file_type(name, data, file_type):
    result = load_roster(data, name, limits=FAST)
    assert result.usable, result.report.lines()
    assert result.report.file_type == file_type
    assert result.report.header_row == 3
    assert expected_roster_rows(result.frame) == ROSTER_ROWS
    assert result.report.problems["severity"].tolist() == ["info"]


def test_completions_from_xlsx_with_a_hidden_sheet_and_statuses():
    data = xlsx_bytes(
        {"Secret": [["Collar No", "Course", "Completion Date"], [9, "MI", "1/1/2024"]],
         "Export": COMPLETIONS},
        hidden={"Secret": "hidden"},
    )
    result = load_completions(data, "lms.xlsx", match_course=match_course, limits=FAST,
                              today=TODAY)
    assert result.usable
    assert result.report.sheet == "Export"
    assert result.report.ignored_sheets == ["Secret"]
    assert result.frame[["person_id", "course", "completed_on", "source_row"]].values.tolist() == [
        ["1234", "Managing Information", pd.Timestamp("2024-08-26"), 2]
    ]
    assert result.report.rows_loaded == 1
    assert result.report.rows_read == 3


def test_default_isolated_read_works_end_to_end():
    result = load_completions(xlsx_bytes({"Export": COMPLETIONS}), "lms.xlsx", today=TODAY)
    assert result.usable
    assert len(result.frame) == 1


def test_per_course_csv_course_from_file_name():
    data = csv_bytes([["Collar No", "Completion Date"], ["1", "26/08/2024"]])
    result = load_completions(data, "completion-managing_information (1).csv",
                              match_course=match_course, limits=FAST)
    assert result.report.layout == "per-course"
    assert result.frame["course"].tolist() == ["Managing Information"]


def test_per_course_csv_course_given_by_user():
    data = csv_bytes([["Collar No", "Completion Date"], ["1", "26/08/2024"]])
    unnamed = load_completions(data, "export.csv", limits=FAST)
    named = load_completions(data, "export.csv", course="Managing Information", limits=FAST)
    assert not unnamed.usable
    assert named.usable
    assert named.report.course == "Managing Information"


def test_formula_without_cached_value_is_reported():
    rows = [["Collar No", "Course", "Completion Date"], [1, "MI", None]]
    data = xlsx_bytes({"Export": rows}, formulas={"Export": {"C2": "=TODAY()"}})
    result = load_completions(data, "f.xlsx", limits=FAST, today=TODAY)
    reasons = result.report.problems["reason"]
    assert reasons.str.contains("open and save the file in Excel").any()
    assert reasons.str.contains("no completion date").any()


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"%PDF-1.7 not a spreadsheet" * 10, None),
     (b"x" * 2000, "over the")],
)
def test_unreadable_bytes_are_one_fatal_problem_and_an_empty_frame(data, reason):
    result = load_completions(data, "bad.xlsx", limits=Limits(max_bytes=1000, isolate=False))
    assert not result.usable
    assert list(result.frame.columns) == list(COMPLETION_COLUMNS)
    assert result.frame.empty
    assert (result.report.problems["severity"] == "fatal").sum() == 1
    assert result.report.fatal_message().startswith("bad.xlsx")
    if reason:
        assert reason in result.report.fatal_message()


def test_mapping_and_sheet_options():
    rows = [["Ref", "Who", "Collar No"], ["A1", "Ann", "1"]]
    data = xlsx_bytes({"Other": [["x"]], "Mine": rows})
    result = load_roster(data, "r.xlsx", mapping={"Ref": "person_id", "Who": "name"},
                         sheet="Mine", limits=FAST)
    assert result.frame[["person_id", "name"]].values.tolist() == [["A1", "Ann"]]
    assert result.report.mapping == {"Ref": "person_id", "Who": "name"}


def test_exemptions_from_bytes():
    rows = [["Collar No", "Course", "From", "Until", "Reason"],
            ["1", "*", "01/04/2024", None, "Career break"]]
    result = load_exemptions(csv_bytes(rows), "ex.csv", limits=FAST)
    assert list(result.frame.columns) == list(EXEMPTION_COLUMNS)
    assert result.frame["course"].tolist() == ["*"]


def test_load_dispatches_and_drops_options_other_kinds_do_not_take():
    data = csv_bytes([["Collar No", "Name"], ["1", "Ann"]])
    result = load("roster", data, "r.csv", match_course=match_course, course="MI",
                  today=TODAY, limits=FAST)
    assert isinstance(result, LoadResult)
    assert result.frame["person_id"].tolist() == ["1"]
    exemptions = load("exemptions", csv_bytes([["Collar No", "Course"], ["1", "*"]]), "e.csv",
                      today=TODAY, limits=FAST)
    assert exemptions.usable


def test_load_unknown_kind_is_fatal():
    result = load("rota", b"x", "r.csv")
    assert not result.usable
    assert "unknown kind" in result.report.fatal_message()


def grid_book(*rows):
    grid = pd.DataFrame(list(rows), dtype=object)
    grid.index = range(1, len(grid) + 1)
    return Workbook("f.xlsx", "xlsx", [Sheet("S", grid)])


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["Collar No", "Name", "Division", "Rank", "Start Date"], "roster"),
        (["Staff ID", "Name", "Team"], "roster"),
        (["Collar No", "Course", "Completion Date"], "completions"),
        (["User ID", "Learning Item Title", "Completion Status", "Department"], "completions"),
        (["Collar No", "Completion Date"], "completions"),
        (["Collar No", "Course", "From", "Until", "Reason"], "exemptions"),
        (["Collar No", "Start Date", "End Date", "Notes", "Division"], "roster"),
        (["Foo", "Bar"], "completions"),
    ],
)
def test_suggest_kind(header, kind):
    assert suggest_kind(grid_book(["Report title"], header, ["1"] * len(header))) == kind


def test_fields_and_ignore():
    assert set(FIELDS) == {"roster", "completions", "exemptions"}
    assert {"person_id", "email", "unit", "start_date"} <= set(FIELDS["roster"])
    assert {"course", "completed_on", "status"} <= set(FIELDS["completions"])
    assert {"course", "from", "until", "reason"} <= set(FIELDS["exemptions"])
    assert IGNORE == "ignore"


def test_report_round_trips_to_dict():
    result = load_roster(csv_bytes(ROSTER), "staff.csv", limits=FAST)
    data = result.report.to_dict()
    assert data["usable"] is True
    assert data["header_row"] == 3
    assert data["problems"][0]["severity"] == "info"


def test_regex_aliases_match_course_values_but_never_wide_headers():
    from compliance.rules import rules_from_dict

    rules = rules_from_dict(
        {"requirements": [{"course": "Managing Information", "aliases": ["/managing\\s+info/"]}]}
    )
    matrix = [
        ["Collar No", "Managing Info Notes", "Managing Information"],
        ["1", "26/08/2024", "01/09/2024"],
    ]
    wide = load_completions(xlsx_bytes({"Matrix": matrix}), "matrix.xlsx",
                            match_course=rules.match_titles, limits=FAST)
    assert wide.report.layout == "wide"
    assert list(wide.frame["course"]) == ["Managing Information"]

    long = [["Collar No", "Course", "Completion Date"], ["1", "Managing Info Ops", "26/08/2024"]]
    result = load_completions(csv_bytes(long), "lms.csv", match_course=rules.match_titles,
                              limits=FAST)
    assert result.report.problems.empty
    assert list(result.frame["course"]) == ["Managing Info Ops"]


HEADERS = {
    "roster": ["Collar No", "Name", "Division"],
    "completions": ["Collar No", "Course", "Completion Date"],
    "exemptions": ["Collar No", "Course", "From", "Until", "Reason"],
}
DATA = {
    "roster": [["1001", "Ann Lee", "North"], ["1002", "Bob Ng", "South"]],
    "completions": [["1001", "Fire Safety", "26/08/2024"], ["1002", "Fire Safety", "01/09/2024"]],
    "exemptions": [["1001", "*", "01/04/2024", None, "Career break"],
                   ["1002", "Fire Safety", "01/05/2024", None, "Long-term sick"]],
}
# Above the real header: a title, then a summary block whose header detection prefers.
SUMMARY = {
    "roster": ["Division", "Team", "Rank", "Staff Type"],
    "completions": ["Course", "Course Code", "Completion Status", "Completion Date"],
    "exemptions": ["Name", "Course", "From", "Until", "Reason", "Notes"],
}
FAR_DOWN = [["Monthly report"], *[[None]] * 33]


def decoy(kind):
    return [["Monthly report"], SUMMARY[kind], ["x"] * len(SUMMARY[kind])]


def header_file(kind, file_type, above, header=None, sheet="Staff", others=None):
    """Bytes and file name of a file holding ``kind`` with its header below ``above``
    (``"decoy"`` for a summary block that detection takes for the header)."""
    above = decoy(kind) if above == "decoy" else above
    rows = [*above, header or HEADERS[kind], *DATA[kind]]
    if file_type == "csv":
        return csv_bytes(rows), f"{kind}.csv"
    return xlsx_bytes({**(others or {}), sheet: rows}), f"{kind}.xlsx"


KINDS_AND_TYPES = pytest.mark.parametrize(
    ("kind", "file_type"),
    [(k, t) for k in ("roster", "completions", "exemptions") for t in ("xlsx", "csv")],
)


@KINDS_AND_TYPES
@pytest.mark.parametrize(("above", "row"), [("decoy", 4), (FAR_DOWN, 35)],
                         ids=["decoy", "below-row-30"])
def test_header_row_option_takes_the_header_from_that_row(kind, file_type, above, row):
    data, name = header_file(kind, file_type, above)
    detected = load(kind, data, name, limits=FAST, today=TODAY)
    result = load(kind, data, name, header_row=row, limits=FAST, today=TODAY)
    assert detected.report.header_row != row
    assert result.usable, result.report.lines()
    assert result.report.header_row == row
    assert list(result.report.mapping) == HEADERS[kind]
    assert result.frame["person_id"].tolist() == ["1001", "1002"]
    assert result.frame["source_row"].tolist() == [row + 1, row + 2]


@KINDS_AND_TYPES
@pytest.mark.parametrize("row", [0, 9])
def test_header_row_outside_the_sheet_is_one_fatal_line(kind, file_type, row):
    data, name = header_file(kind, file_type, "decoy")
    result = load(kind, data, name, header_row=row, limits=FAST, today=TODAY)
    assert not result.usable
    assert result.frame.empty
    sheet = name if file_type == "csv" else "Staff"
    assert result.report.fatal_message() == (
        f"{name}: sheet {sheet!r} has no row {row}: choose a header row from 1 to 6"
    )


@KINDS_AND_TYPES
@pytest.mark.parametrize("row", [1, 5, 6], ids=["title", "data", "last"])
def test_header_row_naming_no_column_is_fatal(kind, file_type, row):
    data, name = header_file(kind, file_type, [["Monthly report"], [None], [None]])
    result = load(kind, data, name, header_row=row, limits=FAST, today=TODAY)
    assert not result.usable
    sheet = name if file_type == "csv" else "Staff"
    message = result.report.fatal_message()
    assert message == f"{name}: {no_header_message(kind, row, sheet)}"
    assert "\n" not in message and "expected columns such as" in message
    assert result.report.header_row == row


@KINDS_AND_TYPES
def test_header_row_with_sheet_and_mapping(kind, file_type):
    header = ["Ref", *HEADERS[kind][1:]]
    others = {"Other": [["Collar No", *HEADERS[kind][1:]], *DATA[kind]]}
    data, name = header_file(kind, file_type, "decoy", header=header, sheet="Mine", others=others)
    sheet = name if file_type == "csv" else "Mine"
    result = load(kind, data, name, sheet=sheet, header_row=4, mapping={"ref": "person_id"},
                  limits=FAST, today=TODAY)
    assert result.usable, result.report.lines()
    assert (result.report.sheet, result.report.header_row) == (sheet, 4)
    assert result.report.mapping["Ref"] == "person_id"
    assert result.frame["person_id"].tolist() == ["1001", "1002"]
    unmapped = load(kind, data, name, sheet=sheet, header_row=4, limits=FAST, today=TODAY)
    assert "no ID column" in unmapped.report.fatal_message()


def _fatal(result: LoadResult) -> tuple[str | None, str]:
    fatal = result.report.problems[result.report.problems["severity"] == "fatal"]
    assert len(fatal) == 1, result.report.lines()
    return fatal["column"].iloc[0], fatal["reason"].iloc[0]


def test_a_roster_that_loads_no_row_is_unusable_naming_the_column() -> None:
    rows = [["Collar No", "Name", "Unit"], *[[None, name, "North"] for name in ("Ann", "Bo", "Cy")]]
    result = load_roster(csv_bytes(rows), "staff.csv", limits=FAST)
    assert not result.usable
    assert (result.report.rows_read, result.report.rows_loaded) == (3, 0)
    assert _fatal(result) == (
        "Collar No",
        "none of the 3 rows read could be loaded: 3 were refused with 'no ID or email: row "
        "not loaded'; fix that and upload the file again",
    )
    assert result.report.lines()[-1] == "Usable: no"


@pytest.mark.parametrize("kind", ["roster", "completions", "exemptions"])
def test_a_header_with_no_data_is_unusable(kind: str) -> None:
    header = {
        "roster": ["Collar No", "Name"],
        "completions": ["Collar No", "Course", "Completion Date"],
        "exemptions": ["Collar No", "Course", "Reason"],
    }[kind]
    result = load(kind, csv_bytes([["Training export"], header]), "f.csv", limits=FAST)
    assert not result.usable
    assert _fatal(result) == (
        None, "no data rows below the header (row 2): export the file again with its data"
    )


def test_completions_with_nothing_done_are_unusable_with_the_reason() -> None:
    rows = [COMPLETIONS[0], COMPLETIONS[2], COMPLETIONS[3]]
    result = load_completions(csv_bytes(rows), "lms.csv", limits=FAST, today=TODAY)
    assert not result.usable
    assert _fatal(result) == (
        None,
        "none of the 2 rows read holds anything to load (the notes say which rows were "
        "skipped): check that this is the right export",
    )


def test_a_given_workbook_is_held_to_the_caps_before_any_header_is_looked_for() -> None:
    grid = pd.DataFrame([["Collar No", "Name", "Unit"], ["1", "Ann", "North"]], index=[1, 2])
    book = Workbook("staff.csv", "csv", [Sheet("staff.csv", grid)])
    result = load_roster(book, "staff.csv", limits=Limits(max_columns=2))
    assert _fatal(result) == (
        None,
        "sheet 'staff.csv' has 3 columns, over the limit of 2: delete the columns that are "
        "not needed (or export only the ones needed) and upload it again",
    )
    assert result.report.header_row is None
    assert load_roster(book, "staff.csv", limits=Limits(max_columns=3)).usable


@pytest.mark.parametrize(
    ("name", "data"),
    [("staff.xlsx", xlsx_bytes({"Staff": ROSTER})), ("staff.csv", csv_bytes(ROSTER))],
)
def test_loaded_text_is_held_by_arrow_not_python_strings(name, data):
    frame = load_roster(data, name, limits=FAST).frame
    text = [column for column, dtype in frame.dtypes.items() if isinstance(dtype, pd.StringDtype)]
    assert {"person_id", "name", "unit"} <= set(text)
    assert {frame[column].dtype.storage for column in text} == {"pyarrow"}
    completions = load_completions(
        csv_bytes(COMPLETIONS), "lms.csv", match_course=match_course, limits=FAST, today=TODAY
    ).frame
    assert completions["source_file"].dtype == pd.StringDtype("pyarrow")
