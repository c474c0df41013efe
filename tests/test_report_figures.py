"""The board report's figures equal the summary and the trend for the same dates, on a
generated force with two roster snapshots and a withdrawn import."""

from __future__ import annotations

import pandas as pd
import pytest

from compliance import access, lists, report_figures, summary, trend
from compliance.scope import Filters, Scope
from tests.report_store import AS_OF, KNOWN_NAME, board_report, engine_status, report_store

TARGET_COLUMNS = ["target", "meets_target"]


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return report_store(tmp_path_factory.mktemp("figures"))


@pytest.mark.parametrize(
    ("as_of", "last_month", "last_year"),
    [
        ("2026-10-31", "2026-09-30", "2025-10-31"),
        ("2026-09-30", "2026-08-31", "2025-09-30"),
        ("2026-03-31", "2026-02-28", "2025-03-31"),
        ("2024-02-29", "2024-01-31", "2023-02-28"),
        ("2026-03-15", "2026-02-15", "2025-03-15"),
        ("2026-05-30", "2026-04-30", "2025-05-30"),
    ],
)
def test_comparison_dates(as_of: str, last_month: str, last_year: str) -> None:
    assert report_figures.comparison_dates(pd.Timestamp(as_of)) == (
        pd.Timestamp(last_month), pd.Timestamp(last_year)
    )


@pytest.mark.parametrize(
    ("stored", "percent"),
    [(None, 90), ("85", 85), (" 100 ", 100), ("50", 50), ("49", 90), ("101", 90),
     ("abc", 90), ("", 90), ("87.5", 90)],
)
def test_target_from_the_setting(stored: str | None, percent: int) -> None:
    assert report_figures.target_percent(stored) == percent


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [("2026-12-02", "2026-11-30", "2023-12-31"), ("2026-11-30", "2026-11-30", "2023-12-31"),
     ("2026-03-01", "2026-02-28", "2023-03-31")],
)
def test_month_end_choices(today: str, first: str, last: str) -> None:
    choices = report_figures.month_end_choices(pd.Timestamp(today))
    assert (len(choices), choices[0], choices[-1]) == (36, pd.Timestamp(first), pd.Timestamp(last))


@pytest.mark.parametrize("as_of", ["2026-10-31", "2025-11-30", "2026-03-15", "2025-01-31"])
def test_figures_equal_the_summary_of_the_engine(url: str, as_of: str) -> None:
    day = pd.Timestamp(as_of)
    figures = board_report(url, day).figures
    status = engine_status(url, day)
    for level in (1, 2):
        expected = summary.summary_by_unit(status, level)
        pd.testing.assert_frame_equal(figures.units[level].drop(columns=TARGET_COLUMNS), expected)
    pd.testing.assert_frame_equal(
        figures.courses.drop(columns=TARGET_COLUMNS), summary.summary_by_course(status)
    )
    dates = [day, *report_figures.comparison_dates(day)]
    for (_, row), when in zip(figures.headline.iterrows(), dates, strict=True):
        total = summary.summary_by_unit(engine_status(url, when), 1).iloc[-1]
        assert row["date"] == when
        assert row[list(summary.COUNT_COLUMNS)].tolist() == total[
            list(summary.COUNT_COLUMNS)].tolist()
        assert row["compliance_rate"] == pytest.approx(total["compliance_rate"], nan_ok=True)


def test_the_trend_is_the_dashboards_and_meets_the_summary_at_each_month_end(url: str) -> None:
    figures = board_report(url).figures
    store = access.open_store(url)
    counts = access.trend_frame(store, access.current(store), AS_OF - pd.DateOffset(months=24),
                                AS_OF, Scope())
    expected = trend.rates_by_date(counts, Filters()).reset_index(drop=True)
    pd.testing.assert_frame_equal(figures.trend.drop(columns="target"), expected)
    assert len(figures.trend) == 25 and figures.trend["date"].iloc[-1] == AS_OF
    by_date = figures.trend.set_index("date")["compliance_rate"]
    for _, row in figures.headline.iterrows():
        assert by_date[row["date"]] == pytest.approx(row["compliance_rate"])
    assert figures.trend["in_scope"].nunique() > 1, "two roster snapshots over the trend"


def test_changes_in_points_and_the_target(url: str) -> None:
    figures = board_report(url, target=0.55).figures
    rates = figures.headline.set_index("period")["compliance_rate"]
    assert figures.change("last month") == pytest.approx(rates["this month"] - rates["last month"])
    assert figures.change("last year") == pytest.approx(rates["this month"] - rates["last year"])
    units = figures.units[1].set_index("unit")
    assert (units["target"] == 0.55).all()
    meets = units["compliance_rate"] >= 0.55
    assert units["meets_target"].tolist() == meets.map({True: "yes", False: "no"}).tolist()


def test_overdue_pending_and_exemptions_add_up_to_the_headline(url: str) -> None:
    figures = board_report(url).figures
    now = figures.headline.iloc[0]
    status = engine_status(url, AS_OF)
    overdue = lists.overdue_table(status)
    assert figures.bands["band"].tolist() == [*lists.OVERDUE_BANDS, lists.NO_DUE_DATE]
    assert figures.bands["overdue"].sum() == now["overdue"] > 0
    over_180 = overdue[overdue["days_overdue"] > 180]
    assert figures.bands.set_index("band").loc["over 180 days", "people"] == over_180[
        "person_id"].nunique()
    for name, state in (("pending", "pending"), ("exemptions", "exempt")):
        table = getattr(figures, name).set_index("course")
        assert table.loc["ALL", "requirements"] == now[state] > 0
        assert table.drop("ALL")["requirements"].sum() == now[state]
    pending = status[status["status"] == "pending"]
    soon = ((pending["due_date"] - AS_OF).dt.days <= 30).sum()
    assert figures.pending.set_index("course").loc["ALL", "due_within_30_days"] == soon


def test_longest_overdue_units(url: str) -> None:
    longest = board_report(url).figures.longest
    overdue = lists.overdue_table(engine_status(url, AS_OF))
    units = summary.unit_at_level(overdue, 2)
    expected = overdue.assign(unit=units).groupby("unit")["days_overdue"].max()
    assert longest["longest_days"].tolist() == sorted(longest["longest_days"], reverse=True)
    assert dict(zip(longest["unit"], longest["longest_days"], strict=True)) == expected.to_dict()
    assert longest["overdue"].sum() == len(overdue)
    assert set(longest.columns) >= {"people", "median_days", "over_a_year"}


def test_no_names_unless_asked_then_the_overdue_people(url: str) -> None:
    report = board_report(url)
    assert report.names is None
    figures = report.figures
    tables = [figures.headline, figures.courses, figures.trend, figures.bands, figures.longest,
              figures.pending, figures.exemptions, *figures.units.values()]
    assert not any("name" in table.columns or "person_id" in table.columns for table in tables)
    named = board_report(url, names=True).names
    assert named is not None and KNOWN_NAME in set(named["name"])
    assert len(named) == figures.headline.iloc[0]["overdue"]
    assert list(named.columns) == list(report_figures.NAMES_COLUMNS)


def test_a_scoped_report_counts_only_its_units(url: str) -> None:
    scope = Scope(("South Division",))
    figures = board_report(url, scope=scope).figures
    status = engine_status(url, AS_OF)
    south = status[status["unit"].str.startswith("South Division")]
    pd.testing.assert_frame_equal(
        figures.units[2].drop(columns=TARGET_COLUMNS), summary.summary_by_unit(south, 2)
    )
    assert figures.trend["compliance_rate"].iloc[-1] == pytest.approx(
        summary.summary_by_unit(south, 1).iloc[-1]["compliance_rate"]
    )
