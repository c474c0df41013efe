"""The one status computation: a snapshot matches once and every status derives from it."""

from __future__ import annotations

import pandas as pd
import pytest

from compliance import engine, matching
from compliance.scope import Scope
from compliance.snapshot import match, take
from tests.force import AS_OF, RULES, FakeStore, completions, engine_status, roster


def _snapshot(rules=RULES, people: pd.DataFrame | None = None):
    store = FakeStore()
    people = roster() if people is None else people
    return take(people, completions(), rules, store.exemptions(), AS_OF)


def test_status_is_the_engines_on_the_matched_completions() -> None:
    pd.testing.assert_frame_equal(_snapshot().status, engine_status())


def test_status_is_computed_once_and_shared() -> None:
    seen = _snapshot()
    assert seen.status is seen.status


def test_without_rules_nobody_has_a_status() -> None:
    status = _snapshot(rules=None).status
    assert status.empty and list(status.columns[:5]) == list(engine.LEADING_COLUMNS[:5])


def test_matching_is_the_matchers_and_keeps_every_row() -> None:
    seen = _snapshot()
    matched = matching.match_completions(roster(), completions())
    assert seen.completions["person_id"].tolist() == matched.completions["person_id"].tolist()
    assert len(seen.all_completions) == len(completions())
    assert seen.person_of_rows().tolist() == ["1", "1", "2", "3", "4", "5"]


def test_person_of_rows_is_missing_for_completions_of_nobody() -> None:
    seen = _snapshot(people=roster().iloc[2:])
    assert seen.person_of_rows().isna().tolist() == [True, True, True, False, False, False]
    assert seen.unmatched["source_row"].tolist() == [2, 3, 4]


def test_an_empty_roster_matches_nothing() -> None:
    seen = _snapshot(people=roster().iloc[0:0])
    assert seen.completions.empty and len(seen.unmatched) == len(completions())
    assert seen.status.empty


@pytest.mark.parametrize(
    ("units", "people"),
    [((("South",)), ["4", "5", "6"]), ((("North / CID", "South / Custody")), ["3", "5", "6"])],
)
def test_a_scoped_snapshot_holds_only_its_people(units: tuple[str, ...], people: list[str]):
    whole = _snapshot()
    seen = whole.scoped(Scope(units))
    assert seen.roster["person_id"].tolist() == people
    assert set(seen.completions["person_id"]) <= set(people)
    assert sorted(seen.status["person_id"].unique()) == people
    expected = whole.status[whole.status["person_id"].isin(people)].reset_index(drop=True)
    pd.testing.assert_frame_equal(seen.status, expected)
    assert seen.all_completions is whole.all_completions


def test_the_unscoped_view_is_the_snapshot_itself() -> None:
    whole = _snapshot()
    assert whole.scoped(Scope()) is whole


def test_completions_numbered_from_zero_are_kept_as_they_are() -> None:
    rows = completions()
    assert match(roster(), rows, RULES, None).all_completions is rows


def test_completions_with_other_row_labels_are_numbered_again() -> None:
    rows = completions()
    relabelled = rows.set_axis(range(10, 10 + len(rows)))
    kept = match(roster(), relabelled, RULES, None).all_completions
    assert list(kept.index) == list(range(len(rows)))
    pd.testing.assert_frame_equal(kept, rows)
