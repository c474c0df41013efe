import datetime as dt

import numpy as np
import pandas as pd
import pytest

from compliance.errors import RulesError
from compliance.import_diff import OUT_OF_SCOPE, moves_table
from compliance.rules import load_rules
from compliance.rules_table import (
    LABELS,
    TABLE_COLUMNS,
    add_alias,
    changed_courses,
    deadline_candidates,
    field_changes,
    rules_to_table,
    status_preview,
    table_to_rules,
    with_deadline,
)
from compliance.snapshot import Snapshot, take

RULES_YAML = """
due_soon_days: 30
requirements:
  - course: Managing Information
    aliases: [Management of Information, /managing\\s+info/]
    applies_to:
      staff_type: [officer, staff]
      unit: [Crime Command]
    renewal_months: 36
    new_starter_days: 90
    not_before: 2020-01-01
  - course: Information Security
    due_soon_days: 14
    deadline: 2024-03-31
"""


@pytest.fixture
def rules():
    return load_rules(RULES_YAML)


def test_round_trip_through_the_table(rules):
    table = rules_to_table(rules)
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert table.loc[0, "aliases"] == ["Management of Information", "/managing\\s+info/"]
    assert table.loc[0, "staff_type"] == ["officer", "staff"]
    assert table.loc[1, "deadline"] == dt.date(2024, 3, 31)
    assert pd.isna(table.loc[1, "renewal_months"])
    again, problems = table_to_rules(table, rules.due_soon_days)
    assert problems.empty
    assert again == rules


def test_empty_rules_give_an_empty_table():
    table = rules_to_table(None)
    assert table.empty
    assert list(table.columns) == list(TABLE_COLUMNS)


def test_editor_types_are_accepted(rules):
    table = rules_to_table(rules).astype({"renewal_months": "float64"})
    table.loc[1, "renewal_months"] = 12.0
    table.at[1, "aliases"] = np.array(["InfoSec", " "], dtype=object)
    table.loc[1, "not_before"] = pd.Timestamp("2023-01-01")
    new, problems = table_to_rules(table, 30)
    assert problems.empty
    assert new.requirements[1].renewal_months == 12
    assert new.requirements[1].aliases == ("InfoSec",)
    assert new.requirements[1].not_before == dt.date(2023, 1, 1)


def test_blank_added_row_is_skipped(rules):
    table = rules_to_table(rules)
    table = table.reindex(range(len(table) + 1))
    new, problems = table_to_rules(table, 30)
    assert problems.empty
    assert len(new.requirements) == 2


@pytest.mark.parametrize(
    ("column", "value", "message_part"),
    [
        ("course", "", "needs a course name"),
        ("renewal_months", -3, "negative"),
        ("renewal_months", 0, "at least 1"),
        ("renewal_months", 2.5, "not a whole number"),
        ("new_starter_days", "ninety", "not a whole number"),
        ("staff_type", ["officer", "wizard"], "unknown staff type"),
        ("aliases", ["/managing(/"], "invalid regular expression"),
        ("deadline", "31/03/2024", "YYYY-MM-DD"),
    ],
)
def test_each_bad_cell_is_named(rules, column, value, message_part):
    table = rules_to_table(rules)
    table = table.astype({column: "object"})
    table.at[1, column] = value
    new, problems = table_to_rules(table, 30)
    assert new is None
    assert problems[["row", "column"]].values.tolist() == [[2, LABELS[column]]]
    assert message_part in problems.loc[0, "message"]


def test_several_bad_cells_all_reported(rules):
    table = rules_to_table(rules).astype({"renewal_months": "object"})
    table.at[0, "renewal_months"] = -1
    table.at[1, "deadline"] = "soon"
    _, problems = table_to_rules(table, 30)
    assert problems[["row", "column"]].values.tolist() == [
        [1, LABELS["renewal_months"]],
        [2, LABELS["deadline"]],
    ]


def test_duplicate_course_named_on_the_later_row(rules):
    table = rules_to_table(rules)
    table = table.reindex(range(len(table) + 2))
    table.loc[3, "course"] = " managing  INFORMATION"
    new, problems = table_to_rules(table, 30)
    assert new is None
    assert problems[["row", "column"]].values.tolist() == [[4, LABELS["course"]]]
    assert "used by two requirements" in problems.loc[0, "message"]


def test_add_alias(rules):
    new = add_alias(rules, "Information Security", " InfoSec Awareness ")
    assert new.requirements[1].aliases == ("InfoSec Awareness",)
    assert new.requirements[0] == rules.requirements[0]
    assert add_alias(new, "Information Security", "infosec  awareness") is new
    assert add_alias(rules, "Managing Information", "managing information") is rules


@pytest.mark.parametrize(("course", "title"), [("Nope", "X"), ("Information Security", " ")])
def test_add_alias_refuses(rules, course, title):
    with pytest.raises(RulesError):
        add_alias(rules, course, title)


def test_changed_courses(rules):
    new = add_alias(rules, "Information Security", "InfoSec")
    assert changed_courses(rules, new) == ["Information Security"]
    assert changed_courses(None, rules) == ["Managing Information", "Information Security"]
    assert changed_courses(rules, rules) == []


def _roster() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": ["1", "2"],
            "name": ["Ann", "Bob"],
            "email": ["ann@x.uk", "bob@x.uk"],
            "unit": ["Crime Command", "Crime Command"],
            "unit_1": ["Crime Command", "Crime Command"],
            "role": ["Constable", "Constable"],
            "staff_type": ["officer", "officer"],
            "start_date": pd.to_datetime(["2015-01-01", "2015-01-01"]),
            "leave_date": pd.to_datetime([None, None]),
            "manager": [None, None],
            "source_file": "roster.csv",
            "source_row": [2, 3],
        }
    )


def _completions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": ["1"],
            "email": [None],
            "course": ["InfoSec"],
            "course_code": [None],
            "completed_on": pd.to_datetime(["2024-01-10"]),
            "source_file": "lms.csv",
            "source_row": [2],
        }
    )


def _seen(as_of: pd.Timestamp) -> Snapshot:
    """The small force on ``as_of``, matched once (the rules do not change the matching)."""
    exemptions = pd.DataFrame(columns=["person_id", "course", "from", "until", "reason"])
    return take(_roster(), _completions(), None, exemptions, as_of)


def test_status_preview_counts_pairs_an_alias_would_move(rules):
    new = add_alias(rules, "Information Security", "InfoSec")
    as_of = pd.Timestamp("2024-06-01")
    pairs = status_preview(_seen(as_of), rules, new)
    assert pairs.values.tolist() == [["1", "Information Security", "overdue", "compliant"]]
    assert moves_table(pairs).to_dict() == {"compliant": {"overdue": 1}}


def test_status_preview_new_and_removed_requirements(rules):
    as_of = pd.Timestamp("2024-06-01")
    first = status_preview(_seen(as_of), None, rules)
    assert set(first["before"]) == {OUT_OF_SCOPE} and len(first) == 4
    fewer = load_rules("requirements:\n  - course: Managing Information\n")
    moves = status_preview(_seen(as_of), rules, fewer)
    assert int(moves_table(moves)[OUT_OF_SCOPE].sum()) == 2


def test_status_preview_nothing_moves(rules):
    as_of = pd.Timestamp("2024-06-01")
    assert status_preview(_seen(as_of), rules, rules).empty


def test_field_changes_show_old_and_new_values(rules):
    new = add_alias(rules, "Information Security", "InfoSec")
    new = with_deadline(new, "Managing Information", dt.date(2026, 3, 31))
    changes = field_changes(rules, new)
    assert changes.values.tolist() == [
        ["Managing Information", "Deadline", "", "2026-03-31"],
        ["Information Security", "Aliases", "", "InfoSec"],
    ]
    added = field_changes(None, rules)
    assert set(added["after"]) == {"added"} and len(added) == len(rules.requirements)


def test_deadline_candidates_count_people_who_started_before_a_requirement(rules):
    status = pd.DataFrame({
        "person_id": ["1", "2", "3"],
        "course": ["Managing Information"] * 3,
        "status": ["overdue", "overdue", "compliant"],
        "last_completed": pd.to_datetime([None, "2020-01-01", "2024-01-01"]),
        "days_overdue": pd.array([4000, 5000, None], dtype="Int64"),
    })
    found = deadline_candidates(status, rules)
    assert found.values.tolist() == [["Managing Information", 1, 4000]]
    once = pd.DataFrame({"person_id": ["9"], "course": ["Information Security"],
                         "status": ["overdue"], "last_completed": pd.to_datetime([None]),
                         "days_overdue": pd.array([400], dtype="Int64")})
    assert deadline_candidates(once, rules).empty
    dated = with_deadline(rules, "Managing Information", dt.date(2026, 3, 31))
    assert deadline_candidates(status, dated).empty
