from datetime import date

import numpy as np
import pandas as pd
import pytest

from compliance.engine import (
    STATUSES,
    StatusModel,
    add_months,
    compute_status,
    index_completions,
)
from compliance.errors import UnusableInput
from compliance.matching import match_completions
from compliance.rules import rules_from_dict
from loaders.ids import normalise_ids

D = "2025-06-30"
MI = "Managing Information"
SEC = "Information Security"


def roster(people: list[dict]) -> pd.DataFrame:
    """Canonical roster from a few fields per person (defaults fill the rest)."""
    rows = []
    for n, person in enumerate(people, start=1):
        base = {
            "person_id": str(n),
            "name": f"Person {n}",
            "email": f"p{n}@force.police.uk",
            "unit": "Crime / CID / Team 1",
            "role": "Constable",
            "staff_type": "officer",
            "start_date": "2020-01-01",
            "leave_date": None,
            "manager": "Boss",
        }
        rows.append(base | person)
    frame = pd.DataFrame(rows)
    levels = frame["unit"].fillna("").str.split(" / ", expand=True)
    for i in range(levels.shape[1]):
        frame[f"unit_{i + 1}"] = levels[i].replace("", None)
    for column in ("start_date", "leave_date"):
        frame[column] = pd.to_datetime(frame[column])
    frame["source_file"] = "roster.csv"
    frame["source_row"] = range(2, len(frame) + 2)
    return frame


def completions(rows: list[tuple]) -> pd.DataFrame:
    """(person_id, course, course_code, completed_on) rows, canonical columns."""
    frame = pd.DataFrame(rows, columns=["person_id", "course", "course_code", "completed_on"])
    frame["email"] = None
    frame["completed_on"] = pd.to_datetime(frame["completed_on"])
    frame["source_file"] = "lms.csv"
    frame["source_row"] = range(2, len(frame) + 2)
    return frame


def exemptions(rows: list[tuple]) -> pd.DataFrame:
    """(person_id, course, from, until) rows."""
    frame = pd.DataFrame(rows, columns=["person_id", "course", "from", "until"])
    frame["reason"] = "maternity leave"
    for column in ("from", "until"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def requirement(**fields) -> dict:
    return {"course": MI} | fields


# Each case: requirements, person fields, completions as (course, code, date),
# exemptions as (course, from, until), as-of, expected rows as
# (course, status, last_completed, due_date, days_overdue).
CASES = {
    "compliant, no renewal": (
        [requirement()], {}, [(MI, None, "2021-05-01")], [], D,
        [(MI, "compliant", "2021-05-01", None, None)],
    ),
    "compliant with renewal": (
        [requirement(renewal_months=36)], {}, [(MI, None, "2024-01-15")], [], D,
        [(MI, "compliant", "2024-01-15", "2027-01-15", None)],
    ),
    "expiring: due in exactly due_soon_days": (
        [requirement(renewal_months=12, due_soon_days=30)], {}, [(MI, None, "2024-07-30")], [], D,
        [(MI, "expiring", "2024-07-30", "2025-07-30", None)],
    ),
    "compliant: due in due_soon_days + 1": (
        [requirement(renewal_months=12, due_soon_days=30)], {}, [(MI, None, "2024-07-31")], [], D,
        [(MI, "compliant", "2024-07-31", "2025-07-31", None)],
    ),
    "expiring: due on the as-of date": (
        [requirement(renewal_months=12)], {}, [(MI, None, "2024-06-30")], [], D,
        [(MI, "expiring", "2024-06-30", "2025-06-30", None)],
    ),
    "overdue after expiry": (
        [requirement(renewal_months=12)], {}, [(MI, None, "2024-06-29")], [], D,
        [(MI, "overdue", "2024-06-29", "2025-06-29", 1)],
    ),
    "pending: new starter in grace": (
        [requirement(new_starter_days=90)], {"start_date": "2025-05-01"}, [], [], D,
        [(MI, "pending", None, "2025-07-30", None)],
    ),
    "pending: before the deadline": (
        [requirement(new_starter_days=90, deadline="2025-12-31")], {}, [], [], D,
        [(MI, "pending", None, "2025-12-31", None)],
    ),
    "pending: later of grace end and deadline": (
        [requirement(new_starter_days=90, deadline="2025-07-15")],
        {"start_date": "2025-06-01"}, [], [], D,
        [(MI, "pending", None, "2025-08-30", None)],
    ),
    "overdue: never done after grace": (
        [requirement(new_starter_days=90)], {}, [], [], D,
        [(MI, "overdue", None, "2020-03-31", 1917)],
    ),
    "overdue: deadline passed, no start date": (
        [requirement(new_starter_days=90, deadline="2025-03-31")], {"start_date": None}, [], [], D,
        [(MI, "overdue", None, "2025-03-31", 91)],
    ),
    "overdue: no start and no deadline": (
        [requirement(new_starter_days=90)], {"start_date": None}, [], [], D,
        [(MI, "overdue", None, None, None)],
    ),
    "overdue: no grace and no deadline": (
        [requirement()], {"start_date": "2025-06-01"}, [], [], D,
        [(MI, "overdue", None, None, None)],
    ),
    "exempt: open range": (
        [requirement()], {}, [], [(MI, None, None)], D,
        [(MI, "exempt", None, None, None)],
    ),
    "not exempt: range starts after as-of": (
        [requirement()], {}, [], [(MI, "2025-07-01", "2025-12-31")], D,
        [(MI, "overdue", None, None, None)],
    ),
    "exempt: range is exactly the as-of date (inclusive ends)": (
        [requirement()], {}, [], [(MI, D, D)], D,
        [(MI, "exempt", None, None, None)],
    ),
    "not exempt: range ended before as-of": (
        [requirement()], {}, [], [(MI, "2025-01-01", "2025-06-29")], D,
        [(MI, "overdue", None, None, None)],
    ),
    "exempt: from only, started": (
        [requirement()], {}, [], [(MI, "2025-01-01", None)], D,
        [(MI, "exempt", None, None, None)],
    ),
    "exempt: * covers every course": (
        [requirement(), {"course": SEC}], {}, [], [("*", None, None)], D,
        [(SEC, "exempt", None, None, None), (MI, "exempt", None, None, None)],
    ),
    "exempt: named by an alias or code of the requirement, in any case": (
        [requirement(aliases=["MI-101"]), {"course": SEC}], {}, [], [("mi-101", None, None)], D,
        [(SEC, "overdue", None, None, None), (MI, "exempt", None, None, None)],
    ),
    "exempt: a requirement's own course name wins over another's alias": (
        [requirement(), {"course": SEC, "aliases": [MI]}], {}, [], [(MI, None, None)], D,
        [(SEC, "overdue", None, None, None), (MI, "exempt", None, None, None)],
    ),
    "not exempt: a course that is no requirement": (
        [requirement()], {}, [], [("Manual Handling", None, None)], D,
        [(MI, "overdue", None, None, None)],
    ),
    "exempt beats a completion; other course unaffected": (
        [requirement(renewal_months=12), {"course": SEC}], {}, [(MI, None, "2024-01-01")],
        [(MI, None, None)], D,
        [(SEC, "overdue", None, None, None), (MI, "exempt", "2024-01-01", "2025-01-01", None)],
    ),
    "not_before excludes an older completion": (
        [requirement(not_before="2024-10-01", new_starter_days=90)], {},
        [(MI, None, "2024-09-30")], [], D,
        [(MI, "overdue", None, "2020-03-31", 1917)],
    ),
    "not_before: a completion on that date counts": (
        [requirement(not_before="2024-10-01")], {},
        [(MI, None, "2024-10-01"), (MI, None, "2023-01-01")], [], D,
        [(MI, "compliant", "2024-10-01", None, None)],
    ),
    "completion after as-of ignored": (
        [requirement(renewal_months=12)], {},
        [(MI, None, "2025-07-01"), (MI, None, "2024-01-01")], [], D,
        [(MI, "overdue", "2024-01-01", "2025-01-01", 180)],
    ),
    "latest counting completion decides": (
        [requirement(renewal_months=12)], {},
        [(MI, None, "2023-01-01"), (MI, None, "2025-01-10"), (MI, None, "2024-05-05")], [], D,
        [(MI, "compliant", "2025-01-10", "2026-01-10", None)],
    ),
    "leaver before as-of: out of scope": (
        [requirement()], {"leave_date": "2025-06-29"}, [], [], D, [],
    ),
    "leaving on as-of: in scope": (
        [requirement()], {"leave_date": D}, [(MI, None, "2021-01-01")], [], D,
        [(MI, "compliant", "2021-01-01", None, None)],
    ),
    "future starter: out of scope": (
        [requirement()], {"start_date": "2025-07-01"}, [], [], D, [],
    ),
    "starting on as-of: in scope": (
        [requirement(new_starter_days=0)], {"start_date": D}, [], [], D,
        [(MI, "pending", None, D, None)],
    ),
    "month-end clamping: 2024-01-31 + 1 month": (
        [requirement(renewal_months=1)], {}, [(MI, None, "2024-01-31")], [], "2024-02-29",
        [(MI, "expiring", "2024-01-31", "2024-02-29", None)],
    ),
    "month-end clamping: 2024-01-31 + 13 months": (
        [requirement(renewal_months=13)], {}, [(MI, None, "2024-01-31")], [], "2025-03-01",
        [(MI, "overdue", "2024-01-31", "2025-02-28", 1)],
    ),
    "applies_to staff_type: match": (
        [requirement(applies_to={"staff_type": ["staff", "officer"]})], {},
        [(MI, None, "2024-01-01")], [], D,
        [(MI, "compliant", "2024-01-01", None, None)],
    ),
    "applies_to staff_type: no match": (
        [requirement(applies_to={"staff_type": ["pcso"]})], {}, [], [], D, [],
    ),
    "applies_to staff_type: missing staff type does not match": (
        [requirement(applies_to={"staff_type": ["officer"]})], {"staff_type": None}, [], [], D, [],
    ),
    "applies_to unit: prefix by whole levels": (
        [requirement(applies_to={"unit": ["Crime / CID"]})], {}, [], [], D,
        [(MI, "overdue", None, None, None)],
    ),
    "applies_to unit: case-insensitive, spacing around /": (
        [requirement(applies_to={"unit": ["crime/cid"]})], {}, [], [], D,
        [(MI, "overdue", None, None, None)],
    ),
    "applies_to unit: Crime does not cover Crime Command": (
        [requirement(applies_to={"unit": ["Crime"]})], {"unit": "Crime Command / Intel"},
        [], [], D, [],
    ),
    "applies_to unit: whole path": (
        [requirement(applies_to={"unit": ["Crime / CID / Team 1"]})], {}, [], [], D,
        [(MI, "overdue", None, None, None)],
    ),
    "applies_to unit: no unit does not match": (
        [requirement(applies_to={"unit": ["Crime"]})], {"unit": None}, [], [], D, [],
    ),
    "applies_to role: case-insensitive": (
        [requirement(applies_to={"role": ["constable", "Sergeant"]})], {}, [], [], D,
        [(MI, "overdue", None, None, None)],
    ),
    "applies_to role: no match": (
        [requirement(applies_to={"role": ["Sergeant"]})], {}, [], [], D, [],
    ),
    "applies_to: every key must match": (
        [requirement(applies_to={"role": ["Constable"], "staff_type": ["staff"]})], {},
        [], [], D, [],
    ),
    "alias title, folded": (
        [requirement(aliases=["Management of Information"])], {},
        [("management  of information", None, "2024-01-01")], [], D,
        [(MI, "compliant", "2024-01-01", None, None)],
    ),
    "course title folded (case, dash, space)": (
        [{"course": "Data Protection \u2013 Refresher"}], {},
        [("DATA protection - refresher ", None, "2024-01-01")], [], D,
        [("Data Protection \u2013 Refresher", "compliant", "2024-01-01", None, None)],
    ),
    "course code alias": (
        [requirement(aliases=["MI-101"])], {}, [("Unrelated title", "mi-101", "2024-01-01")],
        [], D, [(MI, "compliant", "2024-01-01", None, None)],
    ),
    "regex alias": (
        [requirement(aliases=["/managing\\s+info/"])], {},
        [("Managing   Info (Operational) v2", None, "2024-01-01")], [], D,
        [(MI, "compliant", "2024-01-01", None, None)],
    ),
    "unknown course does not count": (
        [requirement()], {}, [("Managing Informatics", None, "2024-01-01")], [], D,
        [(MI, "overdue", None, None, None)],
    ),
    "one completion counts for two requirements": (
        [requirement(aliases=["Combined IG course"]), {"course": SEC, "aliases": ["/combined/"]}],
        {}, [("Combined IG Course", None, "2024-01-01")], [], D,
        [
            (SEC, "compliant", "2024-01-01", None, None),
            (MI, "compliant", "2024-01-01", None, None),
        ],
    ),
    "due_soon_days default from the rules file": (
        [requirement(renewal_months=12)], {}, [(MI, None, "2024-07-31")], [], D,
        [(MI, "expiring", "2024-07-31", "2025-07-31", None)],
    ),
}


@pytest.mark.parametrize(
    ("requirements", "person", "done", "exempt", "as_of", "expected"),
    list(CASES.values()),
    ids=list(CASES),
)
def test_status_rules(requirements, person, done, exempt, as_of, expected):
    rules = rules_from_dict({"due_soon_days": 31, "requirements": requirements})
    force = roster([person])
    events = completions([("1", course, code, when) for course, code, when in done])
    excused = exemptions([("1", course, start, until) for course, start, until in exempt])
    status = compute_status(force, events, rules, as_of, excused)
    got = [
        (
            row.course,
            row.status,
            _iso(row.last_completed),
            _iso(row.due_date),
            None if pd.isna(row.days_overdue) else int(row.days_overdue),
        )
        for row in status.itertuples()
    ]
    want = [
        (course, state, last, due, days)
        for course, state, last, due, days in expected
    ]
    assert got == want


def _iso(value) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def test_due_soon_days_per_requirement_overrides_default():
    rules = rules_from_dict(
        {"due_soon_days": 60, "requirements": [requirement(renewal_months=12, due_soon_days=10)]}
    )
    status = compute_status(
        roster([{}]), completions([("1", MI, None, "2024-07-20")]), rules, D
    )
    assert status["status"].tolist() == ["compliant"]


def test_output_columns_dtypes_order_and_evidence():
    rules = rules_from_dict({"requirements": [requirement(renewal_months=12), {"course": SEC}]})
    force = roster([{}, {"unit": "Response"}, {"person_id": "10"}])
    events = completions(
        [
            ("1", MI, None, "2025-01-01"),
            ("1", MI, None, "2024-01-01"),
            ("10", SEC, None, "2024-02-02"),
        ]
    )
    excused = exemptions([("2", MI, None, None)])
    status = compute_status(force, events, rules, date(2025, 6, 30), excused)

    assert list(status.columns) == [
        "person_id", "name", "unit", "course", "status", "last_completed", "due_date",
        "days_overdue", "email", "role", "staff_type", "manager", "start_date", "leave_date",
        "unit_1", "unit_2", "unit_3", "evidence_file", "evidence_row", "exemption_reason",
    ]  # fmt: skip
    assert list(zip(status["person_id"], status["course"], strict=True)) == [
        ("1", SEC), ("1", MI), ("10", SEC), ("10", MI), ("2", SEC), ("2", MI),
    ]  # fmt: skip
    assert list(status["status"].cat.categories) == list(STATUSES)
    assert status["days_overdue"].dtype == "Int64"
    assert status["last_completed"].dtype == "datetime64[ns]"
    assert status["due_date"].dtype == "datetime64[ns]"
    first = status.iloc[1]
    assert (first["evidence_file"], first["evidence_row"]) == ("lms.csv", 2)
    assert status.iloc[2]["evidence_row"] == 4
    assert pd.isna(status.iloc[0]["evidence_row"])
    assert status.iloc[5]["exemption_reason"] == "maternity leave"
    assert status.iloc[4]["unit"] == "Response"


def test_same_day_completions_cite_the_later_row():
    rules = rules_from_dict({"requirements": [requirement(aliases=["MI-101"])]})
    events = completions(
        [
            ("1", MI, None, "2024-03-01"),
            ("1", "Other", "MI-101", "2024-03-01"),
            ("1", MI, None, "2024-01-01"),
        ]
    )
    status = compute_status(roster([{}]), events, rules, D)
    assert status["evidence_row"].tolist() == [3]


def test_completions_for_people_not_on_roster_are_ignored():
    rules = rules_from_dict({"requirements": [requirement()]})
    status = compute_status(roster([{}]), completions([("99", MI, None, "2024-01-01")]), rules, D)
    assert status["status"].tolist() == ["overdue"]


def test_duplicate_person_ids_are_refused():
    rules = rules_from_dict({"requirements": [requirement()]})
    with pytest.raises(UnusableInput, match="person_id '1' more than once"):
        compute_status(roster([{}, {"person_id": "1"}]), completions([]), rules, D)


def test_no_requirements_gives_empty_table():
    status = compute_status(roster([{}]), completions([]), rules_from_dict({"requirements": []}), D)
    assert status.empty
    assert list(status.columns)[:8] == [
        "person_id", "name", "unit", "course", "status", "last_completed", "due_date",
        "days_overdue",
    ]  # fmt: skip


# --- property-style cross-check against a deliberately simple reference --------------------


def reference_status(force, events, rules, as_of, excused) -> list[tuple]:
    """Per (person, requirement) loops straight from DESIGN.md; slow but obvious."""
    as_of = pd.Timestamp(as_of)
    done: dict[str, list] = {}
    for event in events.itertuples():
        done.setdefault(event.person_id, []).append(event)
    excuses: dict[str, list] = {}
    for ex in excused.rename(columns={"from": "start"}).itertuples():
        excuses.setdefault(ex.person_id, []).append(ex)
    out = []
    for person in force.itertuples():
        if pd.notna(person.start_date) and person.start_date > as_of:
            continue
        if pd.notna(person.leave_date) and person.leave_date < as_of:
            continue
        for req in sorted(rules.requirements, key=lambda r: r.course):
            if not _applies(req, person):
                continue
            mine = done.get(person.person_id, []), excuses.get(person.person_id, [])
            out.append((person.person_id, req.course, *_one(req, rules, person, *mine, as_of)))
    return sorted(out, key=lambda row: (row[0], row[1]))


def _applies(req, person) -> bool:
    scope = req.applies_to
    if scope.staff_type and person.staff_type not in scope.staff_type:
        return False
    if scope.role and (person.role or "").lower() not in {r.lower() for r in scope.role}:
        return False
    if scope.unit:
        path = (person.unit or "").lower()
        return any(path == u.lower() or path.startswith(u.lower() + " / ") for u in scope.unit)
    return True


def _one(req, rules, person, events, excused, as_of):
    titles = {req.course.lower(), *(a.lower() for a in req.aliases)}
    last = None
    for event in events:
        if event.completed_on > as_of:
            continue
        if event.course.lower() not in titles and (event.course_code or "").lower() not in titles:
            continue
        if req.not_before and event.completed_on < pd.Timestamp(req.not_before):
            continue
        last = event.completed_on if last is None else max(last, event.completed_on)
    for ex in excused:
        if ex.course in ("*", req.course):
            started = pd.isna(ex.start) or ex.start <= as_of
            if started and (pd.isna(ex.until) or as_of <= ex.until):
                return ("exempt",)
    if last is not None:
        if req.renewal_months is None:
            return ("compliant", last, None, None)
        due = last + pd.DateOffset(months=req.renewal_months)
        if as_of > due:
            return ("overdue", last, due, (as_of - due).days)
        soon = rules.due_soon_for(req)
        return ("expiring" if (due - as_of).days <= soon else "compliant", last, due, None)
    candidates = []
    if req.new_starter_days is not None and pd.notna(person.start_date):
        candidates.append(person.start_date + pd.Timedelta(days=req.new_starter_days))
    if req.deadline:
        candidates.append(pd.Timestamp(req.deadline))
    if candidates and as_of <= max(candidates):
        return ("pending", None, max(candidates), None)
    due = max(candidates) if candidates else None
    return ("overdue", None, due, None if due is None else (as_of - due).days)


def random_force(seed: int):
    rng = np.random.default_rng(seed)
    n = 40
    units = ["Crime / CID", "Crime Command / Intel", "Crime", "Response / North", None]
    day = pd.Timestamp("2022-01-01")

    def some_day(low: int, high: int, missing: float = 0.0):
        if rng.random() < missing:
            return None
        return day + pd.Timedelta(days=int(rng.integers(low, high)))

    force = roster(
        [
            {
                "person_id": str(rng.integers(1, 10_000)) + f"-{i}",
                "unit": units[rng.integers(len(units))],
                "role": ["Constable", "Sergeant", "Analyst"][rng.integers(3)],
                "staff_type": ["officer", "staff", "pcso"][rng.integers(3)],
                "start_date": some_day(-900, 1200, missing=0.2),
                "leave_date": some_day(0, 1500, missing=0.7),
            }
            for i in range(n)
        ]
    )
    requirements = [
        {"course": "A", "aliases": ["a-1"], "renewal_months": 12, "new_starter_days": 60},
        {"course": "B", "applies_to": {"unit": ["Crime"]}, "deadline": "2023-06-30",
         "not_before": "2022-06-01"},
        {"course": "C", "aliases": ["A"], "renewal_months": 1, "due_soon_days": 10,
         "applies_to": {"staff_type": ["officer", "pcso"], "role": ["constable"]}},
        {"course": "D", "new_starter_days": 30, "deadline": "2024-01-31", "renewal_months": 25},
    ]  # fmt: skip
    rules = rules_from_dict({"due_soon_days": 45, "requirements": requirements})
    ids = force["person_id"].to_numpy()
    titles = ["A", "B", "C", "D", "a", "Other"]
    events = completions(
        [
            (
                ids[rng.integers(n)],
                titles[rng.integers(len(titles))],
                "A-1" if rng.random() < 0.1 else None,
                some_day(-400, 1000),
            )
            for _ in range(250)
        ]
    )
    excused = exemptions(
        [
            (
                ids[rng.integers(n)],
                ["A", "B", "*"][rng.integers(3)],
                some_day(0, 700, missing=0.4),
                some_day(300, 1100, missing=0.4),
            )
            for _ in range(12)
        ]
    )
    return force, events, rules, excused


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("as_of", ["2022-01-31", "2023-02-28", "2023-06-30", "2024-12-31"])
def test_matches_reference_implementation(seed, as_of):
    force, events, rules, excused = random_force(seed)
    got = reference_rows(compute_status(force, events, rules, as_of, excused))
    assert got == reference_status(force, events, rules, as_of, excused)
    assert len(got) > 0


def reference_rows(status: pd.DataFrame) -> list[tuple]:
    """The status table as :func:`reference_status` tuples."""
    got = []
    for row in status.itertuples():
        if row.status == "exempt":
            got.append((row.person_id, row.course, "exempt"))
            continue
        last = None if pd.isna(row.last_completed) else row.last_completed
        due = None if pd.isna(row.due_date) else row.due_date
        days = None if pd.isna(row.days_overdue) else int(row.days_overdue)
        got.append((row.person_id, row.course, row.status, last, due, days))
    return got


@pytest.mark.parametrize("seed", range(3))
def test_matches_reference_when_most_completions_are_other_courses(seed):
    # Under half the rows count for a requirement: the engine hashes only their IDs.
    force, events, rules, excused = random_force(seed)
    others = events.assign(course="Other", course_code=None)
    events = pd.concat([events, others, others], ignore_index=True)
    events["source_row"] = range(2, len(events) + 2)
    status = compute_status(force, events, rules, "2023-06-30", excused)
    assert reference_rows(status) == reference_status(force, events, rules, "2023-06-30", excused)


# --- the paths the engine takes for speed give the same tables --------------------------


def matched_force(seed: int):
    """A random force whose completions go through matching: some by email, some nobody's."""
    force, events, rules, excused = random_force(seed)
    rng = np.random.default_rng(seed)
    by_email = rng.random(len(events)) < 0.3
    emails = events["person_id"].map(force.set_index("person_id")["email"])
    events["email"] = np.where(by_email, emails, None)
    events["person_id"] = np.where(by_email, None, events["person_id"])
    strangers = events.iloc[:20].assign(person_id="NOBODY", email=None)
    events = pd.concat([strangers, events], ignore_index=True)
    events["source_row"] = range(2, len(events) + 2)
    return force, events, rules, excused


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("as_of", ["2022-01-31", "2023-06-30", "2024-12-31"])
def test_match_result_gives_the_same_table_as_the_matched_frame(seed, as_of):
    force, events, rules, excused = matched_force(seed)
    match = match_completions(force, events)
    expected = compute_status(force, match.completions, rules, as_of, excused)
    got = compute_status(force, match, rules, as_of, excused)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert reference_rows(got) == reference_status(force, match.completions, rules, as_of, excused)
    assert got["evidence_row"].notna().sum() > 0


def test_match_result_evidence_points_at_the_source_rows():
    # Rows before the evidence matched nobody: the cited row is the file's, not the matched one's.
    force = roster([{}, {"person_id": "2"}])
    events = completions(
        [
            ("X", MI, None, "2024-01-01"),
            ("2", MI, None, "2024-02-01"),
            ("1", MI, None, "2024-03-01"),
        ]
    )
    rules = rules_from_dict({"requirements": [requirement()]})
    status = compute_status(force, match_completions(force, events), rules, D)
    assert status["evidence_row"].tolist() == [4, 3]
    assert status["last_completed"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-01", "2024-02-01"]


@pytest.mark.parametrize("seed", range(3))
def test_categorical_courses_give_the_same_table(seed):
    force, events, rules, excused = random_force(seed)
    expected = compute_status(force, events, rules, "2023-06-30", excused)
    coded = events.astype({"course": "category", "course_code": "category"})
    got = compute_status(force, coded, rules, "2023-06-30", excused)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


@pytest.mark.parametrize("seed", range(3))
def test_one_model_evaluated_on_many_dates_matches_compute_status(seed):
    force, events, rules, excused = random_force(seed)
    model = StatusModel(force, index_completions(events, rules), excused)
    for day in pd.date_range("2021-12-31", "2025-06-30", freq="QE"):
        expected = compute_status(force, events, rules, day, excused)
        pd.testing.assert_frame_equal(model.frame(model.evaluate(day)), expected, check_exact=True)


@pytest.mark.parametrize("months", [1, 2, 11, 12, 13, 24, 36, 120])
def test_add_months_clamps_to_month_end_like_dateoffset(months):
    days = np.arange(np.datetime64("1995-01-01"), np.datetime64("2035-12-31"))
    expected = (pd.DatetimeIndex(days) + pd.DateOffset(months=months)).to_numpy()
    assert (add_months(days, months) == expected.astype("datetime64[D]")).all()
    assert add_months(np.array(["2024-01-31"], dtype="datetime64[D]"), 1)[0] == np.datetime64(
        "2024-02-29"
    )


def test_more_requirements_than_one_bit_mask_holds():
    # 20 requirements: the entry masks take two words; one title counts for three of them.
    names = [f"Course {n:02d}" for n in range(20)]
    requirements = [{"course": name, "renewal_months": 12} for name in names]
    requirements[17]["aliases"] = ["Course 03"]
    requirements[5]["aliases"] = ["Course 03"]
    rules = rules_from_dict({"requirements": requirements})
    force = roster([{}, {}])
    events = completions(
        [(str(1 + n % 2), names[n], None, f"2025-0{1 + n % 6}-15") for n in range(17)]
    )
    got = reference_rows(compute_status(force, events, rules, D))
    assert got == reference_status(force, events, rules, D, exemptions([]))
    assert [row[3] for row in got if row[:2] == ("2", "Course 17")] == [pd.Timestamp("2025-04-15")]


@pytest.mark.parametrize("seed", range(3))
def test_categorical_completions_through_matching_give_the_same_table(seed):
    # What a store handing over dictionary-encoded text would give: every text a category.
    force, events, rules, excused = matched_force(seed)
    expected = compute_status(force, match_completions(force, events), rules, D, excused)
    text = ["person_id", "email", "course", "course_code", "source_file"]
    coded = events.astype(dict.fromkeys(text, "category"))
    match = match_completions(force, coded)
    got = compute_status(force, match, rules, D, excused)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    pd.testing.assert_frame_equal(
        compute_status(force, match.completions, rules, D, excused), expected, check_exact=True
    )


@pytest.mark.parametrize("seed", range(3))
def test_one_model_evaluated_on_dates_in_any_order_matches_compute_status(seed):
    # The model keeps the latest completion per pair between dates: later dates add to
    # it, an earlier date starts again.
    force, events, rules, excused = random_force(seed)
    model = StatusModel(force, index_completions(events, rules), excused)
    days = pd.date_range("2021-12-31", "2025-06-30", freq="QE")
    order = np.random.default_rng(seed).permutation(len(days))
    for day in [*days[order], days[-1], days[0], days[0]]:
        expected = compute_status(force, events, rules, day, excused)
        pd.testing.assert_frame_equal(model.frame(model.evaluate(day)), expected, check_exact=True)
        pairs, status = model.statuses(day)
        assert status.tolist() == expected["status"].cat.codes.tolist()
        assert (pairs // model.n_req).tolist() == model.evaluate(day).person.tolist()


@pytest.mark.parametrize(
    "ids",
    [["009917", "12", "AB 1"], [9917, 12, 1], ["009917", None, "x7"]],
    ids=["written ids", "numbers", "a missing id"],
)
@pytest.mark.parametrize("part", [slice(None), slice(1, None), slice(None, 2)])
def test_exemptions_find_people_by_key_through_a_match_of_a_larger_roster(ids, part):
    # A trend matches once for every roster in force over the months; each month's
    # model takes the roster keys the match worked out, or works them out itself.
    everyone = roster([{"person_id": person} for person in ids])
    rules = rules_from_dict({"requirements": [requirement(), {"course": SEC}]})
    events = completions([(ids[0], MI, None, "2024-01-01"), (ids[2], SEC, None, "2024-02-01")])
    excused = exemptions(
        [("9917", MI, None, None), ("AB1", "*", None, None), ("12", SEC, None, None)]
    )
    month = everyone.iloc[part].reset_index(drop=True)
    match = match_completions(everyone, events)
    model = StatusModel(month, index_completions(match, rules), excused)
    matched = match_completions(month, events).completions
    expected = compute_status(month, matched, rules, D, excused)
    got = model.frame(model.evaluate(D))
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    excused_for = {"9917": {MI}, "AB1": {MI, SEC}, "12": {SEC}}
    keys = dict(zip(month["person_id"], normalise_ids(month["person_id"]), strict=True))
    exempt = got[got["status"] == "exempt"]
    assert sorted(zip(exempt["person_id"], exempt["course"], strict=True), key=str) == sorted(
        ((person, course) for person, key in keys.items() for course in excused_for.get(key, ())),
        key=str,
    )
