from datetime import date

import pandas as pd
import pytest

from compliance.engine import compute_status
from compliance.errors import StoreError
from compliance.matching import match_completions
from compliance.rules import load_rules
from compliance.store.frames import canonical_columns, empty_frame
from tests.conftest import (
    REQUIREMENTS_YAML,
    completion_frame,
    exemption_frame,
    loaded,
    roster_frame,
)

MI = "Managing Information"


def _snapshot(store, ids, as_at, file):
    frame = roster_frame(ids)
    store.import_frame("roster", loaded(frame, file, "roster"), user="u", as_at=as_at)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2023, 6, 1), ["1"]),  # before every snapshot: the earliest
        (date(2024, 1, 1), ["1"]),  # on the first snapshot's date
        (date(2024, 5, 31), ["1"]),
        (date(2024, 6, 1), ["1", "2"]),
        (date(2026, 1, 1), ["1", "2", "3"]),
    ],
)
def test_roster_for_a_date_is_the_snapshot_in_force(store, as_of, expected):
    _snapshot(store, ["1"], date(2024, 1, 1), "jan.csv")
    _snapshot(store, ["1", "2", "3"], date(2025, 1, 1), "next_year.csv")
    _snapshot(store, ["1", "2"], date(2024, 6, 1), "june.csv")
    assert store.roster(as_of)["person_id"].tolist() == expected


def test_rosters_for_many_days_read_each_snapshot_once(store):
    _snapshot(store, ["1"], date(2024, 1, 1), "jan.csv")
    _snapshot(store, ["1", "2"], date(2024, 6, 1), "june.csv")
    days = [date(2023, 6, 1), date(2024, 1, 31), date(2024, 6, 30), date(2024, 7, 31)]
    read = store.rosters(days)
    assert [r["person_id"].tolist() for r in read] == [
        store.roster(day)["person_id"].tolist() for day in days
    ]
    assert read[0] is read[1] and read[2] is read[3] and read[1] is not read[2]
    assert read[2]["source_file"].tolist() == ["june.csv", "june.csv"]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(date(2023, 6, 1), "jan.csv"), (date(2024, 6, 1), "june.csv"), (date(2026, 1, 1), "june.csv")],
)
def test_roster_snapshot_names_the_import_in_force(store, as_of, expected):
    _snapshot(store, ["1"], date(2024, 1, 1), "jan.csv")
    _snapshot(store, ["1", "2"], date(2024, 6, 1), "june.csv")
    _snapshot(store, ["1", "2", "3"], date(2025, 1, 1), "withdrawn.csv")
    store.withdraw(3, user="u")
    chosen = store.roster_snapshot(as_of)
    assert chosen["file"] == expected
    assert store.roster(as_of)["source_file"].unique().tolist() == [expected]


def test_roster_snapshot_of_an_empty_store_is_none(store):
    assert store.roster_snapshot(date(2024, 1, 1)) is None


def test_import_rows_reads_one_import_whatever_its_state(store):
    first = completion_frame([("1", MI, "2024-01-01"), ("2", MI, "2024-02-01")])
    second = completion_frame([("1", MI, "2024-01-01"), ("3", MI, "2024-03-01")])
    store.import_frame("completions", loaded(first, "lms.csv", "completions"), user="u")
    store.import_frame("completions", loaded(second, "lms.csv", "completions"), user="u")
    store.withdraw(1, user="u")
    rows = store.import_rows(1)
    assert rows["person_id"].tolist() == ["1", "2"]
    assert rows["source_row"].tolist() == [2, 3]
    assert store.import_rows(2)["person_id"].tolist() == ["1", "3"]
    with pytest.raises(StoreError, match="no roster, completions or exemptions import 9"):
        store.import_rows(9)


def test_rosters_of_an_empty_store_are_empty(store):
    assert [r.empty for r in store.rosters([date(2024, 1, 1), date(2025, 1, 1)])] == [True, True]


def test_withdrawn_snapshot_is_skipped(store):
    _snapshot(store, ["1"], date(2024, 1, 1), "jan.csv")
    _snapshot(store, ["1", "2"], date(2024, 6, 1), "june.csv")
    store.withdraw(2, user="u")
    assert store.roster(pd.Timestamp("2025-01-01"))["person_id"].tolist() == ["1"]
    snapshots = store.roster_snapshots()
    assert snapshots["state"].tolist() == ["active", "withdrawn"]
    assert snapshots["effective_on"].tolist() == [
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-06-01"),
    ]


def test_roster_effective_date_defaults_to_import_day(store):
    store.import_frame("roster", loaded(roster_frame(["1"]), "r.csv", "roster"), user="u")
    assert store.roster_snapshots()["effective_on"].tolist() == [pd.Timestamp(date.today())]


def test_completions_union_counts_identical_events_once(store):
    first = completion_frame([("1", MI, "2024-01-10"), ("2", MI, "2024-02-01")])
    second = completion_frame([("2", MI, "2024-02-01"), ("3", MI, "2024-03-01")])
    store.import_frame("completions", loaded(first, "a.csv", "completions"), user="u")
    store.import_frame("completions", loaded(second, "b.csv", "completions"), user="u")
    current = store.completions()
    assert current["person_id"].tolist() == ["1", "2", "3"]
    assert current["source_file"].tolist() == ["a.csv", "a.csv", "b.csv"]
    assert current["source_row"].tolist() == [2, 3, 3]
    store.withdraw(1, user="u")
    assert store.completions()["source_file"].tolist() == ["b.csv", "b.csv"]


def test_completions_round_trip_dtypes(store):
    frame = completion_frame([("007", MI, "2024-01-10")]).assign(course_code=["MI-1"])
    store.import_frame("completions", loaded(frame, "lms.csv", "completions"), user="u")
    pd.testing.assert_frame_equal(store.completions(), frame.assign(source_file="lms.csv"))


def test_exemptions_round_trip_and_dedupe(store):
    frame = exemption_frame(
        [
            ("1", "*", "2024-01-01", None, "long-term sick"),
            ("1", "*", "2024-01-01", None, "long-term sick"),
        ]
    )
    store.import_frame("exemptions", loaded(frame, "ex.csv", "exemptions"), user="u")
    pd.testing.assert_frame_equal(store.exemptions(), frame.iloc[:1].assign(source_file="ex.csv"))


@pytest.mark.parametrize("kind", ["roster", "completions", "exemptions"])
def test_empty_store_gives_empty_canonical_frames(store, kind):
    frame = store.roster(date.today()) if kind == "roster" else getattr(store, kind)()
    assert frame.empty
    assert list(frame.columns) == canonical_columns(kind)
    pd.testing.assert_frame_equal(frame, empty_frame(kind))


def test_rules_latest_active_version(store):
    assert store.rules() is None
    store.import_file("requirements", REQUIREMENTS_YAML, "v1.yaml", user="u")
    newer = REQUIREMENTS_YAML.replace(b"renewal_months: 12", b"renewal_months: 24")
    store.import_file("requirements", newer, "v2.yaml", user="u")
    assert store.rules().requirements[1].renewal_months == 24
    store.withdraw(2, user="u")
    assert store.rules().requirements[1].renewal_months == 12


def test_statuses_from_store_equal_statuses_from_frames(store):
    rules = load_rules(REQUIREMENTS_YAML, "rules.yaml")
    people = roster_frame([str(i) for i in range(1, 7)], start="2023-01-01")
    events = completion_frame(
        [
            ("1", MI, "2024-01-10"),
            ("2", "Management of Information", "2020-05-01"),
            ("3", "Information Security Awareness", "2025-06-30"),
            ("9", MI, "2024-01-01"),
        ]
    )
    exempt = exemption_frame([("4", "*", "2024-01-01", None, "career break")])
    store.import_file("requirements", REQUIREMENTS_YAML, "rules.yaml", user="u")
    store.import_frame(
        "roster", loaded(people, "hr.csv", "roster"), user="u", as_at=date(2024, 1, 1)
    )
    store.import_frame("completions", loaded(events, "lms.csv", "completions"), user="u")
    store.import_frame("exemptions", loaded(exempt, "ex.csv", "exemptions"), user="u")
    as_of = date(2025, 9, 1)

    def statuses(roster, completions, exemptions, rules):
        matched = match_completions(roster, completions).completions
        return compute_status(roster, matched, rules, as_of, exemptions)

    direct = statuses(
        people.assign(source_file="hr.csv"),
        events.assign(source_file="lms.csv"),
        exempt.assign(source_file="ex.csv"),
        rules,
    )
    stored = statuses(store.roster(as_of), store.completions(), store.exemptions(), store.rules())
    pd.testing.assert_frame_equal(stored, direct)
    assert set(direct["status"].astype(str)) >= {"compliant", "overdue", "exempt"}


def test_withdrawn_completions_give_statuses_as_if_never_imported(store):
    rules = load_rules(REQUIREMENTS_YAML, "rules.yaml")
    store.import_frame(
        "roster", loaded(roster_frame(["1"]), "hr.csv", "roster"), user="u", as_at=date(2024, 1, 1)
    )
    as_of = date(2025, 1, 1)

    def statuses():
        roster = store.roster(as_of)
        matched = match_completions(roster, store.completions()).completions
        return compute_status(roster, matched, rules, as_of)

    before = statuses()
    store.import_frame(
        "completions",
        loaded(completion_frame([("1", MI, "2024-06-01")]), "lms.csv", "completions"),
        user="u",
    )
    imported = statuses()
    store.withdraw(2, user="u")
    pd.testing.assert_frame_equal(statuses(), before)
    store.restore(2, user="u")
    pd.testing.assert_frame_equal(statuses(), imported)
    assert not imported.equals(before)
