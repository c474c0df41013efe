"""Where the figures come from: the newest import of each kind and staleness."""

from __future__ import annotations

import pandas as pd
import pytest

from compliance import sources
from tests.force import FakeStore


def test_latest_imports_and_staleness() -> None:
    latest = sources.latest_imports(FakeStore().imports())
    assert latest.set_index("kind").loc["completions", "file"] == "lms.csv"
    assert sources.stale_completions(latest, pd.Timestamp("2024-06-20"), 14) is None
    assert sources.stale_completions(latest, pd.Timestamp("2024-07-01"), 14) == 21
    assert sources.missing_kinds(FakeStore().imports()) == []
    assert sources.missing_kinds(FakeStore().imports().iloc[0:1]) == ["completions", "requirements"]


SNAPSHOTS = pd.DataFrame(
    {
        "id": [1, 2, 3, 4, 5],
        "kind": ["roster", "roster", "roster", "completions", "roster"],
        "effective_on": pd.to_datetime(
            ["2024-01-01", "2024-06-01", "2024-06-01", None, "2024-09-01"]
        ),
        "state": ["active", "active", "active", "active", "withdrawn"],
    }
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2023-05-01", 1),
        ("2024-01-01", 1),
        ("2024-05-31", 1),
        ("2024-06-01", 3),
        ("2024-12-31", 3),
    ],
)
def test_roster_in_force(day: str, expected: int) -> None:
    """The latest active snapshot on or before the day (the later import of one date),
    else the earliest; withdrawn snapshots and other kinds never."""
    chosen = sources.roster_in_force(SNAPSHOTS, [pd.Timestamp(day)])
    assert chosen["id"].tolist() == [expected]


def test_roster_in_force_for_many_days_and_none() -> None:
    days = [pd.Timestamp("2024-07-01"), pd.Timestamp("2023-01-01")]
    assert sources.roster_in_force(SNAPSHOTS, days)["id"].tolist() == [3, 1]
    assert sources.roster_in_force(SNAPSHOTS.iloc[3:], days).empty
