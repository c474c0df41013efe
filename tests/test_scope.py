"""Scopes and filters: which rows a user may see and the sidebar chose."""

from __future__ import annotations

import pandas as pd
import pytest

from compliance import scope
from compliance.scope import Filters
from tests.force import engine_status


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        (Filters(), {"1", "2", "3", "4", "5", "6"}),
        (Filters(unit="South"), {"4", "5", "6"}),
        (Filters(unit="South / Custody", staff_type="staff"), {"5"}),
        (Filters(course="Taser"), {"1", "2", "3", "4", "6"}),
        (Filters(unit="Sou"), set()),
    ],
)
def test_apply_filters(filters: Filters, ids: set[str]) -> None:
    assert set(scope.apply_filters(engine_status(), filters)["person_id"]) == ids

def test_filters_describe() -> None:
    assert Filters(unit="North", course="Taser").describe() == (
        "unit North; course Taser; all staff types"
    )

def test_keep_values() -> None:
    frame = pd.DataFrame({"m": ["a", "b", None]})
    assert len(scope.keep_values(frame, "m", [])) == 3
    assert scope.keep_values(frame, "m", ["b"])["m"].tolist() == ["b"]


def test_filters_that_keep_every_row_return_the_frame_itself() -> None:
    status = engine_status()
    assert scope.apply_filters(status, Filters()) is status
    assert scope.apply_filters(status, Filters(unit="North")) is not status


def test_filtered_rows_keep_their_labels_and_order() -> None:
    status = engine_status()
    chosen = scope.apply_filters(status, Filters(unit="South"))
    expected = status[status["unit"].str.startswith("South")]
    pd.testing.assert_frame_equal(chosen, expected)
