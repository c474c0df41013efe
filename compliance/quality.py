"""Data-quality checks: the rows a training manager should fix before trusting the numbers.

Pure functions over canonical frames. Each returns a frame with the file and row the
finding came from, so the user can open the export and correct it at source. Likely
matches for unmatched completions are suggestions for a human, never used for statuses:
the design forbids guessing a person from a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from compliance import likely
from compliance.rules import Rules
from compliance.snapshot import Snapshot
from loaders.schema import ALL_COURSES

EARLIEST_PLAUSIBLE = pd.Timestamp("1990-01-01")
NAME_CUTOFF = 0.85
ID_CUTOFF = 0.8
TITLE_CUTOFF = 0.78
MAX_SUGGESTED = 500
"""Unmatched people looked up by similarity; more than this means a wrong file, not typos."""

SOURCE_COLUMNS: tuple[str, ...] = ("source_file", "source_row")
UNMATCHED_COLUMNS: tuple[str, ...] = (
    "source_file",
    "source_row",
    "person_id",
    "email",
    "course",
    "completed_on",
    "likely_person_id",
    "likely_name",
    "likely_by",
)
DATE_CHECKS: tuple[tuple[str, str, bool], ...] = (
    ("completions", "completed_on", True),
    ("roster", "start_date", False),
    ("roster", "leave_date", False),
)
"""(frame, column, future dates are wrong): a planned start or leaving date is normal."""


@dataclass(frozen=True)
class Findings:
    """Every check's rows, for the data-quality page."""

    unmatched: pd.DataFrame
    unknown_titles: pd.DataFrame
    missing_details: pd.DataFrame
    duplicates: pd.DataFrame
    implausible_dates: pd.DataFrame
    after_leaving: pd.DataFrame
    unused_exemptions: pd.DataFrame

    def counts(self) -> dict[str, int]:
        return {name: len(frame) for name, frame in vars(self).items()}


def find_all(snapshot: Snapshot, today: pd.Timestamp) -> Findings:
    """Run every check on a snapshot's whole roster and every completion row, using the
    person each row was matched to when the snapshot was taken (no second matching)."""
    roster, completions, rules = snapshot.roster, snapshot.all_completions, snapshot.rules
    person = snapshot.person_of_rows()
    exemptions = snapshot.exemptions
    requirement = pd.Series(pd.NA, index=completions.index, dtype="object")
    if rules is not None:
        for column in ("course", "course_code"):
            requirement = requirement.fillna(rules.match_titles(_text(completions, column)))
    unknown = unknown_titles(completions, requirement)
    if rules is not None and not unknown.empty:
        known = likely.known_titles(rules)
        unknown["suggested"] = likely.suggest_requirements(unknown["course"], known)
    return Findings(
        unmatched=unmatched_completions(completions, roster, person),
        unknown_titles=unknown,
        missing_details=missing_details(roster),
        duplicates=duplicate_people(roster),
        implausible_dates=implausible_dates(roster, completions, today),
        after_leaving=completed_after_leaving(completions, roster, person),
        unused_exemptions=unused_exemptions(exemptions, roster, rules),
    )


def unmatched_completions(
    completions: pd.DataFrame, roster: pd.DataFrame, person: pd.Series
) -> pd.DataFrame:
    """Completion rows that belong to nobody on the roster, with a likely person when one fits.

    ``person`` is the roster ``person_id`` each completion row matched (missing when none),
    as :func:`compliance.matching.match_completions` decided it.
    """
    completions, person = _aligned(completions, person)
    rows = completions.loc[person.isna()]
    out = _columns(rows, UNMATCHED_COLUMNS[:6]).reset_index(drop=True)
    guesses = likely.likely_people(out, roster)
    return pd.concat([out, guesses], axis=1).reindex(columns=list(UNMATCHED_COLUMNS))


def unknown_titles(completions: pd.DataFrame, requirement: pd.Series) -> pd.DataFrame:
    """Course titles that count for no requirement, most rows first, with where they came from.

    ``requirement`` is the requirement each completion row counts for (missing when none),
    as ``Rules.match_titles`` decided it.
    """
    completions, requirement = _aligned(completions, requirement)
    rows = completions.loc[requirement.isna() & (_text(completions, "course") != "")]
    columns = ["course", "rows", "people", "source_file", "source_row"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    who = _text(rows, "person_id").where(_text(rows, "person_id") != "", _text(rows, "email"))
    grouped = rows.assign(_who=who).groupby("course", sort=False)
    out = pd.DataFrame(
        {
            "rows": grouped.size(),
            "people": grouped["_who"].nunique(),
            "source_file": grouped["source_file"].first() if "source_file" in rows else pd.NA,
            "source_row": grouped["source_row"].first() if "source_row" in rows else pd.NA,
        }
    )
    out = out.rename_axis("course").reset_index()
    return out.sort_values(["rows", "course"], ascending=[False, True]).reset_index(drop=True)


def missing_details(roster: pd.DataFrame) -> pd.DataFrame:
    """People without a unit or a start date: they fall out of unit views or grace periods."""
    roster = roster.reset_index(drop=True)
    gaps = pd.DataFrame(
        {"unit": _blank(roster, "unit"), "start date": _blank(roster, "start_date")}
    )
    rows = gaps.any(axis=1)
    out = _columns(roster.loc[rows], ("person_id", "name", *SOURCE_COLUMNS))
    out.insert(2, "missing", gaps.loc[rows].dot(gaps.columns + ", ").str.rstrip(", "))
    return out.reset_index(drop=True)


def duplicate_people(roster: pd.DataFrame) -> pd.DataFrame:
    """Rows sharing an ID, or one email under several IDs: either puts a status on the wrong
    person."""
    roster = roster.reset_index(drop=True)
    same_id = roster["person_id"].notna() & roster["person_id"].duplicated(keep=False)
    email = _text(roster, "email").str.lower()
    has_email = email != ""
    ids_per_email = roster.loc[has_email].groupby(email[has_email])["person_id"].nunique()
    shared_email = has_email & email.map(ids_per_email).gt(1)
    reason = same_id.map({True: "duplicate ID", False: ""}).where(
        same_id, shared_email.map({True: "email shared by several IDs", False: ""})
    )
    rows = roster.loc[same_id | shared_email]
    out = _columns(rows, ("person_id", "name", "email", *SOURCE_COLUMNS))
    out.insert(3, "reason", reason[rows.index])
    return out.sort_values(["person_id", "email"], kind="stable").reset_index(drop=True)


def implausible_dates(
    roster: pd.DataFrame, completions: pd.DataFrame, today: pd.Timestamp
) -> pd.DataFrame:
    """Dates before 1990 (placeholder or typo) and completions dated in the future."""
    frames = {"roster": roster, "completions": completions}
    found = []
    for name, column, future_is_wrong in DATE_CHECKS:
        frame = frames[name].reset_index(drop=True)
        if column not in frame or frame.empty:
            continue
        dates = pd.to_datetime(frame[column])
        early = dates < EARLIEST_PLAUSIBLE
        late = (dates > today) & future_is_wrong
        rows = frame.loc[early | late]
        out = _columns(rows, ("person_id", *SOURCE_COLUMNS))
        out.insert(1, "column", column)
        out.insert(2, "date", dates[rows.index])
        reason = early[rows.index].map({True: "before 1990", False: "in the future"})
        out.insert(3, "reason", reason)
        found.append(out)
    if not found:
        return pd.DataFrame(columns=["person_id", "column", "date", "reason", *SOURCE_COLUMNS])
    return pd.concat(found, ignore_index=True)


def completed_after_leaving(
    completions: pd.DataFrame, roster: pd.DataFrame, person: pd.Series
) -> pd.DataFrame:
    """Completions dated after the person's leaving date: a wrong person or a wrong date."""
    completions, matched = _aligned(completions, person)
    leave = roster.drop_duplicates("person_id").set_index("person_id")["leave_date"]
    leave_dates = pd.to_datetime(matched.map(leave))
    late = pd.to_datetime(completions["completed_on"]) > leave_dates
    rows = completions.loc[late.fillna(False).astype(bool)]
    out = _columns(rows, ("course", "completed_on", *SOURCE_COLUMNS))
    out.insert(0, "person_id", matched[rows.index])
    out.insert(3, "leave_date", leave_dates[rows.index])
    return out.reset_index(drop=True)


def unused_exemptions(
    exemptions: pd.DataFrame, roster: pd.DataFrame, rules: Rules | None
) -> pd.DataFrame:
    """Exemptions that exempt nobody: the ID is on no roster row (exemptions match by ID
    only), or the course is neither ``*`` nor a requirement's name, alias or code."""
    exemptions = exemptions.reset_index(drop=True)
    columns = ["person_id", "course", "problem", "from", "until", "reason", *SOURCE_COLUMNS]
    if exemptions.empty:
        return pd.DataFrame(columns=columns)
    ids = _text(exemptions, "person_id")
    nobody = ~ids.isin(set(_text(roster, "person_id"))) | ids.eq("")
    courses = _text(exemptions, "course")
    known = courses.eq(ALL_COURSES)
    if rules is not None:
        known |= rules.match_titles(courses.astype("string")).notna().to_numpy(dtype=bool)
    problems = pd.DataFrame(
        {"person not on the roster": nobody, "course is no requirement": ~known}
    )
    rows = problems.any(axis=1)
    out = _columns(exemptions.loc[rows], columns)
    out["problem"] = problems.loc[rows].dot(problems.columns + "; ").str.rstrip("; ")
    return out.reset_index(drop=True)


def _aligned(frame: pd.DataFrame, person: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """Frame and its matched-person series on one fresh 0..n-1 index."""
    person = person.reindex(frame.index)
    return frame.reset_index(drop=True), person.reset_index(drop=True).astype("object")


def _columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    return frame.reindex(columns=list(columns))


def _blank(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(True, index=frame.index)
    values = frame[column]
    return values.isna() | values.astype("string").str.strip().eq("").fillna(False)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype="object")
    return frame[column].astype("string").fillna("").str.strip().astype("object")
