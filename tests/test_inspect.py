"""What the Upload page is told about one file: detection without loading, then one load."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.inspect import Choices, detect, inspect
from loaders.workbook import Sheet, Workbook


def _sheet(name: str, rows: list[list[object]]) -> Sheet:
    width = max(len(row) for row in rows)
    grid = pd.DataFrame([row + [None] * (width - len(row)) for row in rows], dtype=object)
    grid.index = range(1, len(rows) + 1)
    return Sheet(name, grid)


ROSTER = _sheet(
    "Staff",
    [
        ["Establishment report"],
        [None],
        ["Collar No", "Full Name", "Division", "Ref"],
        ["0101", "Ann Lee", "North", "x1"],
        ["0102", "Bob Ray", "South", "x2"],
    ],
)
NOTES = _sheet("Notes", [["Exported by HR on Monday"]])
WORKBOOK = Workbook("hr.xlsx", "xlsx", [NOTES, ROSTER])


def test_detect_finds_kind_sheet_header_and_fields_without_loading() -> None:
    found = detect(WORKBOOK, Choices())
    assert (found.suggested_kind, found.kind) == ("roster", "roster")
    assert found.sheets == ["Notes", "Staff"]
    assert (found.sheet, found.header_row) == ("Staff", 3)
    assert found.headers == ["Collar No", "Full Name", "Division", "Ref"]
    assert found.detected == {"Collar No": "person_id", "Full Name": "name", "Division": "unit"}


def test_inspect_loads_once_with_the_users_corrections() -> None:
    seen = inspect(WORKBOOK, Choices(mapping=(("Ref", "email"), ("Division", "ignore"))))
    assert "Ref" not in seen.detection.detected
    assert seen.result.report.mapping == {
        "Collar No": "person_id", "Full Name": "name", "Ref": "email"
    }
    assert seen.result.frame["person_id"].tolist() == ["0101", "0102"]
    assert seen.result.frame["source_row"].tolist() == [4, 5]


def test_the_users_kind_replaces_the_suggestion() -> None:
    found = detect(WORKBOOK, Choices(kind="completions"))
    assert (found.suggested_kind, found.kind) == ("roster", "completions")


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (Choices(header_row=40), "sheet 'Staff' has no row 40: choose a header row from 1 to 5"),
        (Choices(header_row=1), "row 1 of sheet 'Staff' is not a header row"),
        (Choices(sheet="Notes"), "no header row found in the first 30 rows"),
    ],
)
def test_a_bad_choice_is_one_fatal_line(choices: Choices, message: str) -> None:
    seen = inspect(WORKBOOK, choices)
    assert not seen.result.usable
    assert message in seen.result.report.fatal_message()
