import pandas as pd
import pytest

from compliance.import_diff import (
    OUT_OF_SCOPE,
    ImportDiff,
    completion_novelty,
    diff_import,
    moved_pairs,
    moves_by_course,
    roster_changes,
    status_moves,
)


def roster(rows: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["person_id", "name", "leave_date"])
    frame["unit"] = "Crime"
    frame["leave_date"] = pd.to_datetime(frame["leave_date"])
    return frame


def completions(rows: list[tuple[str | None, str | None, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["person_id", "email", "course", "completed_on"])
    frame["completed_on"] = pd.to_datetime(frame["completed_on"])
    return frame


def statuses(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["person_id", "course", "status"])


def test_roster_changes_added_gone_and_newly_leaving():
    before = roster([("1", "Ann", None), ("2", "Bob", None), ("3", "Cy", "2024-01-01")])
    after = roster([("2", "Bob", "2025-06-30"), ("3", "Cy", "2024-01-01"), ("4", "Di", None)])
    added, left = roster_changes(before, after)
    assert added["person_id"].tolist() == ["4"]
    assert sorted(left["person_id"]) == ["1", "2"]
    assert list(left.columns) == ["person_id", "name", "unit"]


def test_roster_changes_from_empty_store():
    after = roster([("1", "Ann", None)])
    added, left = roster_changes(pd.DataFrame(columns=after.columns), after)
    assert added["person_id"].tolist() == ["1"]
    assert left.empty


@pytest.mark.parametrize(
    ("loaded", "expected"),
    [
        ([("1", None, "Managing Information", "2024-05-01")], (0, 1)),
        ([("1", None, "  managing   INFORMATION ", "2024-05-01")], (0, 1)),
        ([("1", None, "Managing Information", "2024-05-02")], (1, 0)),
        ([("2", None, "Managing Information", "2024-05-01")], (1, 0)),
        ([(None, "x@force.uk", "Security", "2024-01-01")], (0, 1)),
        ([(None, "X@Force.UK ", "Security", "2024-01-01")], (0, 1)),
        (
            [
                ("9", None, "Security", "2024-01-01"),
                ("9", None, "Security", "2024-01-01"),
            ],
            (1, 0),
        ),
        ([], (0, 0)),
    ],
)
def test_completion_novelty(loaded, expected):
    existing = completions(
        [
            ("1", "a@force.uk", "Managing Information", "2024-05-01"),
            (None, "x@force.uk", "Security", "2024-01-01"),
        ]
    )
    assert completion_novelty(completions(loaded), existing) == expected


def test_completion_novelty_against_empty_store():
    loaded = completions([("1", None, "Security", "2024-01-01")])
    assert completion_novelty(loaded, pd.DataFrame()) == (1, 0)


def test_status_moves_counts_only_changes():
    before = statuses(
        [
            ("1", "MI", "overdue"),
            ("2", "MI", "overdue"),
            ("3", "MI", "compliant"),
            ("4", "MI", "pending"),
        ]
    )
    after = statuses(
        [
            ("1", "MI", "compliant"),
            ("2", "MI", "compliant"),
            ("3", "MI", "compliant"),
            ("5", "MI", "pending"),
        ]
    )
    table = status_moves(before, after)
    assert table.loc["overdue", "compliant"] == 2
    assert table.loc["pending", OUT_OF_SCOPE] == 1
    assert table.loc[OUT_OF_SCOPE, "pending"] == 1
    assert int(table.to_numpy().sum()) == 4
    assert list(table.index) == ["pending", "overdue", OUT_OF_SCOPE]


def test_moved_pairs_and_counts_by_course():
    before = statuses([("1", "MI", "overdue"), ("2", "MI", "overdue"), ("1", "IS", "pending")])
    after = statuses([("1", "MI", "compliant"), ("2", "MI", "overdue"), ("1", "IS", "overdue")])
    pairs = moved_pairs(before, after)
    assert pairs.values.tolist() == [["1", "IS", "pending", "overdue"],
                                     ["1", "MI", "overdue", "compliant"]]
    counts = moves_by_course(pd.concat([pairs, pairs.iloc[[1]]]))
    assert counts.values.tolist() == [["MI", 2], ["IS", 1]]


def test_status_moves_nothing_moved():
    same = statuses([("1", "MI", "compliant")])
    assert status_moves(same, same).empty


def test_diff_import_lines():
    diff = diff_import(
        roster_before=roster([("1", "Ann", None)]),
        roster_after=roster([("1", "Ann", None), ("2", "Bob", None)]),
        status_before=statuses([("1", "MI", "overdue")]),
        status_after=statuses([("1", "MI", "compliant"), ("2", "MI", "pending")]),
        loaded_completions=completions([("1", None, "MI", "2024-01-01")]),
        completions_before=completions([]),
    )
    assert isinstance(diff, ImportDiff)
    assert diff.pairs_moved == 2
    assert diff.completions_new == 1
    assert diff.lines() == [
        "People added: 1; people left: 0.",
        "Completions new: 1; already known: 0.",
        "Statuses changed: 2 (person, course) pairs.",
    ]


def test_diff_import_nothing_changed():
    same = statuses([("1", "MI", "compliant")])
    people = roster([("1", "Ann", None)])
    diff = diff_import(
        roster_before=people, roster_after=people, status_before=same, status_after=same
    )
    assert diff.lines() == ["No status changed."]
