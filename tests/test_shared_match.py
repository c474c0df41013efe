"""The match of a roster is made once per data version and shared by every date, the trend
and the projection; what it holds is charged to the byte-bounded cache."""

from __future__ import annotations

import dataclasses

import cachetools
import pandas as pd
import pytest

from compliance import access, engine, matching, sizes, snapshot, trend
from compliance.scope import Scope
from pages import _cache
from tests.force import AS_OF, RULES, FakeStore, completions, engine_status, roster
from tests.pages import app, demo_url


class _Counted:
    """Counts calls of the functions that match completions (to people, to requirements)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = {"people": 0, "requirements": 0}
        match, index = matching.match_completions, engine.index_completions

        def people(*args, **kwargs):
            self.calls["people"] += 1
            return match(*args, **kwargs)

        def requirements(*args, **kwargs):
            self.calls["requirements"] += 1
            return index(*args, **kwargs)

        monkeypatch.setattr(matching, "match_completions", people)
        monkeypatch.setattr(snapshot, "match_completions", people)
        monkeypatch.setattr(engine, "index_completions", requirements)


def _shared() -> snapshot.Matched:
    store = FakeStore()
    return snapshot.match(roster(), completions(), RULES, store.exemptions())


def test_every_date_of_one_match_is_the_engines_status_of_that_date() -> None:
    shared = _shared()
    for day in (AS_OF, AS_OF - pd.Timedelta(days=30), pd.Timestamp("2023-01-31"), AS_OF):
        seen = snapshot.at(shared, day)
        assert seen.match is shared.match and seen.shared is shared
        pd.testing.assert_frame_equal(seen.status, engine_status(day))


def test_the_projection_of_a_shared_snapshot_is_the_one_of_its_own_match() -> None:
    store = FakeStore()
    own = snapshot.take(roster(), completions(), RULES, store.exemptions(), AS_OF)
    scoped_away = dataclasses.replace(own, shared=None)
    shared = snapshot.at(_shared(), AS_OF)
    pd.testing.assert_frame_equal(
        trend.projection_counts(shared), trend.projection_counts(scoped_away)
    )


class _OneRoster(FakeStore):
    """The fake store with one roster import in force on every day."""

    def roster_snapshots(self) -> pd.DataFrame:
        return pd.DataFrame({"id": [1], "effective_on": pd.to_datetime(["2020-01-01"]),
                             "file": ["hr.xlsx"], "rows": [6], "state": ["active"]})  # fmt: skip

    def import_rows(self, import_id: int) -> pd.DataFrame:
        return roster()


def test_the_trend_under_one_roster_reads_its_shared_match_and_counts_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = _OneRoster()
    tables = access.current(store)
    start, end = pd.Timestamp("2023-01-01"), AS_OF
    alone = access.trend_frame(store, tables, start, end, Scope())
    counted = _Counted(monkeypatch)
    asked: list[int | None] = []
    shared = access.matched(store, tables, 1)

    def given(roster_import: int | None) -> snapshot.Matched:
        asked.append(roster_import)
        return shared

    counts = access.trend_frame(store, tables, start, end, Scope(), shared=given)
    pd.testing.assert_frame_equal(counts, alone)
    assert asked == [1]
    assert counted.calls == {"people": 1, "requirements": 1}, "matched once, in access.matched"
    scoped = access.trend_frame(store, tables, start, end, Scope(("South",)), shared=given)
    assert asked == [1], "a scoped trend matches its own people"
    pd.testing.assert_frame_equal(
        scoped, access.trend_frame(store, tables, start, end, Scope(("South",)))
    )


def test_the_overview_matches_the_completions_once_for_both_dates_trend_and_projection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    big = cachetools.LRUCache(maxsize=1024 * sizes.MB, getsizeof=sizes.nbytes)
    monkeypatch.setattr(_cache, "_CACHES", [big])
    counted = _Counted(monkeypatch)
    at = app(monkeypatch, demo_url())
    assert not at.exception
    assert counted.calls == {"people": 1, "requirements": 1}
    shared = [v for k, v in big.items() if "_matched" in k]
    assert len(shared) == 1
    assert big.getsizeof(shared[0]) == sizes.nbytes(shared[0])


def test_a_shared_match_is_charged_for_its_engine_model() -> None:
    shared = _shared()
    frames = sizes.nbytes((shared.roster, shared.completions, shared.all_completions,
                           shared.exemptions, shared.match))  # fmt: skip
    model = shared.model
    assert model is not None
    pairs = len(model.roster) * model.n_req
    assert sizes.nbytes(shared) >= frames + pairs * (8 + 8 + 1)
    model.evaluate(AS_OF)
    assert abs(sizes.nbytes(shared) - sizes.nbytes(_shared())) < 2_000, (
        "the latest-completion table is charged before the first evaluation"
    )
