"""People lists: headline counts, the per-person matrix, overdue and due-soon tables."""

from __future__ import annotations

import pandas as pd
import pytest

from compliance import lists, summary
from compliance.scope import Filters
from tests.force import AS_OF, engine_status


def test_headline_matches_summary() -> None:
    status = engine_status()
    figures = lists.headline(status)
    total = summary.summary_by_unit(status).iloc[-1]
    assert figures["compliance_rate"] == pytest.approx(total["compliance_rate"])
    assert figures["overdue"] == total["overdue"]
    assert figures["expiring"] == total["expiring"]
    assert figures["pending"] == total["pending"] == 1

def test_headline_of_nobody() -> None:
    assert lists.headline(engine_status().iloc[0:0]) == {
        "compliance_rate": None, "overdue": 0, "expiring": 0, "pending": 0
    }

def test_people_matrix_one_row_per_person() -> None:
    matrix = lists.people_matrix(engine_status())
    assert matrix["person_id"].is_unique
    eve = matrix.set_index("person_id").loc["5"]
    assert eve["Taser"] == "not required"
    assert matrix["overdue"].iloc[0] == matrix["overdue"].max()

def test_overdue_table_bands_and_order() -> None:
    table = lists.overdue_table(engine_status())
    days = table["days_overdue"]
    assert table.loc[days.isna(), "band"].eq("no due date").all()
    assert days.isna().idxmin() == days.isna().sum()  # never done at all: listed first
    assert days.dropna().is_monotonic_decreasing
    assert set(table["band"]) <= {*lists.OVERDUE_BANDS, "no due date"}
    counts = lists.band_counts(table)
    assert counts.sum() == len(table)

def test_overdue_counts_by_course_and_band() -> None:
    table = lists.overdue_table(engine_status())
    counts = lists.overdue_counts(table)
    assert list(counts.columns) == [*lists.OVERDUE_BANDS, "no due date"]
    assert counts.to_numpy().sum() == len(table)
    per_course = table["course"].value_counts()
    assert counts.sum(axis=1).to_dict() == per_course.to_dict()
    assert lists.overdue_counts(table.iloc[0:0]).empty

@pytest.mark.parametrize(
    ("days", "band"),
    [(1, "1-30 days"), (30, "1-30 days"), (31, "31-90 days"), (180, "91-180 days"),
     (181, "over 180 days")],
)
def test_overdue_band(days: int, band: str) -> None:
    assert lists.overdue_band(pd.Series([days])).astype(str).tolist() == [band]

def test_due_soon_table_days_left() -> None:
    table = lists.due_soon_table(engine_status(), AS_OF)
    fay = table[table["person_id"] == "6"].iloc[0]
    assert fay["status"] == "pending"
    assert fay["days_left"] == (fay["due_date"] - AS_OF).days


@pytest.mark.parametrize(
    ("bands", "managers", "words"),
    [
        ((), (), "unit North; all courses; all staff types"),
        (("1-30 days",), ("Sgt Jones", "Insp. Hall"),
         "unit North; all courses; all staff types; days overdue 1-30 days; "
         "managers Sgt Jones, Insp. Hall"),
    ],
)
def test_describe_filters(bands, managers, words) -> None:
    assert lists.describe_filters(Filters(unit="North"), bands=bands, managers=managers) == words
