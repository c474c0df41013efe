"""On-screen headers: one mapping for the pages' tables and the downloads of them."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

from compliance import columns, lists
from compliance.columns import headed, header
from tests.force import AS_OF, engine_status


@pytest.mark.parametrize(
    ("column", "shown"),
    [("person_id", "ID"), ("due_date", "Due date"), ("days_overdue", "Days overdue"),
     ("staff_type", "Staff type"), ("unit_1", "Unit level 1"), ("unit_12", "Unit level 12"),
     ("Managing Information", "Managing Information"), ("unit_x", "unit_x"), (3, "3")],
)
def test_header(column: object, shown: str) -> None:
    assert header(column) == shown


@pytest.mark.parametrize(
    "table",
    [lists.overdue_table(engine_status()), lists.due_soon_table(engine_status(), AS_OF),
     engine_status()],
    ids=["overdue", "due soon", "status"],
)
def test_every_column_of_a_list_of_people_has_a_header(table: pd.DataFrame) -> None:
    shown = headed(table)
    assert list(shown.columns) == [header(c) for c in table.columns]
    assert not [c for c in shown.columns if "_" in c], "a canonical name leaked"
    assert shown.columns.is_unique
    pd.testing.assert_frame_equal(shown.set_axis(table.columns, axis=1), table)


def test_the_docstring_example_runs() -> None:
    assert doctest.testmod(columns).failed == 0
