"""The board report's figures for one date, from the snapshots and trend the dashboard uses.

Nothing is counted here in a new way: unit and course tables are
:func:`compliance.summary.summarise` (the ``summary`` command's function), the headline is
that table's ``ALL`` row, overdue bands are the Overdue page's (:mod:`compliance.lists`),
and the trend is :func:`compliance.trend.rates_by_date` over ``access.trend_frame``. The
tables hold counts only; the names appendix (:func:`names_appendix`) is asked for apart.

>>> comparison_dates(pd.Timestamp("2026-09-30"))
(Timestamp('2026-08-31 00:00:00'), Timestamp('2025-09-30 00:00:00'))
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from compliance import lists, summary, trend
from compliance.scope import Filters
from compliance.snapshot import Snapshot

TARGET_SETTING = "report_target_percent"
"""The store setting holding the board's target compliance rate, in whole percent."""
DEFAULT_TARGET_PERCENT = 90
TARGET_RANGE = (50, 100)
TREND_MONTHS = 24
UNIT_LEVELS: tuple[int, ...] = (1, 2)
LONGEST_UNITS = 10
LONGEST_LEVEL = 2
OVER_A_YEAR_DAYS = 365
PENDING_SOON_DAYS = 30
NAMES_COLUMNS: tuple[str, ...] = (
    "person_id", "name", "unit", "course", "days_overdue", "band", "due_date",
    "last_completed", "manager",
)
PERIODS: tuple[str, ...] = ("this month", "last month", "last year")


@dataclass(frozen=True)
class Figures:
    """Every table of the report for ``as_of`` (counts and rates, no person named)."""

    as_of: pd.Timestamp
    target: float
    headline: pd.DataFrame
    """One row per period (this month, last month, last year): ``date`` and the ALL row of
    the unit summary on that date."""
    units: dict[int, pd.DataFrame]
    """Unit level -> the unit summary at that level (``ALL`` last) with the target."""
    courses: pd.DataFrame
    trend: pd.DataFrame
    """Month-end ``date``, status counts, ``compliance_rate`` and ``target``, oldest first."""
    bands: pd.DataFrame
    longest: pd.DataFrame
    pending: pd.DataFrame
    exemptions: pd.DataFrame

    def rate(self, period: str) -> float | None:
        value = self.headline.set_index("period").loc[period, "compliance_rate"]
        return None if pd.isna(value) else float(value)

    def change(self, period: str) -> float | None:
        """This month's rate less ``period``'s, as a fraction (None when either is unknown)."""
        return lists.change(self.rate("this month"), self.rate(period))


def target_percent(stored: str | None) -> int:
    """The target from the store's setting: a whole percent in range, else the default."""
    text = (stored or "").strip()
    if not text.isdigit():
        return DEFAULT_TARGET_PERCENT
    low, high = TARGET_RANGE
    return int(text) if low <= int(text) <= high else DEFAULT_TARGET_PERCENT


def comparison_dates(as_of: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A month and a year before ``as_of``; a month end compares with month ends."""
    as_of = pd.Timestamp(as_of).normalize()
    month_end = as_of.is_month_end
    dates = []
    for months in (1, 12):
        day = as_of - pd.DateOffset(months=months)
        dates.append(day + pd.offsets.MonthEnd(0) if month_end else day)
    return dates[0], dates[1]


def trend_start(as_of: pd.Timestamp) -> pd.Timestamp:
    """The first day of the trend (the dashboard's 24 months back)."""
    return pd.Timestamp(as_of).normalize() - pd.DateOffset(months=TREND_MONTHS)


def month_end_choices(today: pd.Timestamp, months: int = 36) -> list[pd.Timestamp]:
    """The last ``months`` month ends on or before ``today``, newest first."""
    last = pd.Timestamp(today).normalize() - pd.offsets.MonthEnd(0 if today.is_month_end else 1)
    return list(pd.date_range(end=last, periods=months, freq="ME"))[::-1]


def figures(
    now: Snapshot, last_month: Snapshot, last_year: Snapshot, counts: pd.DataFrame,
    target: float,
) -> Figures:
    """The report's tables from the three dates' snapshots and the trend's counts."""
    status = now.status
    overdue = lists.overdue_table(status)
    return Figures(
        as_of=now.as_of,
        target=target,
        headline=_headline([now, last_month, last_year]),
        units={level: _with_target(summary.summary_by_unit(status, level), target)
               for level in UNIT_LEVELS},
        courses=_with_target(summary.summary_by_course(status), target),
        trend=trend.rates_by_date(counts, Filters()).reset_index(drop=True).assign(target=target),
        bands=_bands(overdue),
        longest=_longest(overdue),
        pending=_by_course(status, "pending", now.as_of),
        exemptions=_by_course(status, "exempt", now.as_of),
    )


def names_appendix(now: Snapshot) -> pd.DataFrame:
    """The overdue people, most days overdue first: personal data, only when asked for."""
    return lists.overdue_table(now.status)[list(NAMES_COLUMNS)].reset_index(drop=True)


def _headline(snapshots: list[Snapshot]) -> pd.DataFrame:
    rows = []
    for period, seen in zip(PERIODS, snapshots, strict=True):
        total = summary.summary_by_unit(seen.status, 1).iloc[-1]
        rows.append({"period": period, "date": seen.as_of, **total.drop("unit").to_dict()})
    frame = pd.DataFrame(rows)
    frame[list(summary.COUNT_COLUMNS)] = frame[list(summary.COUNT_COLUMNS)].astype("int64")
    return frame.astype({"compliance_rate": float})


def _with_target(table: pd.DataFrame, target: float) -> pd.DataFrame:
    """The summary with the target and whether each row meets it (blank when unrated)."""
    rate = table["compliance_rate"]
    meets = pd.Series(pd.NA, index=table.index, dtype="object")
    meets[rate.notna()] = (rate[rate.notna()] >= target).map({True: "yes", False: "no"})
    return table.assign(target=target, meets_target=meets)


def _bands(overdue: pd.DataFrame) -> pd.DataFrame:
    """Overdue requirements and people per band of days overdue (every band shown)."""
    counts = lists.band_counts(overdue)
    people = overdue.groupby("band", observed=True)["person_id"].nunique()
    return pd.DataFrame(
        {
            "band": counts.index.astype(str),
            "overdue": counts.to_numpy(dtype="int64"),
            "people": people.reindex(counts.index, fill_value=0).to_numpy(dtype="int64"),
        }
    )


def _longest(overdue: pd.DataFrame) -> pd.DataFrame:
    """The units (level 2) whose overdue requirements have been overdue longest."""
    columns = ["unit", "overdue", "people", "longest_days", "median_days", "over_a_year"]
    if overdue.empty:
        return pd.DataFrame({c: pd.Series(dtype="object" if c == "unit" else "int64")
                             for c in columns})
    days = pd.to_numeric(overdue["days_overdue"], errors="coerce")
    frame = pd.DataFrame(
        {
            "unit": summary.unit_at_level(overdue, LONGEST_LEVEL).to_numpy(),
            "person_id": overdue["person_id"].to_numpy(),
            "days": days.to_numpy(dtype=float),
            "over_a_year": (days > OVER_A_YEAR_DAYS).to_numpy(),
        }
    )
    grouped = frame.groupby("unit", sort=False).agg(
        overdue=("person_id", "size"),
        people=("person_id", "nunique"),
        longest_days=("days", "max"),
        median_days=("days", "median"),
        over_a_year=("over_a_year", "sum"),
    )
    grouped = grouped.sort_values(["longest_days", "overdue"], ascending=False, kind="stable")
    return grouped.head(LONGEST_UNITS).rename_axis("unit").reset_index()[columns]


def _by_course(status: pd.DataFrame, state: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """Requirements and people in ``state`` per course (pending: also those due within 30
    days), with a total row."""
    rows = status[status["status"].astype("string").eq(state).fillna(False).to_numpy()]
    course = rows["course"].astype(object)
    table = pd.DataFrame(
        {
            "requirements": rows.groupby(course).size(),
            "people": rows.groupby(course)["person_id"].nunique(),
        }
    )
    total = {"requirements": len(rows), "people": rows["person_id"].nunique()}
    if state == "pending":
        soon = (rows["due_date"] - as_of).dt.days <= PENDING_SOON_DAYS
        table["due_within_30_days"] = soon.groupby(course).sum()
        total["due_within_30_days"] = int(soon.sum())
    table = table.rename_axis("course").reset_index()
    table = pd.concat([table, pd.DataFrame([{"course": summary.TOTAL, **total}])],
                      ignore_index=True)
    return table.astype({c: "int64" for c in table.columns if c != "course"})
