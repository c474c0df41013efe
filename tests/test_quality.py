import pandas as pd
import pytest

from compliance.quality import (
    Findings,
    completed_after_leaving,
    duplicate_people,
    find_all,
    implausible_dates,
    missing_details,
    unknown_titles,
    unmatched_completions,
    unused_exemptions,
)
from compliance.rules import load_rules
from compliance.snapshot import take

TODAY = pd.Timestamp("2025-01-01")


@pytest.fixture
def roster() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": ["10045", "20001", "30003", "40004"],
            "name": ["Jane Smith", "Bob Jones", "Ann Lee", "Raj Patel"],
            "email": ["jane.smith@force.uk", "bob.jones@force.uk", None, "raj.patel@force.uk"],
            "unit": ["Crime", None, "Ops", " "],
            "start_date": pd.to_datetime(["2020-01-01", None, "1901-01-01", "2021-01-01"]),
            "leave_date": pd.to_datetime([None, "2024-01-01", None, None]),
            "source_file": "roster.xlsx",
            "source_row": [2, 3, 4, 5],
        }
    )


def completions(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["person_id", "email", "course", "completed_on"])
    frame["completed_on"] = pd.to_datetime(frame["completed_on"])
    frame["source_file"] = "lms.csv"
    frame["source_row"] = range(2, 2 + len(frame))
    return frame


@pytest.mark.parametrize(
    ("person_id", "email", "likely", "how"),
    [
        ("999", "jane.smith@old-force.uk", "10045", "email"),
        ("10054", None, "10045", "similar ID"),
        (None, "jones.bob@elsewhere.uk", "20001", "similar name"),
        (None, "r.patel2@elsewhere.uk", "40004", "similar name"),
        (None, "someone.else@elsewhere.uk", None, None),
        ("777777", None, None, None),
    ],
)
def test_unmatched_completions_suggest_likely_person(roster, person_id, email, likely, how):
    frame = completions(
        [(person_id, email, "MI", "2024-01-01"), ("10045", None, "MI", "2024-02-01")]
    )
    found = unmatched_completions(frame, roster, pd.Series([None, "10045"]))
    assert len(found) == 1
    row = found.iloc[0]
    assert row["source_row"] == 2
    assert (row["likely_person_id"] if pd.notna(row["likely_person_id"]) else None) == likely
    assert (row["likely_by"] if pd.notna(row["likely_by"]) else None) == how
    if likely:
        assert row["likely_name"] == roster.set_index("person_id").loc[likely, "name"]


def test_unmatched_completions_none(roster):
    frame = completions([("10045", None, "MI", "2024-01-01")])
    assert unmatched_completions(frame, roster, pd.Series(["10045"])).empty


def test_unmatched_completions_keep_frame_index(roster):
    frame = completions([("1", None, "MI", "2024-01-01"), ("10045", None, "MI", "2024-01-01")])
    frame.index = [7, 3]
    found = unmatched_completions(frame, roster, pd.Series({7: None, 3: "10045"}))
    assert found["person_id"].tolist() == ["1"]


def test_unknown_titles_grouped_with_source(roster):
    frame = completions(
        [
            ("1", None, "Fire Safety", "2024-01-01"),
            ("2", None, "Fire Safety", "2024-01-01"),
            ("2", None, "Fire Safety", "2024-02-01"),
            ("3", None, "Manual Handling", "2024-01-01"),
            ("3", None, "Managing Information", "2024-01-01"),
        ]
    )
    requirement = pd.Series([None, None, None, None, "Managing Information"])
    found = unknown_titles(frame, requirement)
    assert found["course"].tolist() == ["Fire Safety", "Manual Handling"]
    assert found["rows"].tolist() == [3, 1]
    assert found["people"].tolist() == [2, 1]
    assert found["source_row"].tolist() == [2, 5]


def test_unknown_titles_none():
    frame = completions([("1", None, "MI", "2024-01-01")])
    assert unknown_titles(frame, pd.Series(["MI"])).empty


def test_missing_details(roster):
    found = missing_details(roster)
    assert found[["person_id", "missing"]].values.tolist() == [
        ["20001", "unit, start date"],
        ["40004", "unit"],
    ]
    assert found["source_row"].tolist() == [3, 5]


@pytest.mark.parametrize(
    ("ids", "emails", "expected"),
    [
        (["1", "2", "1"], ["a@x", "b@x", "c@x"], {("1", "duplicate ID")}),
        (["1", "2", "3"], ["a@x", "A@X ", "c@x"], {("1", "email shared by several IDs"),
                                                   ("2", "email shared by several IDs")}),
        (["1", "2", "3"], [None, None, "c@x"], set()),
    ],
)
def test_duplicate_people(ids, emails, expected):
    frame = pd.DataFrame({"person_id": ids, "name": "N", "email": emails, "source_row": [2, 3, 4]})
    found = duplicate_people(frame)
    assert set(zip(found["person_id"], found["reason"], strict=True)) == expected


def test_implausible_dates(roster):
    frame = completions(
        [
            ("10045", None, "MI", "2030-01-01"),
            ("10045", None, "MI", "1980-05-05"),
            ("10045", None, "MI", "2024-05-05"),
        ]
    )
    roster.loc[3, "start_date"] = pd.Timestamp("2026-01-01")
    found = implausible_dates(roster, frame, TODAY)
    assert found[["column", "reason", "source_row"]].values.tolist() == [
        ["completed_on", "in the future", 2],
        ["completed_on", "before 1990", 3],
        ["start_date", "before 1990", 4],
    ]


def test_implausible_dates_empty_frames():
    assert implausible_dates(pd.DataFrame(), pd.DataFrame(), TODAY).empty


def test_completed_after_leaving(roster):
    frame = completions(
        [
            ("20001", None, "MI", "2024-05-01"),
            ("20001", None, "MI", "2023-05-01"),
            ("10045", None, "MI", "2024-05-01"),
            ("nobody", None, "MI", "2024-05-01"),
        ]
    )
    found = completed_after_leaving(frame, roster, pd.Series(["20001", "20001", "10045", None]))
    assert found["person_id"].tolist() == ["20001"]
    assert found["leave_date"].tolist() == [pd.Timestamp("2024-01-01")]
    assert found["source_row"].tolist() == [2]


RULES = load_rules(
    """
requirements:
  - course: Managing Information
    aliases: [Management of Information, /managing\\s+info/]
  - course: Information Security
    aliases: [ISA]
"""
)


EXEMPTIONS = pd.DataFrame(
    {
        "person_id": ["10045", "20001", "30003", "99999", "40004"],
        "course": ["*", "ISA", "Fire Safety", "Managing Information", "Stop and Search"],
        "from": pd.to_datetime(["2024-01-01", None, None, None, None]),
        "until": pd.to_datetime([None, None, None, None, None]),
        "reason": "leave",
        "source_file": "exemptions.csv",
        "source_row": [2, 3, 4, 5, 6],
    }
)


def test_unused_exemptions_name_what_is_wrong(roster):
    found = unused_exemptions(EXEMPTIONS, roster, RULES)
    assert found[["person_id", "problem", "source_row"]].values.tolist() == [
        ["30003", "course is no requirement", 4],
        ["99999", "person not on the roster", 5],
        ["40004", "course is no requirement", 6],
    ]


def test_unused_exemptions_without_rules_or_exemptions(roster):
    assert unused_exemptions(EXEMPTIONS.iloc[0:0], roster, RULES).empty
    without_rules = unused_exemptions(EXEMPTIONS, roster, None)
    assert without_rules["source_row"].tolist() == [3, 4, 5, 6]
    assert unused_exemptions(EXEMPTIONS, roster.iloc[0:0], RULES)["problem"].iloc[0] == (
        "person not on the roster"
    )


def test_find_all(roster):
    frame = completions(
        [
            ("10045", None, "managing  info (2024)", "2024-01-01"),
            (None, "bob.jones@force.uk", "Fire Safety", "2024-05-01"),
            ("999", "jane.smith@old.uk", "Informaton Security", "2031-01-01"),
            ("10045", None, None, "2024-01-01"),
        ]
    )
    frame.loc[3, "course_code"] = "ISA"
    found = find_all(take(roster, frame, RULES, EXEMPTIONS, TODAY), TODAY)
    assert isinstance(found, Findings)
    assert found.unmatched["likely_person_id"].tolist() == ["10045"]
    assert found.unknown_titles[["course", "suggested"]].fillna("-").values.tolist() == [
        ["Fire Safety", "-"],
        ["Informaton Security", "Information Security"],
    ]
    assert found.after_leaving["person_id"].tolist() == ["20001"]
    assert found.implausible_dates["source_row"].tolist() == [4, 4]
    assert found.counts() == {
        "unmatched": 1,
        "unknown_titles": 2,
        "missing_details": 2,
        "duplicates": 0,
        "implausible_dates": 2,
        "after_leaving": 1,
        "unused_exemptions": 3,
    }


def test_find_all_without_rules(roster):
    frame = completions([("10045", None, "Anything", "2024-01-01")])
    found = find_all(take(roster, frame, None, EXEMPTIONS.iloc[0:0], TODAY), TODAY)
    assert found.unknown_titles["course"].tolist() == ["Anything"]
    assert "suggested" not in found.unknown_titles


def test_find_all_with_nobody_on_the_roster(roster):
    frame = completions([("10045", None, "MI", "2024-01-01")])
    found = find_all(take(roster.iloc[0:0], frame, RULES, EXEMPTIONS, TODAY), TODAY)
    assert found.unmatched["person_id"].tolist() == ["10045"]
    assert found.after_leaving.empty
