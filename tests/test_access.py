"""Reads through the access layer: snapshots, their scope, trend and projection counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compliance import access, engine, lists, summary, trend
from compliance.scope import Filters, Scope, apply_filters
from tests.conftest import REQUIREMENTS_YAML, completion_frame, loaded
from tests.conftest import roster_frame as conftest_roster
from tests.force import AS_OF, FakeStore, engine_status

EVERYTHING = Scope()


def _seen(store, scope: Scope = EVERYTHING, as_of: pd.Timestamp = AS_OF):
    """The snapshot a page would read: the whole force on ``as_of``, seen in ``scope``."""
    return access.take_snapshot(store, access.current(store), as_of).scoped(scope)


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        (None, ["1", "2", "3", "4", "5", "6"]),
        (("North",), ["1", "2", "3"]),
        (("north / response",), ["1", "2"]),
        (("Nor",), []),
        (("North / CID", "South / Custody"), ["3", "5", "6"]),
    ],
)
def test_scope_limits_every_frame(units, expected) -> None:
    seen = _seen(FakeStore(), Scope(units))
    assert seen.roster["person_id"].tolist() == expected
    assert sorted(seen.status["person_id"].unique()) == expected
    assert set(seen.completions["person_id"]) <= set(expected)


def test_status_frame_is_the_engines() -> None:
    got = _seen(FakeStore()).status
    pd.testing.assert_frame_equal(got.reset_index(drop=True), engine_status())


def test_status_frame_without_rules_is_empty() -> None:
    status = _seen(FakeStore(rules=None)).status
    assert status.empty
    assert "status" in status.columns


def test_trend_counts_equal_the_engine_at_each_month_end() -> None:
    store = FakeStore()
    counts = access.trend_frame(
        store, access.current(store), pd.Timestamp("2024-01-01"), AS_OF, Scope()
    )
    assert sorted(counts["date"].unique()) == list(pd.date_range("2024-01-31", AS_OF, freq="ME"))
    for day in (pd.Timestamp("2024-02-29"), AS_OF):
        expected = summary.summarise(engine_status(day), ["unit", "course"], None)
        expected = expected[expected["unit"] != "ALL"].set_index(["unit", "course"])
        got = counts[counts["date"] == day].groupby(["unit", "course"])[["in_scope", "overdue"]]
        pd.testing.assert_frame_equal(
            got.sum(), expected[["in_scope", "overdue"]], check_dtype=False, check_index_type=False
        )


def test_projection_starts_at_as_of_and_only_falls() -> None:
    counts = access.projection_frame(_seen(FakeStore()))
    rates = trend.rates_by_date(counts, Filters())
    assert rates["date"].iloc[0] == AS_OF
    assert len(rates) == trend.PROJECTION_DAYS // trend.PROJECTION_STEP_DAYS + 1
    assert rates["compliance_rate"].iloc[0] == lists.headline(engine_status())["compliance_rate"]
    assert np.all(np.diff(rates["compliance_rate"].to_numpy()) <= 1e-12)


def test_completion_history_has_people_and_sources() -> None:
    history = access.completion_history(_seen(FakeStore(), Scope(("South",))))
    assert set(history["person_id"]) == {"4", "5"}
    assert {"name", "unit", "source_file", "source_row"} <= set(history.columns)


def test_one_person_takes_their_rows() -> None:
    row, status = access.one_person(_seen(FakeStore()), "1")
    assert row["name"].tolist() == ["Ann"]
    assert set(status["person_id"]) == {"1"} and len(status) == 2
    nobody, nothing = access.one_person(_seen(FakeStore()), "404")
    assert nobody.empty and nothing.empty


def test_trend_uses_the_roster_snapshot_in_force_each_month(store) -> None:
    """Against the real store: each month is counted on its own snapshot, read once."""
    store.import_file("requirements", REQUIREMENTS_YAML, "rules.yaml", user="u")
    for ids, as_at, file in ((["1", "2"], "2024-01-01", "jan.csv"),
                             (["1", "2", "3", "4"], "2024-06-01", "june.csv")):
        frame = conftest_roster(ids, start="2023-01-01")
        store.import_frame("roster", loaded(frame, file, "roster"), user="u",
                           as_at=pd.Timestamp(as_at).date())
    completions = completion_frame([("1", "Managing Information", "2023-03-01"),
                                    ("3", "Information Security Awareness", "2024-07-15")])
    store.import_frame("completions", loaded(completions, "lms.csv", "completions"), user="u")
    counts = access.trend_frame(store, access.current(store), pd.Timestamp("2024-01-01"),
                                pd.Timestamp("2024-12-31"), Scope())
    for day in pd.date_range("2024-01-31", "2024-12-31", freq="ME"):
        status = engine.compute_status(
            store.roster(day), completions, store.rules(), day, store.exemptions()
        )
        expected = status["status"].astype(str).value_counts()
        got = counts[counts["date"] == day][list(engine.STATUSES)].sum()
        assert got[got > 0].sort_index().to_dict() == expected.sort_index().to_dict(), day
    assert counts.loc[counts["date"] == pd.Timestamp("2024-05-31"), "in_scope"].sum() == 4
    assert counts.loc[counts["date"] == pd.Timestamp("2024-06-30"), "in_scope"].sum() == 8


def test_rates_by_date_filters_then_aggregates() -> None:
    store = FakeStore()
    counts = access.trend_frame(
        store, access.current(store), pd.Timestamp("2024-06-01"), AS_OF, Scope()
    )
    south = trend.rates_by_date(counts, Filters(unit="South", course="Managing Information"))
    status = apply_filters(engine_status(), Filters(unit="South",
                                                            course="Managing Information"))
    assert south["compliance_rate"].tolist() == [lists.headline(status)["compliance_rate"]]
    assert trend.rates_by_date(counts, Filters(unit="Nowhere")).empty


class _HeldRows:
    """A store that only answers which rows each import holds."""

    def __init__(self, held: dict[int, pd.DataFrame]) -> None:
        self.held, self.read = held, []

    def import_rows(self, import_id: int) -> pd.DataFrame:
        self.read.append(import_id)
        return self.held[import_id]


def _rows(file: str, rows: list[tuple[str, str]]) -> pd.DataFrame:
    return completion_frame([(pid, "Managing Information", day) for pid, day in rows]).assign(
        source_file=file
    )


def test_completion_imports_name_the_earliest_active_import_holding_each_row() -> None:
    history = pd.DataFrame({
        "id": [5, 6, 7, 8], "kind": "completions",
        "file": ["once.csv", "monthly.csv", "monthly.csv", "monthly.csv"],
        "state": ["active", "withdrawn", "active", "active"],
    })  # fmt: skip
    held = {
        6: _rows("monthly.csv", [("1", "2023-01-01"), ("2", "2023-02-01")]),
        7: _rows("monthly.csv", [("3", "2023-03-01"), ("2", "2023-02-01")]),
        8: _rows("monthly.csv", [("4", "2023-04-01"), ("2", "2023-02-01")]),
    }
    cited = pd.concat([_rows("once.csv", [("9", "2022-01-01")]), held[8]], ignore_index=True)
    store = _HeldRows(held)
    found = access.completion_imports(store, cited, history)
    # row 3 of import 8 ("2", 1 Feb) is also row 3 of import 7: the earlier import keeps it;
    # the withdrawn import 6 is never read or named
    assert found.tolist() == [5, 8, 7]
    assert store.read == [7, 8]
