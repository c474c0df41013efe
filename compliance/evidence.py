"""The incident check: per person and course, the answer on a date and the records behind it.

"Were these officers trained on the date of the incident?" The statuses are the engine's,
read from the date's :class:`~compliance.snapshot.Snapshot` (the roster in force then,
the completions matched to it once) and put into words by :func:`compliance.explain.explain`;
this module only adds what an investigator files with them: which completion decided each
answer and which later one put it right, each traced to its file, row and import (the
:class:`Provenance` the access layer read), the roster snapshot used, and every warning.
A person missing from the roster in force is never "not required": the answer says they
were not on it, and where the nearest roster snapshot that lists them placed them.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from compliance import explain
from compliance.evidence_model import (
    DAY,
    Evidence,
    PersonEvidence,
    Provenance,
    Request,
    Sighting,
    history_row,
    roster_words,
    rules_row,
)
from compliance.scope import keep_values
from compliance.snapshot import NO_RULES, Snapshot
from loaders.ids import normalise_ids

ANSWER_OF_STATUS: dict[str, str] = {
    "compliant": "trained",
    "expiring": "trained",
    "overdue": "not trained",
    "pending": "not yet due",
    "exempt": "exempt",
}
NOT_REQUIRED = "not required"
NOT_ON_ROSTER = "not on the roster in force"
CITING_STATUSES = ("compliant", "expiring", "overdue")
"""Statuses decided by a completion (an exemption or a grace period decides the others)."""
ANSWER_COLUMNS: tuple[str, ...] = (
    "course", "answer", "status", "due_date", "decided_by",
    "deciding_completed_on", "deciding_title", "deciding_file", "deciding_row",
    "deciding_import", "later_completed_on", "later_days_after", "later_title",
    "later_file", "later_row", "later_import",
)  # fmt: skip


def split_ids(text: str) -> tuple[str, ...]:
    """IDs pasted one per line or separated by commas, semicolons or spaces, each once.

    >>> split_ids("009917, 4321\\n009917")
    ('009917', '4321')
    """
    return tuple(dict.fromkeys(part for part in re.split(r"[\s,;]+", text) if part))


def resolve(roster: pd.DataFrame, asked: tuple[str, ...]) -> dict[str, str | None]:
    """Each ID as typed -> the roster's ``person_id`` (as HR wrote it) with the same key."""
    keys = normalise_ids(roster["person_id"]).astype(object).to_numpy()
    ids = roster["person_id"].astype(object).to_numpy()
    found = dict(zip(keys, ids, strict=True))
    return {query: found.get(key_of(query)) for query in asked}


def key_of(query: str) -> str | None:
    """The matching key of a typed ID (``057680`` and ``57680`` are one person)."""
    key = normalise_ids(pd.Series([query], dtype=object)).iloc[0]
    return None if pd.isna(key) else str(key)


def check(seen: Snapshot, request: Request, provenance: Provenance) -> Evidence:
    """Every person asked about, on ``request.when``: ``seen`` is that date's snapshot
    (in the user's scope); nobody outside it is found."""
    in_force = history_row(provenance.imports, provenance.roster_import)
    courses = request.courses or (seen.rules.courses if seen.rules else ())
    found = resolve(seen.roster, request.people)
    people, unknown, done = [], [], set()
    for asked, person_id in found.items():
        sighting = provenance.sightings.get(key_of(asked) or "")
        if person_id is None and sighting is None:
            unknown.append(asked)
            continue
        if (person_id or sighting.person["person_id"]) in done:
            continue
        done.add(person_id or sighting.person["person_id"])
        people.append(_person(seen, request, courses, provenance, asked, person_id, sighting,
                              in_force))
    return Evidence(
        request=request,
        roster=in_force,
        rules=rules_row(provenance.imports),
        people=tuple(people),
        unknown=tuple(unknown),
        sources=_sources(provenance, people, in_force),
        warnings=tuple(_document_warnings(seen, request, in_force, provenance, unknown)),
    )


def _person(
    seen: Snapshot, request: Request, courses: tuple[str, ...], provenance: Provenance,
    asked: str, person_id: str | None, sighting: Sighting | None, in_force: pd.Series | None,
) -> PersonEvidence:
    if person_id is None:
        answers = pd.DataFrame({
            "course": list(courses), "answer": NOT_ON_ROSTER,
            "decided_by": f"not on the roster in force on {request.when:{DAY}}",
        })  # fmt: skip
        where = sighting.person
        warning = (
            f"{where.get('name') or asked} ({where['person_id']}) is not on the roster in force"
            f" on {request.when:{DAY}} ({roster_words(in_force)}). The nearest roster snapshot "
            f"that lists them, {sighting.file} (import {sighting.import_id}) as at "
            f"{sighting.as_at:{DAY}}, shows {_placement(where)}."
        )
        return PersonEvidence(asked, None, sighting, _complete(answers), (warning,))
    person = keep_values(seen.roster, "person_id", [person_id]).iloc[0]
    status = keep_values(seen.status, "person_id", [person_id])
    status = status[status["course"].isin(courses)]
    note = explain.scope_note(person, request.when)
    answers = _answers(seen, person_id, status, courses, request.when, provenance)
    answers["decided_by"] = answers["decided_by"].fillna(
        note or "the requirement did not apply to their staff type, unit or role then"
    )
    warnings = [note]
    if request.time is not None:
        same_day = answers["deciding_completed_on"].eq(request.when).fillna(False)
        warnings += [
            f"The {course} completion that decides the answer for {person.get('name')} is dated "
            f"{request.when:{DAY}} itself: the record has no time of day, so it cannot show "
            f"whether it was done before {request.time:%H:%M}."
            for course in answers.loc[same_day.to_numpy(dtype=bool), "course"]
        ]
    return PersonEvidence(asked, person, None, answers, tuple(w for w in warnings if w))


def _answers(
    seen: Snapshot, person_id: str, status: pd.DataFrame, courses: tuple[str, ...],
    when: pd.Timestamp, provenance: Provenance,
) -> pd.DataFrame:
    """One row per course: the engine's answer, its deciding and its later completion."""
    explained = explain.explain(status, when).drop(columns="compliant_on_date")
    rows = pd.DataFrame({"course": list(courses)}).merge(explained, on="course", how="left")
    rows["answer"] = rows["status"].astype("string").map(ANSWER_OF_STATUS).fillna(NOT_REQUIRED)
    counting = _counting(seen, person_id, provenance)
    deciding = rows[rows["status"].isin(CITING_STATUSES) & rows["last_completed"].notna()].merge(
        counting,
        left_on=["course", "last_completed", "evidence_file", "evidence_row"],
        right_on=["requirement", "completed_on", "source_file", "source_row"],
    ).drop_duplicates("course")
    after = counting[counting["completed_on"] > when].sort_values(["completed_on", "label"])
    later = after.drop_duplicates("requirement")
    rows = rows.merge(_cited(deciding, "deciding"), on="course", how="left").merge(
        _cited(later.rename(columns={"requirement": "course"}), "later"), on="course", how="left"
    )
    rows["later_days_after"] = (pd.to_datetime(rows["later_completed_on"]) - when).dt.days
    return _complete(rows)


def _counting(seen: Snapshot, person_id: str, provenance: Provenance) -> pd.DataFrame:
    """The person's dated completions that count for each requirement (its title or code
    matches, on or after its ``not_before``), with the import each came from."""
    mine = keep_values(seen.completions, "person_id", [person_id])
    mine = mine[mine["completed_on"].notna()]
    rules = seen.rules or NO_RULES
    pairs = pd.concat([rules.matches(mine["course"].astype(object)),
                       rules.matches(mine["course_code"].astype(object))])
    pairs = pairs.drop_duplicates().rename(columns={"index": "label", "course": "requirement"})
    rows = mine.loc[pairs["label"]]
    not_before = {r.course: r.not_before for r in rules.requirements}
    floor = pd.to_datetime(pairs["requirement"].astype(object).map(not_before))
    keep = (floor.isna() | (rows["completed_on"].to_numpy() >= floor.to_numpy())).to_numpy()
    return pd.DataFrame({
        "requirement": pairs["requirement"].astype(object).to_numpy()[keep],
        "completed_on": rows["completed_on"].to_numpy()[keep],
        "source_file": rows["source_file"].astype(object).to_numpy()[keep],
        "source_row": pd.array(rows["source_row"], dtype="Int64")[keep],
        "title": rows["course"].astype(object).to_numpy()[keep],
        "import_id": pd.array(provenance.completion_import.reindex(pairs["label"]),
                              dtype="Int64")[keep],
        "label": pairs["label"].to_numpy()[keep],
    })  # fmt: skip


def _cited(rows: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """A completion's columns under ``deciding_`` or ``later_`` names."""
    columns = {"completed_on": "completed_on", "title": "title", "source_file": "file",
               "source_row": "row", "import_id": "import"}
    course = rows["course"] if "course" in rows else rows["requirement"]
    return pd.DataFrame(
        {"course": course.to_numpy(),
         **{f"{prefix}_{new}": rows[old].to_numpy() for old, new in columns.items()}}
    )  # fmt: skip


def _complete(rows: pd.DataFrame) -> pd.DataFrame:
    """Every :data:`ANSWER_COLUMNS` column, missing ones empty, dates as dates."""
    out = rows.reindex(columns=list(ANSWER_COLUMNS)).reset_index(drop=True)
    for column in ("due_date", "deciding_completed_on", "later_completed_on"):
        out[column] = pd.to_datetime(out[column])
    for column in ("deciding_row", "deciding_import", "later_row", "later_import",
                   "later_days_after"):
        out[column] = pd.to_numeric(out[column]).astype("Int64")
    return out


def _placement(person: pd.Series) -> str:
    """``unit North / CID, role Constable, staff type officer, started 01 Mar 2015``."""
    parts = [f"unit {person.get('unit') or 'not recorded'}",
             f"role {person.get('role') or 'not recorded'}",
             f"staff type {person.get('staff_type') or 'not recorded'}"]
    for column, word in (("start_date", "started"), ("leave_date", "left")):
        value = pd.to_datetime(person.get(column))
        if pd.notna(value):
            parts.append(f"{word} {value:{DAY}}")
    return ", ".join(parts)


def _sources(
    provenance: Provenance, people: list[PersonEvidence], in_force: pd.Series | None
) -> pd.DataFrame:
    """The imports cited, in number order: the roster in force, the rules, the rosters an
    absent person was found on and every completion import an answer cites."""
    cited = [int(in_force["id"])] if in_force is not None else []
    rules = rules_row(provenance.imports)
    cited += [int(rules["id"])] if rules is not None else []
    for person in people:
        cited += [person.sighting.import_id] if person.sighting is not None else []
        for column in ("deciding_import", "later_import"):
            cited += person.answers[column].dropna().astype(int).tolist()
    history = provenance.imports
    chosen = history[history["id"].isin(np.unique(cited))].sort_values("id")
    return chosen[["id", "kind", "file", "sha256", "by", "at", "state", "effective_on"]]


def _document_warnings(
    seen: Snapshot, request: Request, in_force: pd.Series | None, provenance: Provenance,
    unknown: list[str],
) -> list[str]:
    warnings = []
    if in_force is not None and in_force["effective_on"] > request.when:
        warnings.append(
            f"No roster snapshot was in force on {request.when:{DAY}}: the earliest one, "
            f"{roster_words(in_force)}, is used, so people who left before it are missing."
        )
    rules = rules_row(provenance.imports)
    if rules is not None and pd.Timestamp(rules["at"]).normalize() > request.when:
        warnings.append(
            f"The rules applied are the version in force now ({rules['file']}, import "
            f"{int(rules['id'])}, imported {pd.Timestamp(rules['at']):{DAY}}), after "
            f"{request.when:{DAY}}: a requirement may have read differently then."
        )
    warnings += list(seen.notes)
    warnings += [
        f"No one with the ID {asked!r} is on any roster snapshot you may see." for asked in unknown
    ]
    return warnings
