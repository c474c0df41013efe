"""Trend and projection counts: the engine's statuses counted at many dates, by group."""

import numpy as np
import pandas as pd
import pytest

from compliance import lists, trend
from compliance.engine import compute_status
from compliance.scope import Filters, Scope, apply_filters
from compliance.snapshot import take
from compliance.summary import COUNT_COLUMNS, NO_UNIT, compliance_rate, summarise
from tests.test_engine import random_force

COUNTS = [*COUNT_COLUMNS, "compliance_rate"]


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
    assert trend.month_ends(start, end) == [pd.Timestamp(d) for d in expected]


def _summed(counts: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Counts summed per group (one row when ``by`` is None), with the rate recomputed."""
    frame = counts.assign(
        unit=counts["unit"].replace("", NO_UNIT), staff_type=counts["staff_type"].fillna("(none)")
    )
    keys = [by] if by else []
    table = frame.groupby(keys or np.zeros(len(frame)))[list(COUNT_COLUMNS)].sum()
    table = table.reset_index(drop=not by)
    return table.assign(compliance_rate=compliance_rate(table))[[*keys, *COUNTS]]


@pytest.mark.parametrize("by", [None, "course", "unit", "staff_type"])
def test_trend_agrees_with_compute_status_each_month(by):
    force, events, rules, excused = random_force(3)
    days = trend.month_ends("2022-06-01", "2023-11-30")
    counts = trend.trend_counts(dict.fromkeys(days, force), events, rules, excused)
    assert list(counts.columns) == ["date", *trend.GROUPS, *COUNTS]
    assert counts["date"].nunique() == 18
    keys = [by] if by else []
    for day, got in counts.groupby("date"):
        status = compute_status(force, events, rules, day, excused)
        if by:
            status[by] = status[by].fillna(NO_UNIT if by == "unit" else "(none)")
            want = summarise(status, by, level=None).iloc[:-1]
        else:
            want = summarise(status, "course").iloc[-1:]
        got = _summed(got, by).sort_values(keys).reset_index(drop=True)
        want = want.sort_values(keys).reset_index(drop=True)[[*keys, *COUNTS]]
        pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_trend_uses_the_roster_in_force_on_each_date():
    force, events, rules, excused = random_force(1)
    smaller = force.iloc[:10]
    days = trend.month_ends("2022-10-01", "2023-02-28")
    rosters = {day: smaller if day < pd.Timestamp("2023-01-01") else force for day in days}
    counts = trend.trend_counts(rosters, events, rules, excused)
    for month_end, roster in [("2022-12-31", smaller), ("2023-01-31", force)]:
        status = compute_status(roster, events, rules, month_end, excused)
        row = counts[counts["date"] == pd.Timestamp(month_end)]
        assert row["in_scope"].sum() == len(status)
        assert row["overdue"].sum() == (status["status"] == "overdue").sum()


def test_no_dates_or_no_rules_give_empty_counts_with_columns():
    force, events, rules, excused = random_force(0)
    for counts in (trend.trend_counts({}, events, rules, None),
                   trend.trend_counts({pd.Timestamp("2024-01-31"): force}, events, None, None)):
        assert counts.empty
        assert list(counts.columns) == ["date", *trend.GROUPS, *COUNTS]


def test_projection_counts_follow_the_engine_on_each_step():
    force, events, rules, excused = random_force(2)
    as_of = pd.Timestamp("2023-03-15")
    counts = trend.projection_counts(take(force, events, rules, excused, as_of))
    days = sorted(counts["date"].unique())
    assert days == [as_of + pd.Timedelta(days=d) for d in range(0, 91, 15)]
    for day in days:
        status = compute_status(force, events, rules, day, excused)
        shown = counts[counts["date"] == day]
        assert shown["in_scope"].sum() == len(status)
        assert shown["overdue"].sum() == (status["status"] == "overdue").sum()


def test_rates_by_date_of_nobody_is_empty():
    rates = trend.rates_by_date(trend.empty_counts(), Filters(unit="North"))
    assert rates.empty and list(rates.columns) == ["date", "compliance_rate"]
    assert np.issubdtype(rates["date"].dtype, np.datetime64)


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(unit="Crime"), Filters(course="B", staff_type="staff"),
     Filters(unit="Response / North", course="A"), Filters(unit="Nowhere")],
    ids=["all", "unit", "course-and-staff", "sub-unit-and-course", "nobody"],
)
@pytest.mark.parametrize("units", [None, ("Crime",)], ids=["whole", "scoped"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_day_counts_give_the_headline_of_the_status_table(
    seed: int, units: tuple[str, ...] | None, filters: Filters
) -> None:
    force, events, rules, excused = random_force(seed)
    seen = take(force, events, rules, excused, pd.Timestamp("2023-03-15")).scoped(Scope(units))
    counted = lists.counted_headline(apply_filters(trend.day_counts(seen), filters))
    assert counted == lists.headline(apply_filters(seen.status, filters))
