import pandas as pd
import pytest

from loaders.headers import HeaderRow, detect_fields, find_header, locate, no_header_message
from loaders.report import LoadReport
from loaders.workbook import Sheet, Workbook


def sheet(rows, name="Sheet1", **options):
    grid = pd.DataFrame(rows, dtype=object)
    grid.index = range(1, len(grid) + 1)
    return Sheet(name, grid, **options)


def book(*sheets, hidden=()):
    return Workbook("f.xlsx", "xlsx", list(sheets), hidden_sheets=list(hidden))


def courses(titles, *, regex=True):
    known = {"managing information": "Managing Information", "info security": "Info Security"}
    return titles.astype("string").str.lower().map(known).astype("string")


@pytest.mark.parametrize(
    ("header", "kind", "field"),
    [
        *[(h, "roster", "person_id") for h in (
            "Collar Number", "Collar No", "Warrant Number", "Warrant No", "Payroll Number",
            "Payroll No", "Employee Number", "Employee ID", "Staff Number", "Staff ID",
            "Personnel Number", "Force Number", "User ID", "ID Number", "Service Number",
            "COLLAR NO.", "  collar   number ", "Collar_Number")],
        *[(h, "roster", "email") for h in (
            "Email", "Email Address", "E-mail", "E-mail Address", "Work Email")],
        ("Username", "roster", "username"),
        *[(h, "roster", "name") for h in ("Name", "Full Name", "Staff Name", "User's Fullname")],
        *[(h, "roster", "first_name") for h in ("First Name", "Forename", "Forenames",
                                                 "Given Name")],
        *[(h, "roster", "surname") for h in ("Surname", "Last Name", "Family Name")],
        *[(h, "roster", "unit") for h in (
            "Division", "BCU", "Basic Command Unit", "District", "Command", "Directorate",
            "Area", "Department", "Unit", "Section", "Team", "Station", "Organisation",
            "Org Unit", "Cost Centre Name")],
        *[(h, "roster", "role") for h in ("Rank", "Role", "Job Title", "Position", "Grade")],
        *[(h, "roster", "staff_type") for h in (
            "Staff Type", "Employee Type", "Employee Category", "Worker Type", "Officer/Staff")],
        *[(h, "roster", "start_date") for h in (
            "Start Date", "Date Joined", "Joining Date", "Date of Joining", "Hire Date",
            "Employment Start", "Service Start")],
        *[(h, "roster", "leave_date") for h in (
            "Leaving Date", "Leave Date", "End Date", "Termination Date", "Date Left")],
        *[(h, "completions", "course") for h in (
            "Course", "Course Name", "Course Title", "Learning Item", "Learning Item Title",
            "Module", "Training", "Activity", "Item Title")],
        *[(h, "completions", "course_code") for h in ("Course Code", "Item ID")],
        *[(h, "completions", "completed_on") for h in (
            "Completion Date", "Completed Date", "Date Completed", "Completed On",
            "Completion Time", "Date Passed", "Achieved On", "Certificate Date")],
        *[(h, "completions", "status") for h in (
            "Completion Status", "Status", "Result", "Outcome", "Course Complete")],
        ("Reason", "exemptions", "reason"),
        ("Exempt From", "exemptions", "from"),
        ("Until", "exemptions", "until"),
        ("End Date", "exemptions", "until"),
    ],
)
def test_synonyms_match_whole_folded_header(header, kind, field):
    assert detect_fields([header], kind) == {header: field}


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Course Completion Status Detail", "completions"),
        ("Course Completion Status Code", "completions"),
        ("Preferred Email Alias", "roster"),
        ("Collar Number Old", "roster"),
        ("Start Date of Course", "roster"),
        ("Rank (acting)", "roster"),
        ("Course Start", "completions"),
    ],
)
def test_containing_a_synonym_is_not_a_match(header, kind):
    assert detect_fields([header], kind) == {}


def test_course_completion_status_is_not_the_course():
    assert detect_fields(["Course Completion Status", "Course"], "completions") == {
        "Course": "course"
    }


@pytest.mark.parametrize("blank_rows", [0, 1, 5, 28])
def test_header_found_below_title_and_blank_rows(blank_rows):
    rows = [["Completions report"]] + [[None]] * blank_rows
    rows += [["Collar No", "Course", "Completion Date"], ["1", "MI", "26/08/2024"]]
    report = LoadReport(file="f.xlsx", kind="completions")
    table = locate(book(sheet(rows)), "completions", report)
    assert table.header_row == blank_rows + 2
    assert report.header_row == blank_rows + 2
    assert table.above == ["Completions report"]
    assert list(table.body.index) == [blank_rows + 3]


@pytest.mark.parametrize(
    ("kind", "example"),
    [("completions", "Course, Completion Date"), ("roster", "Division, Rank, Start Date")],
)
def test_header_beyond_row_30_is_fatal_with_the_fixing_message(kind, example):
    rows = [[None]] * 30 + [["Collar No", "Course", "Completion Date"]]
    report = LoadReport(file="f.xlsx", kind=kind)
    assert locate(book(sheet(rows)), kind, report) is None
    assert report.fatal_message() == f"f.xlsx: {no_header_message(kind)}"
    assert example in report.fatal_message()


def test_sheet_with_unrecognised_header_is_fatal():
    report = LoadReport(file="f.xlsx", kind="roster")
    assert locate(book(sheet([["Foo", "Bar"], [1, 2]])), "roster", report) is None
    assert not report.usable
    assert "no header row found in the first 30 rows" in report.fatal_message()


def test_best_visible_sheet_is_chosen_and_all_sheets_listed():
    notes = sheet([["Read me first"], ["This file holds staff"]], name="Notes")
    staff = sheet([["Collar No", "Name", "Division"], ["1", "A", "North"]], name="Staff")
    report = LoadReport(file="f.xlsx", kind="roster")
    table = locate(book(notes, staff, hidden=["Secret"]), "roster", report)
    assert table.sheet == "Staff"
    assert report.sheet == "Staff"
    assert report.sheets == ["Notes", "Staff"]
    assert report.ignored_sheets == ["Secret"]


def test_sheet_choice_follows_the_kind():
    staff = sheet([["Collar No", "Name", "Division", "Rank"], ["1", "A", "N", "PC"]], "Staff")
    done = sheet([["Collar No", "Course", "Completion Date"], ["1", "MI", "1/1/24"]], "Done")
    workbook = book(staff, done)
    assert locate(workbook, "roster", LoadReport("f", "roster")).sheet == "Staff"
    assert locate(workbook, "completions", LoadReport("f", "completions")).sheet == "Done"


@pytest.mark.parametrize(
    ("wanted", "chosen", "fatal"),
    [
        ("Other", "Other", None),
        ("other", "Other", None),
        ("Secret", None, "hidden"),
        ("Missing", None, "there is no sheet 'Missing'"),
    ],
)
def test_user_picks_a_visible_sheet(wanted, chosen, fatal):
    first = sheet([["Collar No", "Name", "Division"], ["1", "A", "N"]], name="Main")
    other = sheet([["Staff ID", "Name"], ["2", "B"]], name="Other")
    report = LoadReport(file="f.xlsx", kind="roster")
    table = locate(book(first, other, hidden=["Secret"]), "roster", report, sheet=wanted)
    if fatal is None:
        assert table.sheet == chosen
    else:
        assert table is None
        assert fatal in report.fatal_message()


def test_workbook_without_visible_sheets_is_fatal():
    report = LoadReport(file="f.xlsx", kind="roster")
    assert locate(book(hidden=["Only"]), "roster", report) is None
    assert "no visible sheet" in report.fatal_message()


def test_user_mapping_replaces_detected_field_and_finds_the_header():
    rows = [["Ref", "Collar No", "Name"], ["A1", "1", "Ann"]]
    report = LoadReport(file="f.xlsx", kind="roster")
    table = locate(book(sheet(rows)), "roster", report, mapping={"Ref": "person_id"})
    assert table.fields == {"Ref": "person_id", "Name": "name"}
    assert report.mapping == {"Ref": "person_id", "Name": "name"}


def test_user_mapping_alone_makes_a_header():
    rows = [["Ref", "Who"], ["A1", "Ann"]]
    mapping = {"ref": "person_id", "Who": "name"}
    table = locate(book(sheet(rows)), "roster", LoadReport("f", "roster"), mapping=mapping)
    assert table.fields == {"Ref": "person_id", "Who": "name"}


def test_user_mapping_can_ignore_a_column():
    rows = [["Collar No", "Email", "Name"], ["1", "a@b.uk", "Ann"]]
    table = locate(
        book(sheet(rows)), "roster", LoadReport("f", "roster"), mapping={"Email": "ignore"}
    )
    assert table.fields == {"Collar No": "person_id", "Name": "name"}
    assert table.ignored == {"Email"}


@pytest.mark.parametrize(
    ("mapping", "reason"),
    [({"Nope": "name"}, "no such column"), ({"Name": "shoe_size"}, "map to one of")],
)
def test_bad_user_mapping_is_a_warning(mapping, reason):
    rows = [["Collar No", "Name"], ["1", "Ann"]]
    report = LoadReport(file="f.xlsx", kind="roster")
    locate(book(sheet(rows)), "roster", report, mapping=mapping)
    warnings = report.problems[report.problems["severity"] == "warning"]
    assert warnings["reason"].str.contains(reason).any()


@pytest.mark.parametrize(
    ("values", "field"),
    [(["a@b.uk", "c@d.uk"], "email"), (["jdoe", "asmith"], None)],
)
def test_username_is_email_only_when_it_holds_emails(values, field):
    rows = [["Collar No", "Username"], *[[str(n), v] for n, v in enumerate(values)]]
    table = locate(book(sheet(rows)), "roster", LoadReport("f", "roster"))
    assert table.fields.get("Username") == field


def test_username_is_unused_when_there_is_an_email_column():
    rows = [["Username", "Email"], ["a@b.uk", "a@b.uk"]]
    table = locate(book(sheet(rows)), "roster", LoadReport("f", "roster"))
    assert table.fields == {"Email": "email"}


def test_second_column_for_a_single_field_is_noted_not_used():
    rows = [["Email", "Work Email", "Collar No"], ["a@b.uk", "c@d.uk", "1"]]
    report = LoadReport(file="f.xlsx", kind="roster")
    table = locate(book(sheet(rows)), "roster", report)
    assert table.fields == {"Email": "email", "Collar No": "person_id"}
    assert any("Work Email" in note for note in report.notes)


def test_every_unit_level_is_kept_left_to_right():
    rows = [["Collar No", "Division", "Station", "Team"], ["1", "N", "S", "T"]]
    table = locate(book(sheet(rows)), "roster", LoadReport("f", "roster"))
    assert table.columns("unit") == ["Division", "Station", "Team"]


def test_wide_headers_count_when_they_name_a_requirement():
    rows = [
        ["Training matrix", None, None],
        ["Collar No", "Managing Information", "Info Security"],
        ["1", "26/08/2024", None],
    ]
    header = find_header(sheet(rows), "completions", match_course=courses)
    assert header.position == 1
    assert header.score[0] == 3


def test_blank_and_duplicate_headers_get_names():
    rows = [["Collar No", None, "Name", "Name"], ["1", "x", "A", "B"], ["2", None, "C", "D"]]
    table = locate(book(sheet(rows)), "roster", LoadReport("f", "roster"))
    assert table.headers == ["Collar No", "(column 2)", "Name", "Name (2)"]
    assert table.fields["Name"] == "name"


def test_empty_unnamed_columns_are_dropped():
    rows = [["Collar No", None, "Name"], ["1", None, "A"]]
    table = locate(book(sheet(rows)), "roster", LoadReport("f", "roster"))
    assert table.headers == ["Collar No", "Name"]
    assert table.positions == {0: "Collar No", 2: "Name"}


def test_formula_without_cached_value_is_reported_with_row_and_column():
    rows = [["Collar No", "Completion Date"], ["1", None], ["2", "1/1/2024"]]
    formula_sheet = sheet(rows, missing_formula_values=[(2, 1)])
    report = LoadReport(file="f.xlsx", kind="completions")
    locate(book(formula_sheet), "completions", report)
    problem = report.problems.iloc[0]
    assert (problem["row"], problem["column"]) == (2, "Completion Date")
    assert "open and save the file in Excel" in problem["reason"]


@pytest.mark.parametrize(
    ("header", "kind", "found"),
    [
        (["Email"], "roster", True),
        (["Collar No", "Course", "Completion Date"], "roster", True),
        (["Collar No", "Foo", "Bar"], "roster", False),
        (["Course", "Completion Date"], "roster", False),
        (["Training"], "completions", True),
    ],
)
def test_what_counts_as_a_header_row(header, kind, found):
    assert (find_header(sheet([header, ["x"] * len(header)]), kind) is not None) is found


def test_title_row_naming_one_field_loses_to_the_real_header():
    rows = [["Training"], ["Collar No", "Course", "Completion Date"], ["1", "MI", "1/1/24"]]
    assert find_header(sheet(rows), "completions").position == 1


def test_header_row_applies_to_the_sheet_detection_chooses():
    notes = sheet([["Read me"], ["Collar No", "Name"]], name="Notes")
    staff = sheet([["Title"], ["Staff list"], ["Collar No", "Name", "Division"], ["1", "A", "N"]],
                  name="Staff")
    report = LoadReport(file="f.xlsx", kind="roster")
    table = locate(book(notes, staff), "roster", report, header_row=3)
    assert (table.sheet, table.header_row, report.header_row) == ("Staff", 3, 3)
    assert table.above == ["Title", "Staff list"]
    assert list(table.body.index) == [4]


def test_header_row_uses_the_first_sheet_when_detection_finds_no_header():
    far = [["Title"], *[[None]] * 32, ["Collar No", "Name"], ["1", "Ann"]]
    other = [["Title"], *[[None]] * 40, ["Collar No", "Name"], ["2", "Bob"]]
    report = LoadReport(file="f.xlsx", kind="roster")
    workbook = book(sheet(far, name="First"), sheet(other, name="Second"))
    assert locate(workbook, "roster", LoadReport("f.xlsx", "roster")) is None
    table = locate(workbook, "roster", report, header_row=34)
    assert (table.sheet, table.fields) == ("First", {"Collar No": "person_id", "Name": "name"})
    assert report.usable


def test_header_row_naming_only_a_requirement_is_a_header():
    rows = [["Collar No", "Team"], ["Summary", "x"], ["Who", "Managing Information"],
            ["1", "26/08/2024"]]
    workbook = book(sheet(rows))
    report = LoadReport(file="f.xlsx", kind="completions")
    table = locate(workbook, "completions", report, header_row=3, match_course=courses)
    assert table.header_row == 3
    assert table.headers == ["Who", "Managing Information"]
    unknown = LoadReport(file="f.xlsx", kind="completions")
    assert locate(workbook, "completions", unknown, header_row=3) is None
    assert "row 3 of sheet 'Sheet1' is not a header row" in unknown.fatal_message()


@pytest.mark.parametrize(("row", "fatal"), [(2, "has no row 2: choose a header row from 1 to 1"),
                                            (1, "row 1 of sheet 'Sheet1' is not a header row")])
def test_header_row_problems_name_the_sheet(row, fatal):
    report = LoadReport(file="f.xlsx", kind="roster")
    assert locate(book(sheet([["Foo", "Bar"]])), "roster", report, header_row=row) is None
    assert report.sheet == "Sheet1"
    assert fatal in report.fatal_message()


def test_a_wide_sheet_is_scored_as_a_whole():
    """3,000 columns of numbers-as-text and dates around a header with three fields."""
    width = 3_000
    filler = [f"{n}" for n in range(width)]
    rows = [
        ["Completions report", *[None] * (width - 1)],
        filler,
        ["Course", "Collar No", "Completion Date", *[f"Extra {n}" for n in range(width - 3)]],
        ["Managing Information", 1234.0, pd.Timestamp("2024-08-26"), *filler[3:]],
    ]
    found = find_header(sheet(rows), "completions")
    assert (found.position, found.score) == (2, (3, 3))
    assert find_header(sheet(rows), "roster") == HeaderRow(position=2, score=(1, 3))
    assert find_header(sheet([filler, [1.0] * width]), "roster") is None


def test_user_mapping_by_folded_name_takes_the_first_matching_header():
    report = LoadReport(file="f.xlsx", kind="roster")
    rows = [["Collar No", "COLLAR-NO", "Name"], ["1", "2", "Ann"]]
    table = locate(book(sheet(rows)), "roster", report, mapping={"collar no.": "person_id"})
    assert table.fields == {"Collar No": "person_id", "Name": "name"}
