"""Header names as people write them, per canonical field, and the words for "done".

Synonyms are written here as people type them; :mod:`loaders.headers` folds both sides
the same way (lower-cased, punctuation removed, white space collapsed), so
``"E-mail Address"`` matches ``"email address"``. A header must equal a synonym once
folded: containing one is not enough (``Course Completion Status`` is not ``course``).

Some fields are internal helpers that never reach a canonical frame: ``first_name`` and
``surname`` build ``name``; ``username`` becomes ``email`` only when it holds emails;
``status`` filters completions; ``unit`` may match several columns (one per level).
"""

from __future__ import annotations

KINDS: tuple[str, ...] = ("roster", "completions", "exemptions")
IGNORE = "ignore"
UNIT = "unit"

_PEOPLE: dict[str, tuple[str, ...]] = {
    "person_id": (
        "collar number", "collar no", "warrant number", "warrant no",
        "payroll number", "payroll no", "employee number", "employee no", "employee id",
        "staff number", "staff no", "staff id", "personnel number", "personnel no",
        "force number", "user id", "id number", "service number", "person id", "emp no",
        "pers no", "person number", "person reference", "payroll id",
    ),
    "email": (
        "email", "email address", "e-mail", "e-mail address", "work email",
        "work email address",
    ),
    "username": ("username", "user name", "login"),
    "name": ("name", "full name", "staff name", "user's fullname", "employee name"),
    "first_name": ("first name", "forename", "forenames", "given name", "given names"),
    "surname": ("surname", "last name", "family name"),
}

_ROSTER: dict[str, tuple[str, ...]] = {
    UNIT: (
        "division", "bcu", "basic command unit", "district", "command", "directorate",
        "area", "department", "unit", "section", "team", "station", "organisation",
        "org unit", "cost centre name", "organisational unit", "organizational unit",
        "business unit",
    ),
    "role": (
        "rank", "role", "job title", "position", "grade", "rank grade", "grade rank",
        "rank or grade", "job", "post title", "position title",
    ),
    "staff_type": (
        "staff type", "employee type", "employee category", "worker type", "officer/staff",
        "employee group", "staff group", "person type", "assignment category",
    ),
    "start_date": (
        "start date", "date joined", "joining date", "date of joining", "hire date",
        "employment start", "service start",
    ),
    "leave_date": ("leaving date", "leave date", "end date", "termination date", "date left"),
    "manager": ("manager", "line manager", "supervisor", "reports to", "manager name"),
}

_COURSE: dict[str, tuple[str, ...]] = {
    "course": (
        "course", "course name", "course title", "learning item", "learning item title",
        "module", "training", "activity", "item title",
    ),
    "course_code": ("course code", "item id"),
}

_COMPLETIONS: dict[str, tuple[str, ...]] = {
    **_COURSE,
    "completed_on": (
        "completion date", "completed date", "date completed", "completed on",
        "completion time", "date passed", "achieved on", "certificate date",
    ),
    "status": ("completion status", "status", "result", "outcome", "course complete"),
}

_EXEMPTIONS: dict[str, tuple[str, ...]] = {
    **_COURSE,
    "from": (
        "from", "from date", "date from", "start", "start date", "exempt from",
        "exemption start", "valid from", "effective from",
    ),
    "until": (
        "until", "to", "to date", "date to", "until date", "end", "end date", "exempt until",
        "exemption end", "valid until", "valid to", "expiry", "expiry date", "expires",
    ),
    "reason": (
        "reason", "exemption reason", "reason for exemption", "notes", "note", "comment",
        "comments", "justification",
    ),
}

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "roster": {**_PEOPLE, **_ROSTER},
    "completions": {**_PEOPLE, **_COMPLETIONS},
    "exemptions": {**_PEOPLE, **_EXEMPTIONS},
}
"""kind -> field -> synonyms (as written; folded when used)."""

FIELDS: dict[str, tuple[str, ...]] = {
    "roster": (
        "person_id", "name", "first_name", "surname", "email", UNIT, "role", "staff_type",
        "start_date", "leave_date", "manager",
    ),
    "completions": ("person_id", "email", "course", "course_code", "completed_on", "status"),
    "exemptions": ("person_id", "email", "course", "from", "until", "reason"),
}
"""kind -> the fields a user can map a column to (besides ``"ignore"``)."""

ROSTER_ONLY: frozenset[str] = frozenset({UNIT, "role", "staff_type", "start_date", "leave_date"})

DONE_WORDS: frozenset[str] = frozenset(
    {"completed", "complete", "passed", "pass", "attended", "achieved", "certified", "yes",
     "y", "true"}
)
"""A status that is one of these, or starts with one and says nothing negative, is done."""

NOT_DONE_WORDS: frozenset[str] = frozenset(
    {"not", "no", "fail", "failed", "failure", "unsuccessful", "unsuccessfully", "didnt",
     "incomplete", "expired", "withdrawn", "cancelled", "canceled", "progress", "pending",
     "enrolled", "attempted", "started", "awaiting", "retake", "resit", "false"}
)
"""Any of these words anywhere in a status means not done ("Completed (did not pass)")."""

NULL_TEXTS: frozenset[str] = frozenset(
    {"", "-", "--", "n/a", "na", "#n/a", "none", "null", "nil", "nan", "nat"}
)
"""Cell texts that exported spreadsheets use for "empty" (compared lower-cased)."""

WIDE_NONE_TEXTS: frozenset[str] = NULL_TEXTS | {"not completed", "not complete", "no"}
"""In a wide layout's course cells these also mean "no completion"."""

ALL_COURSE_TEXTS: frozenset[str] = frozenset({"*", "all", "all courses", "any", "every course"})
"""Exemption course values meaning every requirement."""

STAFF_TYPES: dict[str, str] = {
    "police officer": "officer",
    "officer": "officer",
    "officers": "officer",
    "police staff": "staff",
    "staff": "staff",
    "pcso": "pcso",
    "police community support officer": "pcso",
    "special constable": "special",
    "special": "special",
    "specials": "special",
    "volunteer": "volunteer",
    "police support volunteer": "volunteer",
}
"""Folded staff-type text -> canonical value; anything else is kept lower-cased."""
