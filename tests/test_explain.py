"""Finding a person, and the point-in-time explanation built from the engine's evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compliance import explain

ROSTER = pd.DataFrame(
    {
        "person_id": ["1001", "1002", "2001", "31001"],
        "name": ["Alice Brown", "Bob Green", "Carol Browning", "Dan White"],
        "email": ["a.brown@force.uk", "b.green@force.uk", "c.browning@force.uk", None],
        "unit": ["North", "North", "South", "South"],
    }
)


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("brown", ["1001", "2001"]),
        ("  BROWN ", ["1001", "2001"]),
        ("B.GREEN@", ["1002"]),
        ("1001", ["1001", "31001"]),
        ("31001", ["31001"]),
        ("nobody", []),
        ("", []),
    ],
)
def test_find_people(query: str, ids: list[str]) -> None:
    assert explain.find_people(ROSTER, query)["person_id"].tolist() == ids


def _status(**columns: list) -> pd.DataFrame:
    base = {
        "person_id": "1001",
        "course": "Managing Information",
        "status": "compliant",
        "last_completed": pd.NaT,
        "due_date": pd.NaT,
        "days_overdue": np.nan,
        "evidence_file": None,
        "evidence_row": None,
        "exemption_reason": None,
    }
    base.update({k: v[0] for k, v in columns.items()})
    frame = pd.DataFrame([base])
    for column in ("last_completed", "due_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


WHEN = pd.Timestamp("2024-06-01")


@pytest.mark.parametrize(
    ("row", "answer", "decided"),
    [
        (
            {"status": ["compliant"], "last_completed": ["2023-01-05"],
             "evidence_file": ["lms.xlsx"], "evidence_row": [12]},
            "Yes",
            "completed on 2023-01-05 (lms.xlsx, row 12); no renewal required",
        ),
        (
            {"status": ["compliant"], "last_completed": ["2023-01-05"], "due_date": ["2026-01-05"],
             "evidence_file": ["lms.xlsx"], "evidence_row": [12]},
            "Yes",
            "completed on 2023-01-05 (lms.xlsx, row 12); valid until 2026-01-05",
        ),
        (
            {"status": ["expiring"], "last_completed": ["2021-06-10"], "due_date": ["2024-06-10"],
             "evidence_file": ["a.csv"], "evidence_row": [3]},
            "Yes",
            "completed on 2021-06-10 (a.csv, row 3); due again by 2024-06-10 (expiring soon)",
        ),
        (
            {"status": ["overdue"], "last_completed": ["2020-01-01"], "due_date": ["2023-01-01"],
             "days_overdue": [517], "evidence_file": ["a.csv"], "evidence_row": [3]},
            "No",
            "last counting completion 2020-01-01 (a.csv, row 3) expired on 2023-01-01"
            " (517 days overdue)",
        ),
        (
            {"status": ["overdue"], "due_date": ["2024-03-31"], "days_overdue": [62]},
            "No",
            "no counting completion on or before 2024-06-01; it was due by 2024-03-31"
            " (62 days overdue)",
        ),
        (
            {"status": ["overdue"]},
            "No",
            "no counting completion on or before 2024-06-01 and no grace period",
        ),
        (
            {"status": ["pending"], "due_date": ["2024-08-01"]},
            "No (not yet due)",
            "no completion yet; within the grace period, due by 2024-08-01",
        ),
        (
            {"status": ["exempt"], "exemption_reason": ["long-term sick"]},
            "Exempt",
            "exempt on 2024-06-01: long-term sick",
        ),
    ],
)
def test_explain_names_the_deciding_completion_or_absence(
    row: dict, answer: str, decided: str
) -> None:
    explained = explain.explain(_status(**row), WHEN)
    assert explained["compliant_on_date"].tolist() == [answer]
    assert explained["decided_by"].tolist() == [decided]


def test_explain_with_no_requirements() -> None:
    explained = explain.explain(_status().iloc[0:0], WHEN)
    assert explained.empty
    assert list(explained.columns) == list(explain.EXPLANATION_COLUMNS)


@pytest.mark.parametrize(
    ("start", "leave", "note"),
    [
        ("2024-07-01", None, "They had not started on that date (start date 01 July 2024)."),
        ("2010-01-01", "2024-05-31", "They had left before that date (leaving date 31 May 2024)."),
        ("2010-01-01", "2024-06-01", None),
        (None, None, None),
    ],
)
def test_scope_note(start: str | None, leave: str | None, note: str | None) -> None:
    row = pd.Series({"person_id": "1", "start_date": start, "leave_date": leave})
    assert explain.scope_note(row, WHEN) == note


@pytest.mark.parametrize("query", ["057680", "57680", " 0057680 "])
def test_an_id_is_found_however_it_is_written(query: str) -> None:
    roster = pd.DataFrame({"person_id": ["057680", "157680"], "name": ["Ann", "Bob"],
                           "email": [None, None]})
    found = explain.find_people(roster, query)
    assert found["person_id"].tolist()[0] == "057680"


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("0006", ["0006"]),
        ("6", ["0006", "0016", "0060", "1006"]),
        ("06", ["0006", "0060", "1006"]),
        ("006", ["0006", "0060", "1006"]),
        ("00006", ["0006"]),
    ],
)
def test_a_short_id_key_finds_whole_ids_not_every_id_holding_its_digit(
    query: str, ids: list[str]
) -> None:
    """``0006`` folds to the key ``6``: matching keys by substring would list every ID with
    a 6 in it (1,152 of the demo's 2,000); the written ID still matches as text."""
    roster = pd.DataFrame({"person_id": ["0006", "0016", "0060", "1006"],
                           "name": ["Ann", "Bob", "Cy", "Di"], "email": [None] * 4})
    assert sorted(explain.find_people(roster, query)["person_id"]) == ids
