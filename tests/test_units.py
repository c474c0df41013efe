"""Unit figures: summaries, the unit tree, choices and labels."""

from __future__ import annotations

import pandas as pd
import pytest

from compliance import summary, units
from tests.force import engine_status, roster


@pytest.mark.parametrize(
    ("unit", "level"), [(None, 1), ("North", 2), ("North / Response", 2)]
)
def test_drill_level(unit: str | None, level: int) -> None:
    assert units.drill_level(engine_status(), unit) == level

def test_unit_summary_drops_total_and_worst_unit() -> None:
    table = units.unit_summary(engine_status(), 2)
    assert "ALL" not in set(table["unit"])
    worst = units.worst_unit(table)
    assert worst["compliance_rate"] == table["compliance_rate"].min()

def test_rate_matrix_course_by_unit() -> None:
    matrix = units.rate_matrix(engine_status(), 1)
    assert list(matrix.columns) == ["North", "South"]
    status = engine_status()
    north_mi = status[(status["unit_1"] == "North") & (status["course"] == "Managing Information")]
    expected = summary.summarise(north_mi, "course", None)["compliance_rate"].iloc[0]
    assert matrix.loc["Managing Information", "North"] == pytest.approx(expected)

def test_unit_tree_has_every_level_and_people() -> None:
    tree = units.unit_tree(engine_status(), roster()).set_index("id")
    assert tree.loc["North", "people"] == 3
    assert tree.loc["South / Custody", "parent"] == "South"
    assert tree.loc["South / Custody", "label"] == "Custody"
    assert tree.loc["North", "parent"] == ""
    assert tree.loc["North", "in_scope"] == tree.loc[["North / Response", "North / CID"],
                                                     "in_scope"].sum()

def test_unit_options_lists_each_unit_after_its_parent() -> None:
    assert units.unit_options(roster()) == [
        "North", "North / CID", "North / Response", "South", "South / Custody", "South / Response"
    ]

@pytest.mark.parametrize(
    ("parent", "labels"),
    [
        (None, ["North / CID", "North", "South / Custody"]),
        ("North", ["CID", "North", "South / Custody"]),
    ],
)
def test_relative_unit(parent: str | None, labels: list[str]) -> None:
    paths = pd.Series(["North / CID", "North", "South / Custody"])
    assert units.relative_unit(paths, parent).tolist() == labels
