import pandas as pd
import pytest

from compliance.engine import compute_status
from compliance.summary import summarise
from compliance.trend import month_ends, monthly_trend
from tests.test_engine import random_force

COUNTS = ["in_scope", "compliant", "expiring", "pending", "overdue", "exempt", "compliance_rate"]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-01-15", "2024-04-30", ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]),
        ("2024-01-31", "2024-01-31", ["2024-01-31"]),
        ("2024-02-01", "2024-02-28", []),
        ("2024-11-10", "2025-01-05", ["2024-11-30", "2024-12-31"]),
        ("2024-05-01", "2024-01-01", []),
    ],
)
def test_month_ends(start, end, expected):
    assert month_ends(start, end) == [pd.Timestamp(d) for d in expected]


@pytest.mark.parametrize("by", [None, "course", "unit_1", "staff_type"])
def test_trend_agrees_with_compute_status_each_month(by):
    force, events, rules, excused = random_force(3)
    trend = monthly_trend(force, events, rules, excused, "2022-06-01", "2023-11-30", by=by)
    keys = [by] if by else []
    assert list(trend.columns) == ["month_end", *keys, *COUNTS]
    assert trend["month_end"].nunique() == 18
    for month_end, got in trend.groupby("month_end"):
        status = compute_status(force, events, rules, month_end, excused)
        if by:
            status[by] = status[by].fillna("(no unit)" if by.startswith("unit") else "(none)")
            want = summarise(status, by, level=None).iloc[:-1]
        else:
            want = summarise(status, "course").iloc[-1:]
        got = got.drop(columns="month_end").sort_values(keys).reset_index(drop=True)
        want = want.sort_values(keys).reset_index(drop=True)[[*keys, *COUNTS]]
        pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_trend_uses_the_roster_current_on_each_date():
    force, events, rules, excused = random_force(1)
    smaller = force.iloc[:10]
    asked = []

    def roster_for(when: pd.Timestamp) -> pd.DataFrame:
        asked.append(when)
        return smaller if when < pd.Timestamp("2023-01-01") else force

    trend = monthly_trend(roster_for, events, rules, excused, "2022-10-01", "2023-02-28")
    assert asked == month_ends("2022-10-01", "2023-02-28")
    for month_end, roster in [("2022-12-31", smaller), ("2023-01-31", force)]:
        status = compute_status(roster, events, rules, month_end, excused)
        row = trend[trend["month_end"] == pd.Timestamp(month_end)].iloc[0]
        assert row["in_scope"] == len(status)
        assert row["overdue"] == (status["status"] == "overdue").sum()


def test_empty_range_gives_empty_frame_with_columns():
    force, events, rules, excused = random_force(0)
    trend = monthly_trend(force, events, rules, None, "2024-02-01", "2024-02-28", by="course")
    assert trend.empty
    assert list(trend.columns) == ["month_end", "course", *COUNTS]
