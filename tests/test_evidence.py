"""The incident check on a store with several roster snapshots and completion imports, two
withdrawn, against answers worked out by hand (see ``tests.evidence_store``)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import pytest

from compliance import access, evidence
from compliance.evidence_model import Request
from compliance.scope import Scope
from tests import evidence_store
from tests.evidence_store import WHEN, WITHDRAWN, file_bytes

DAY = pd.Timestamp(WHEN)
MI, ISA = "Managing Information", "Information Security Awareness"
NONE = (None, None, None, None)
EXPECTED = {
    # (course): answer, status, due date, deciding (date, file, row, import),
    # later (date, days after, file, row, import)
    ("009917", MI): ("not trained", "overdue", "2021-02-10",
                     ("2018-02-10", "lms-2021.csv", 2, 6),
                     ("2023-03-14", 272, "lms-2023.csv", 2, 8)),
    ("009917", ISA): ("trained", "compliant", "2023-06-15",
                      ("2022-06-15", "lms-2023.csv", 3, 8), (None, *NONE)),
    ("009917", "Taser"): ("not required", None, None, NONE, (None, *NONE)),
    ("004321", MI): ("not trained", "overdue", "2018-05-30", NONE,
                     ("2023-04-20", 309, "lms-2023.csv", 4, 8)),
    ("004321", ISA): ("trained", "compliant", "2023-01-20",
                      ("2022-01-20", "lms-2021.csv", 3, 6), (None, *NONE)),
    ("004321", "Taser"): ("not required", None, None, NONE, (None, *NONE)),
}  # fmt: skip


@pytest.fixture
def built(store_url: str):
    store = evidence_store.build(store_url)
    yield store
    store.engine.dispose()


EVERYONE = Scope()


def _check(store, people, scope=EVERYONE, when=DAY, **options):
    seen = access.fresh_snapshot(store, when).scoped(scope)
    return access.incident_check(store, seen, Request(when, tuple(people), **options), scope)


def _value(value):
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return value.item() if hasattr(value, "item") else value


def test_two_officers_on_a_2022_date_get_the_hand_worked_answers(built) -> None:
    checked = _check(built, ["9917", "004321"])
    assert [p.person["person_id"] for p in checked.people] == ["009917", "004321"]
    got = {}
    for person in checked.people:
        for row in person.answers.itertuples():
            got[(person.person["person_id"], row.course)] = (
                row.answer, _value(row.status), _value(row.due_date),
                tuple(map(_value, (row.deciding_completed_on, row.deciding_file,
                                   row.deciding_row, row.deciding_import))),
                tuple(map(_value, (row.later_completed_on, row.later_days_after,
                                   row.later_file, row.later_row, row.later_import))),
            )  # fmt: skip
    assert got == EXPECTED
    assert checked.roster["id"] == 3 and checked.roster["file"] == "staff-2022.csv"
    assert checked.roster["effective_on"] == pd.Timestamp("2022-04-01")
    assert checked.unknown == ()


def test_cited_files_carry_the_sha256_of_their_bytes_and_no_withdrawn_import(built) -> None:
    checked = _check(built, ["9917", "004321", "2222"])
    sources = checked.sources.set_index("id")
    assert sorted(sources.index) == [1, 2, 3, 6, 8]
    for import_id, row in sources.iterrows():
        assert row["sha256"] == hashlib.sha256(file_bytes(import_id)).hexdigest()
        assert row["state"] == "active" and row["by"] == evidence_store.IMPORTER
    cited = pd.concat([p.answers[["deciding_import", "later_import"]] for p in checked.people])
    assert not set(cited.stack().astype(int)) & set(WITHDRAWN)


def test_someone_not_on_the_roster_in_force_is_never_not_required(built) -> None:
    checked = _check(built, ["2222", "3333"])
    dee, eve = checked.people
    assert dee.person is None and set(dee.answers["answer"]) == {evidence.NOT_ON_ROSTER}
    assert (dee.sighting.import_id, dee.sighting.file) == (2, "staff-2021.csv")
    assert dee.sighting.as_at == pd.Timestamp("2021-09-30")
    assert dee.warnings == (
        "Dee Brown (002222) is not on the roster in force on 15 Jun 2022 (staff-2022.csv "
        "(import 3), as at 01 Apr 2022). The nearest roster snapshot that lists them, "
        "staff-2021.csv (import 2) as at 30 Sep 2021, shows unit South / CID, role Constable, "
        "staff type officer, started 01 Feb 2016, left 14 Jan 2022.",
    )
    assert (eve.sighting.import_id, eve.sighting.file) == (5, "staff-2023.csv")
    assert evidence.NOT_REQUIRED not in set(eve.answers["answer"])


def test_someone_who_had_not_started_is_not_required_and_told_why(built) -> None:
    (eve,) = _check(built, ["003333"], when=pd.Timestamp("2023-01-01")).people
    assert set(eve.answers["answer"]) == {evidence.NOT_REQUIRED}
    assert eve.warnings == ("They had not started on that date (start date 02 January 2023).",)


def test_an_id_on_no_roster_is_unknown_and_said(built) -> None:
    checked = _check(built, ["7777", "9917"])
    assert checked.unknown == ("7777",)
    assert "No one with the ID '7777' is on any roster snapshot you may see." in checked.warnings


@pytest.mark.parametrize(
    ("units", "people"),
    [(None, ["009917", "004321", "002222"]), (("North",), ["009917"]),
     (("South",), ["004321", "002222"])],
)
def test_a_viewer_finds_only_their_units_people(built, units, people) -> None:
    checked = _check(built, ["9917", "4321", "2222"], scope=Scope(units))
    found = [(p.person if p.person is not None else p.sighting.person)["person_id"]
             for p in checked.people]
    assert found == people
    assert len(checked.unknown) == 3 - len(people)


def test_courses_asked_for_only_and_each_person_once(built) -> None:
    checked = _check(built, ["9917", "009917", " 9917 "], courses=(ISA,))
    assert len(checked.people) == 1
    assert checked.people[0].answers["course"].tolist() == [ISA]


def test_a_time_of_day_warns_about_a_completion_on_the_day_itself(built) -> None:
    (ann,) = _check(built, ["9917"], time=dt.time(14, 30)).people
    assert ann.warnings == (
        "The Information Security Awareness completion that decides the answer for Ann Lee is "
        "dated 15 Jun 2022 itself: the record has no time of day, so it cannot show whether it "
        "was done before 14:30.",
    )
    assert _check(built, ["9917"]).people[0].warnings == ()


def test_document_warnings_name_rules_applied_after_the_date(built) -> None:
    warnings = _check(built, ["9917"]).warnings
    assert warnings[0].startswith("The rules applied are the version in force now "
                                  "(requirements.yaml, import 1, imported ")
    early = _check(built, ["9917"], when=pd.Timestamp("2021-01-01")).warnings
    assert any(w.startswith("No roster snapshot was in force on 01 Jan 2021: the earliest one, "
                            "staff-2021.csv (import 2), as at 30 Sep 2021") for w in early)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("009917, 4321\n009917", ("009917", "4321")), (" 1;2\t3 ", ("1", "2", "3")), ("", ())],
)
def test_split_ids(text: str, expected: tuple[str, ...]) -> None:
    assert evidence.split_ids(text) == expected


@pytest.mark.parametrize("asked", ["009917", "9917", " 09917 ", "9917.0"])
def test_resolve_finds_the_roster_id_by_its_key(asked: str) -> None:
    roster = pd.DataFrame({"person_id": ["009917", "004321"]})
    assert evidence.resolve(roster, (asked, "55")) == {asked: "009917", "55": None}
