"""The tables the table commands write, built from one snapshot of canonical frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from compliance.cli.inputs import Inputs
from compliance.cli.status_tables import (
    OVERDUE_OUTPUT_COLUMNS,
    command_table,
    take_snapshot,
    unmatched_summary,
)
from compliance.engine import compute_status
from compliance.matching import match_completions
from compliance.rules import load_rules
from tests.conftest import REQUIREMENTS_YAML, completion_frame, roster_frame

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def inputs() -> Inputs:
    roster = roster_frame(["3", "1", "2"], start="2020-01-01")
    completions = completion_frame([
        ("1", "Managing Information", "2025-01-10"),
        ("2", "Information Security Awareness", "2026-06-20"),
        ("9", "Managing Information", "2026-01-01"),
    ])
    return Inputs(roster, completions, None, load_rules(REQUIREMENTS_YAML))


def test_status_is_the_engines_sorted_by_person_then_course(inputs) -> None:
    status = take_snapshot(inputs, AS_OF).status
    assert list(zip(status["person_id"], status["course"], status["status"].astype(str),
                    strict=True)) == [
        ("1", "Information Security Awareness", "overdue"),
        ("1", "Managing Information", "compliant"),
        ("2", "Information Security Awareness", "compliant"),
        ("2", "Managing Information", "overdue"),
        ("3", "Information Security Awareness", "overdue"),
        ("3", "Managing Information", "overdue"),
    ]
    matched = match_completions(inputs.roster, inputs.completions).completions
    expected = compute_status(inputs.roster, matched, inputs.rules, AS_OF)
    pd.testing.assert_frame_equal(status, expected)


def test_the_snapshot_keeps_the_unmatched(inputs) -> None:
    snapshot = take_snapshot(inputs, AS_OF)
    assert snapshot.unmatched["person_id"].tolist() == ["9"]
    assert unmatched_summary(snapshot.notes, snapshot.unmatched) == [
        "1 completions matched nobody on the roster (by ID or email)",
        "  lms.csv, row 4: 9 is not on the roster",
    ]


def test_command_tables(inputs) -> None:
    status = take_snapshot(inputs, AS_OF).status
    assert command_table("status", status) is status
    overdue = command_table("overdue", status)
    assert list(overdue.columns) == list(OVERDUE_OUTPUT_COLUMNS)
    assert list(zip(overdue["person_id"], overdue["course"], strict=True)) == [
        ("1", "Information Security Awareness"),
        ("3", "Information Security Awareness"),
        ("2", "Managing Information"),
        ("3", "Managing Information"),
    ]
    assert overdue["days_overdue"].isna().tolist() == [True, True, False, False]
    summary = command_table("summary", status, level=2)
    assert summary["unit"].tolist() == ["North / Response", "ALL"]
    assert summary["compliance_rate"].tolist() == [0.3333, 0.3333]


def test_overdue_output_columns_add_contact_details() -> None:
    assert OVERDUE_OUTPUT_COLUMNS == (
        "person_id", "name", "unit", "course", "status", "last_completed", "due_date",
        "days_overdue", "role", "email", "manager",
    )


def test_unmatched_summary_names_three_at_most_by_id_else_email() -> None:
    unmatched = pd.DataFrame({
        "person_id": [None, "8", "9", "10"],
        "email": ["x@force.example", None, None, None],
        "source_file": "lms.csv",
        "source_row": [2, 3, 4, 5],
    })
    assert unmatched_summary(("a note",), unmatched) == [
        "a note",
        "  lms.csv, row 2: x@force.example is not on the roster",
        "  lms.csv, row 3: 8 is not on the roster",
        "  lms.csv, row 4: 9 is not on the roster",
    ]
    assert unmatched_summary((), unmatched.iloc[:0]) == []
    assert unmatched_summary(("a note",), None) == ["a note"]
