"""One person: find them, and explain their status on a date in words fit for a report.

The statuses themselves come from the engine (the same rules as every other number on
the dashboard); this module only finds people and turns the engine's evidence columns
(``last_completed``, ``due_date``, ``evidence_file``, ``evidence_row``,
``exemption_reason``) into sentences an investigator can paste into a report (the
incident check, ``compliance.evidence``, files them with their provenance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.ids import normalise_ids

SEARCH_COLUMNS: tuple[str, ...] = ("person_id", "name", "email")
MIN_KEY_SEARCH = 3
ANSWERS: dict[str, str] = {
    "compliant": "Yes",
    "expiring": "Yes",
    "pending": "No (not yet due)",
    "overdue": "No",
    "exempt": "Exempt",
}
EXPLANATION_COLUMNS: tuple[str, ...] = (
    "course",
    "compliant_on_date",
    "status",
    "decided_by",
    "last_completed",
    "due_date",
    "evidence_file",
    "evidence_row",
)


def find_people(roster: pd.DataFrame, query: str) -> pd.DataFrame:
    """People whose ID, name or email contains ``query`` (case-insensitive), by name.

    An ID matches by its key too, so ``057680`` and ``57680`` find the same officer however
    HR wrote the ID; an exact ID comes first, so typing a full collar number picks them.
    A key shorter than :data:`MIN_KEY_SEARCH` matches whole IDs only: ``0006`` is the key
    ``6``, which would otherwise find every ID with a 6 in it.
    """
    needle = query.strip().casefold()
    if not needle or roster.empty:
        return roster.iloc[0:0]
    columns = [c for c in SEARCH_COLUMNS if c in roster.columns]
    texts = roster[columns].astype("string").fillna("")
    hits = np.zeros(len(roster), dtype=bool)
    for column in columns:
        hits |= texts[column].str.casefold().str.contains(needle, regex=False).to_numpy()
    key = normalise_ids(pd.Series([query])).iloc[0]
    keys = normalise_ids(roster["person_id"]).fillna("")
    exact = (keys == key).to_numpy(dtype=bool) if pd.notna(key) else np.zeros(len(roster), bool)
    if pd.notna(key):
        hits |= exact
        if len(str(key)) >= MIN_KEY_SEARCH:
            hits |= keys.str.contains(str(key), regex=False).to_numpy(dtype=bool)
    return (
        roster[hits].assign(_exact=exact[hits])
        .sort_values(["_exact", "name", "person_id"], ascending=[False, True, True])
        .drop(columns="_exact")
    )


def explain(status: pd.DataFrame, when: pd.Timestamp) -> pd.DataFrame:
    """Per requirement: compliant on ``when``, and which completion (or absence) decides it.

    ``status`` is the engine's status frame for one person computed as of ``when``.
    """
    if status.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in EXPLANATION_COLUMNS})
    rows = status.sort_values("course").reset_index(drop=True)
    state = rows["status"].astype("string")
    is_state = {s: state.eq(s).fillna(False).to_numpy(dtype=bool) for s in ANSWERS}
    day = _day(pd.Series([when])).iloc[0]
    last = _day(rows["last_completed"])
    due = _day(rows["due_date"])
    evidence = (
        " (" + rows["evidence_file"].astype("string").fillna("unknown file")
        + ", row " + rows["evidence_row"].astype("Int64").astype("string").fillna("?") + ")"
    )
    late = pd.to_numeric(rows["days_overdue"], errors="coerce").astype("Int64").astype("string")
    reason = rows["exemption_reason"].astype("string").fillna("no reason recorded")
    has_last = rows["last_completed"].notna().to_numpy()
    has_due = rows["due_date"].notna().to_numpy()
    decided = np.select(
        [
            is_state["exempt"],
            (is_state["compliant"] | is_state["expiring"]) & ~has_due,
            is_state["compliant"],
            is_state["expiring"],
            is_state["overdue"] & has_last,
            is_state["overdue"] & has_due,
            is_state["overdue"],
            is_state["pending"],
        ],
        [
            "exempt on " + day + ": " + reason,
            "completed on " + last + evidence + "; no renewal required",
            "completed on " + last + evidence + "; valid until " + due,
            "completed on " + last + evidence + "; due again by " + due + " (expiring soon)",
            "last counting completion " + last + evidence + " expired on " + due
            + " (" + late + " days overdue)",
            "no counting completion on or before " + day + "; it was due by " + due
            + " (" + late + " days overdue)",
            "no counting completion on or before " + day + " and no grace period",
            "no completion yet; within the grace period, due by " + due,
        ],
        default="status " + state.fillna("unknown"),
    ).astype(object)
    return pd.DataFrame(
        {
            "course": rows["course"].astype("string"),
            "compliant_on_date": state.map(ANSWERS).fillna("Unknown"),
            "status": state,
            "decided_by": decided,
            "last_completed": rows["last_completed"],
            "due_date": rows["due_date"],
            "evidence_file": rows["evidence_file"],
            "evidence_row": rows["evidence_row"],
        }
    )


def scope_note(person: pd.Series, when: pd.Timestamp) -> str | None:
    """Why nothing applied on ``when`` when the person had not started or had left."""
    start = pd.to_datetime(person.get("start_date"))
    leave = pd.to_datetime(person.get("leave_date"))
    if pd.notna(start) and start > when:
        return f"They had not started on that date (start date {start:%d %B %Y})."
    if pd.notna(leave) and leave < when:
        return f"They had left before that date (leaving date {leave:%d %B %Y})."
    return None


def _day(values: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` strings (``<NA>`` when empty), for sentences."""
    return pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m-%d").astype("string")
