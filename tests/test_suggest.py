"""Suggested columns: a header naming a field's word is offered for it, never mapped alone."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders import load_roster
from loaders.suggest import suggest
from loaders.workbook import Sheet, Workbook


@pytest.mark.parametrize(
    ("headers", "mapped", "expected"),
    [
        (["Grade (current)", "Home Team"], {}, {"Grade (current)": "role", "Home Team": "unit"}),
        (["Rank", "Grade (current)"], {"Rank": "role"}, {}),
        (["Team Notes", "Team"], {"Team": "unit"}, {}),
        (["Employment Category"], {}, {"Employment Category": "staff_type"}),
        (["Pay band"], {}, {}),
        (["Date Joined Force"], {}, {"Date Joined Force": "start_date"}),
    ],
)
def test_suggest(headers: list[str], mapped: dict, expected: dict) -> None:
    assert suggest(headers, mapped, "roster") == expected


def test_a_roster_load_reports_the_suggestion_and_does_not_use_it() -> None:
    grid = pd.DataFrame(
        [["Collar No", "Name", "Grade (current)"], ["0101", "Ann Lee", "Sergeant"]],
        index=[1, 2], dtype=object,
    )
    result = load_roster(Workbook("hr.csv", "csv", [Sheet("hr", grid)]), "hr.csv")
    assert result.report.suggestions == {"Grade (current)": "role"}
    assert result.frame["role"].isna().all()
    assert any("--map \"Grade (current)=role\"" in note for note in result.report.notes)
    mapped = load_roster(Workbook("hr.csv", "csv", [Sheet("hr", grid)]), "hr.csv",
                         mapping={"Grade (current)": "role"})
    assert mapped.frame["role"].tolist() == ["Sergeant"] and not mapped.report.suggestions
