import numpy as np
import pandas as pd
import pytest

from compliance.engine import STATUSES
from compliance.summary import (
    compliance_rate,
    due_soon,
    overdue_list,
    summarise,
    summary_by_course,
    summary_by_unit,
    unit_at_level,
)


def status(rows: list[tuple]) -> pd.DataFrame:
    """(person_id, unit, course, status, due_date, days_overdue) rows, engine dtypes."""
    frame = pd.DataFrame(
        rows, columns=["person_id", "unit", "course", "status", "due_date", "days_overdue"]
    )
    frame.insert(1, "name", "Name " + frame["person_id"])
    frame["status"] = pd.Categorical(frame["status"], categories=list(STATUSES))
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    frame["days_overdue"] = frame["days_overdue"].astype("Int64")
    frame["email"] = frame["person_id"] + "@force.police.uk"
    frame["role"] = "Constable"
    frame["manager"] = "Insp Grey"
    return frame


TABLE = status(
    [
        ("1", "Crime / CID / Team 1", "MI", "compliant", None, None),
        ("1", "Crime / CID / Team 1", "SEC", "expiring", "2025-07-10", None),
        ("2", "Crime / Intel", "MI", "overdue", "2025-06-01", 29),
        ("2", "Crime / Intel", "SEC", "exempt", None, None),
        ("3", "Response", "MI", "pending", "2025-07-05", None),
        ("3", "Response", "SEC", "overdue", None, None),
        ("4", "Response / North", "MI", "overdue", "2025-06-20", 10),
        ("5", None, "MI", "exempt", None, None),
        ("6", "Crime Command", "MI", "overdue", "2025-06-01", 29),
    ]
)


@pytest.mark.parametrize(
    ("level", "units"),
    [
        (1, ["Crime", "Crime", "Crime", "Crime", "Response", "Response", "Response", "(no unit)",
             "Crime Command"]),
        (2, ["Crime / CID", "Crime / CID", "Crime / Intel", "Crime / Intel", "Response",
             "Response", "Response / North", "(no unit)", "Crime Command"]),
        (None, ["Crime / CID / Team 1", "Crime / CID / Team 1", "Crime / Intel", "Crime / Intel",
                "Response", "Response", "Response / North", "(no unit)", "Crime Command"]),
    ],  # fmt: skip
)
def test_unit_at_level(level, units):
    assert unit_at_level(TABLE, level).tolist() == units


def test_summary_by_unit_counts_rates_and_all_row():
    table = summary_by_unit(TABLE, level=1)
    assert list(table.columns) == [
        "unit", "in_scope", "compliant", "expiring", "pending", "overdue", "exempt",
        "compliance_rate",
    ]  # fmt: skip
    rows = {r.unit: r for r in table.itertuples()}
    assert list(rows) == ["(no unit)", "Crime", "Crime Command", "Response", "ALL"]
    crime = rows["Crime"]
    assert (crime.in_scope, crime.compliant, crime.expiring, crime.overdue, crime.exempt) == (
        4, 1, 1, 1, 1,
    )  # fmt: skip
    assert crime.compliance_rate == pytest.approx(2 / 3)  # exempt left out of the divisor
    assert np.isnan(rows["(no unit)"].compliance_rate)  # only exempt: nothing to count
    assert rows["Response"].compliance_rate == 0
    total = rows["ALL"]
    assert (total.in_scope, total.exempt, total.overdue) == (9, 2, 4)
    assert total.compliance_rate == pytest.approx(2 / 7)


def test_summary_by_course_and_by_two_keys():
    by_course = summary_by_course(TABLE)
    assert by_course["course"].tolist() == ["MI", "SEC", "ALL"]
    assert by_course["in_scope"].tolist() == [6, 3, 9]
    both = summarise(TABLE, ["unit", "course"], level=1)
    assert both.iloc[-1][["unit", "course"]].tolist() == ["ALL", "ALL"]
    crime_mi = both[(both["unit"] == "Crime") & (both["course"] == "MI")].iloc[0]
    assert (crime_mi["in_scope"], crime_mi["compliant"], crime_mi["overdue"]) == (2, 1, 1)
    assert len(both) == 7  # the six observed combinations only, plus ALL


def test_summary_of_an_empty_status_table():
    table = summary_by_unit(TABLE.iloc[:0])
    assert table["unit"].tolist() == ["ALL"]
    assert table["in_scope"].tolist() == [0]
    assert np.isnan(table["compliance_rate"].iloc[0])


def test_summary_accepts_plain_text_statuses():
    plain = TABLE.assign(status=TABLE["status"].astype(str))
    pd.testing.assert_frame_equal(summary_by_unit(plain), summary_by_unit(TABLE))


@pytest.mark.parametrize(
    ("counts", "rate"),
    [
        ({"in_scope": 10, "compliant": 5, "expiring": 1, "exempt": 2}, 6 / 8),
        ({"in_scope": 3, "compliant": 0, "expiring": 0, "exempt": 3}, np.nan),
        ({"in_scope": 0, "compliant": 0, "expiring": 0, "exempt": 0}, np.nan),
        ({"in_scope": 4, "compliant": 4, "expiring": 0, "exempt": 0}, 1.0),
    ],
)
def test_compliance_rate(counts, rate):
    got = compliance_rate(pd.DataFrame([counts])).iloc[0]
    assert (np.isnan(got) and np.isnan(rate)) or got == pytest.approx(rate)


def test_overdue_list_most_overdue_first():
    out = overdue_list(TABLE)
    assert list(zip(out["person_id"], out["course"], strict=True)) == [
        ("3", "SEC"),  # no due date at all: never done, no start date or deadline
        ("2", "MI"),
        ("6", "MI"),  # tie on 29 days: by person_id
        ("4", "MI"),
    ]
    assert {"role", "email", "manager"} <= set(out.columns)
    assert out.index.tolist() == [0, 1, 2, 3]


def test_due_soon_soonest_first():
    out = due_soon(TABLE)
    assert out["person_id"].tolist() == ["3", "1"]
    assert out["status"].astype(str).tolist() == ["pending", "expiring"]
