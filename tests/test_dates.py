import datetime as dt

import pandas as pd
import pytest

from loaders.dates import parse_dates, read_date_column
from loaders.report import LoadReport

AUG26 = pd.Timestamp("2024-08-26")
MAR5 = pd.Timestamp("2024-03-05")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2024, 8, 26, 14, 32), AUG26),
        (dt.date(2024, 8, 26), AUG26),
        (pd.Timestamp("2024-08-26 23:59", tz="Europe/London"), AUG26),
        (45530, AUG26),
        (45530.75, AUG26),
        ("45530", AUG26),
        ("2024-08-26", AUG26),
        ("2024-08-26T14:32:00Z", AUG26),
        ("2024-08-26 14:32:00", AUG26),
        ("20240826", AUG26),
        ("26/08/2024", AUG26),
        ("26/08/2024 14:32", AUG26),
        ("5/03/24, 14:07", MAR5),
        ("26-Aug-2024", AUG26),
        ("26 August 2024", AUG26),
        ("5 Mar 2024 at 14:07", MAR5),
        ("26.08.24", AUG26),
        ("Monday, 26 August 2024, 2:07 PM", AUG26),
        ("26th Aug 2024", AUG26),
        ("August 26, 2024", AUG26),
        ("  26/08/2024  ", AUG26),
        ("05/03/2024", MAR5),
    ],
)
def test_every_accepted_form(value, expected):
    parsed = parse_dates(pd.Series([value], dtype=object))
    assert parsed.dates.iloc[0] == expected
    assert not parsed.bad.iloc[0]


@pytest.mark.parametrize(
    "value", ["garbage", "31/02/2024", "13/13/2024", 5, 250000, "26 Smarch 2024", "yes"]
)
def test_unparseable_values_are_bad(value):
    parsed = parse_dates(pd.Series([value], dtype=object))
    assert pd.isna(parsed.dates.iloc[0])
    assert parsed.bad.iloc[0]


@pytest.mark.parametrize("value", [None, "", "  ", "N/A", "-", float("nan")])
def test_empty_values_are_neither_dates_nor_bad(value):
    parsed = parse_dates(pd.Series([value], dtype=object))
    assert pd.isna(parsed.dates.iloc[0])
    assert not parsed.bad.iloc[0]


def test_result_is_midnight_datetime64ns_on_the_same_index():
    values = pd.Series(["26/08/2024 14:32", dt.datetime(2024, 3, 5, 9, 1)], index=[7, 9])
    parsed = parse_dates(values)
    assert parsed.dates.dtype == "datetime64[ns]"
    assert list(parsed.dates.index) == [7, 9]
    assert (parsed.dates == parsed.dates.dt.normalize()).all()


def test_column_where_day_first_is_impossible_is_read_month_first():
    parsed = parse_dates(pd.Series(["08/26/2024", "03/05/2024", "03/05/2024"]))
    assert parsed.month_first
    assert parsed.month_first_example == "08/26/2024"
    assert parsed.dates.tolist() == [AUG26, pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-05")]


def test_mixed_column_stays_day_first_and_flags_the_impossible_value():
    parsed = parse_dates(pd.Series(["08/26/2024", "13/02/2024"]))
    assert not parsed.month_first
    assert parsed.bad.tolist() == [True, False]


@pytest.mark.parametrize(("month_first", "expected"), [(None, MAR5), (False, MAR5), (True, None)])
def test_ambiguous_dates_follow_the_callers_order(month_first, expected):
    parsed = parse_dates(pd.Series(["05/03/2024"]), month_first=month_first)
    assert parsed.dates.iloc[0] == (expected or pd.Timestamp("2024-05-03"))


def test_serials_outside_a_sensible_range_are_bad():
    parsed = parse_dates(pd.Series([100, 18264, 73050, 80000], dtype=object))
    assert parsed.bad.tolist() == [True, False, False, True]


def test_repeated_values_map_back_to_every_row():
    values = pd.Series(["26/08/2024", None, "26/08/2024", "x", "x"] * 1000)
    parsed = parse_dates(values)
    assert int(parsed.dates.notna().sum()) == 2000
    assert int(parsed.bad.sum()) == 2000


def test_read_date_column_reports_month_first_with_the_column():
    report = LoadReport(file="f.csv", kind="roster")
    read_date_column(pd.Series(["08/26/2024"]), "Start Date", report, month_first=None)
    assert report.date_order == "month-first"
    assert any("Start Date" in note and "08/26/2024" in note for note in report.notes)


def test_read_date_column_day_first_leaves_the_report_alone():
    report = LoadReport(file="f.csv", kind="roster")
    read_date_column(pd.Series(["26/08/2024"]), "Start Date", report, month_first=None)
    assert report.date_order == "day-first"
    assert report.notes == []


DATE_TEXTS = [
    "26/08/2024", "26/08/2024 14:32", "26/08/2024 14:32:05", "26/08/2024T14:32", "5/03/24, 14:07",
    "26.08.24", "26-Aug-2024", "26 August 2024", "5 Mar 2024 at 14:07",
    "Monday, 26 August 2024, 2:07 PM", "2024-08-26", "2024-08-26 14:32:00", "2024-08-26T14:32:00Z",
    "20240826", "45530", " 26/08/2024 ", "N/A", "-", "31/02/2024", "not a date", "26/08/2024 25:99",
    "12\u00a0Mar\u00a02024", "08/26/2024 09:00", None,
]


@pytest.mark.parametrize("month_first", [None, False, True])
@pytest.mark.parametrize("texts", [DATE_TEXTS, [t for t in DATE_TEXTS if t != "08/26/2024 09:00"]],
                         ids=["with-month-first-value", "day-first"])
def test_arrow_text_dates_parse_exactly_as_before(texts: list, month_first: bool | None) -> None:
    """An Arrow-backed column (times cut in Arrow, distinct days parsed) gives what the
    object path gives, value by value, with the same date order and example."""
    _assert_arrow_parses_as_objects(texts, month_first)


ONE_WIDTH_TEXTS = [
    "26/08/2024 14:32", "08/26/2024 09:00", "26/08/2024 25:99", "31/02/2024 10:00",
    "ab/cd/efgh 07:00", "26/08/2024 14:32 x", "26/08/2024  4:32", "2024-08-26 14:32:00",
    "26-08-2024 7:05", "26.08.2024 14:32:05.5", "Monday,26x Aug", "26/08/2024 at 14:07",
    "26/08/2024 2:07 PM", "26/08/24xx 14:32", "2024/08/26 14:32", "26/08/2024 14:32:5",
    "26/08/2024 14:32:05.", None,
]
"""Texts whose first space is the eleventh character: the column is cut at that space."""


@pytest.mark.parametrize("month_first", [None, False, True])
@pytest.mark.parametrize(
    "texts",
    [ONE_WIDTH_TEXTS, [t for t in ONE_WIDTH_TEXTS if t != "08/26/2024 09:00"],
     [*ONE_WIDTH_TEXTS, "26/08/2024\u00a014:32"],
     ["26/08/2024 14:32", "08/26/2024 09:00", "31/02/2024 10:00", "2024-08-26 14:32:00", None]],
    ids=["with-month-first-value", "day-first", "not-ascii", "every-one-plain"],
)
def test_a_column_of_one_width_parses_exactly_as_before(texts: list, month_first: bool | None):
    _assert_arrow_parses_as_objects(texts, month_first)


def _assert_arrow_parses_as_objects(texts: list, month_first: bool | None) -> None:
    """The Arrow-backed column of ``texts`` (three times over) parses exactly as the object
    column: every value, the bad rows, the date order and its example."""
    repeated = texts * 3
    before = parse_dates(pd.Series(repeated, dtype=object), month_first=month_first)
    after = parse_dates(pd.Series(repeated, dtype="string[pyarrow]"), month_first=month_first)
    pd.testing.assert_series_equal(after.dates, before.dates)
    pd.testing.assert_series_equal(after.bad, before.bad)
    assert (after.month_first, after.month_first_example) == (
        before.month_first, before.month_first_example
    )
