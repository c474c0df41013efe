"""Where the figures come from: the newest import of each kind and staleness."""

from __future__ import annotations

import pandas as pd

from compliance import sources
from tests.force import FakeStore


def test_latest_imports_and_staleness() -> None:
    latest = sources.latest_imports(FakeStore().imports())
    assert latest.set_index("kind").loc["completions", "file"] == "lms.csv"
    assert sources.stale_completions(latest, pd.Timestamp("2024-06-20"), 14) is None
    assert sources.stale_completions(latest, pd.Timestamp("2024-07-01"), 14) == 21
    assert sources.missing_kinds(FakeStore().imports()) == []
    assert sources.missing_kinds(FakeStore().imports().iloc[0:1]) == ["completions", "requirements"]
