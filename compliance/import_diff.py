"""What one import changed, in the words a training manager checks after uploading.

Pure functions over canonical frames taken before and after the import: people added
or gone from the roster, loaded completions that are new or already known, and how
many (person, requirement) pairs moved between statuses. ``compliance.importing`` takes
the snapshots and calls :func:`diff_import`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from compliance.titles import fold_title

OUT_OF_SCOPE = "not in scope"
STATUS_ORDER: tuple[str, ...] = ("compliant", "expiring", "pending", "overdue", "exempt")
DIFF_PERSON_COLUMNS: tuple[str, ...] = ("person_id", "name", "unit")


@dataclass(frozen=True)
class ImportDiff:
    """The summary shown after an import (and kept in the page for a second look)."""

    people_added: pd.DataFrame
    people_left: pd.DataFrame
    completions_new: int
    completions_known: int
    moves: pd.DataFrame
    """Crosstab: index = status before, columns = status after, pairs that moved."""

    @property
    def pairs_moved(self) -> int:
        return int(self.moves.to_numpy().sum()) if not self.moves.empty else 0

    def lines(self) -> list[str]:
        """One sentence per finding, for the page and the audit detail."""
        out = []
        if len(self.people_added) or len(self.people_left):
            out.append(
                f"People added: {len(self.people_added):,}; people left: {len(self.people_left):,}."
            )
        if self.completions_new or self.completions_known:
            out.append(
                f"Completions new: {self.completions_new:,}; "
                f"already known: {self.completions_known:,}."
            )
        if self.pairs_moved:
            out.append(f"Statuses changed: {self.pairs_moved:,} (person, course) pairs.")
        else:
            out.append("No status changed.")
        return out


def roster_changes(before: pd.DataFrame, after: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(added, left): people new to the roster, and people gone from it or newly leaving.

    "Left" covers both an HR report that drops leavers and one that keeps them with a
    leaving date, so the manager sees the same answer for either habit.
    """
    before_ids = _ids(before)
    after_ids = _ids(after)
    added = after[after["person_id"].isin(set(after_ids) - set(before_ids))]
    gone = before[before["person_id"].isin(set(before_ids) - set(after_ids))]
    left_now = _newly_leaving(before, after)
    left = pd.concat([_people(gone), _people(left_now)], ignore_index=True)
    return _people(added).reset_index(drop=True), left.drop_duplicates("person_id")


def completion_novelty(loaded: pd.DataFrame, existing: pd.DataFrame) -> tuple[int, int]:
    """(new, already known) counts of loaded completion rows against the existing set.

    An event is the same when person (ID, else email), folded course title and date agree:
    the store counts identical events once, so re-sending an old export adds nothing.
    """
    if loaded.empty:
        return 0, 0
    known_keys = set(_event_keys(existing)) if not existing.empty else set()
    keys = _event_keys(loaded)
    unique = keys.drop_duplicates()
    known = int(unique.isin(known_keys).sum())
    return len(unique) - known, known


def moved_pairs(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Each (person, course) pair whose status differs between two status tables.

    Columns ``person_id, course, before, after``. A pair present on one side only moved
    from or to "not in scope"; pairs that kept their status are left out.
    """
    keys = ["person_id", "course"]
    merged = pd.merge(
        before[[*keys, "status"]].astype("object"),
        after[[*keys, "status"]].astype("object"),
        on=keys,
        how="outer",
        suffixes=("_before", "_after"),
    )
    merged = merged.fillna({"status_before": OUT_OF_SCOPE, "status_after": OUT_OF_SCOPE})
    changed = merged[merged["status_before"] != merged["status_after"]]
    renamed = changed.rename(columns={"status_before": "before", "status_after": "after"})
    return renamed.reset_index(drop=True)


def moves_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Crosstab of moved pairs: index = status before, columns = status after (empty: none)."""
    if pairs.empty:
        return pd.DataFrame()
    table = pd.crosstab(pairs["before"], pairs["after"])
    order = [*STATUS_ORDER, OUT_OF_SCOPE]
    rows = [s for s in order if s in table.index] + [s for s in table.index if s not in order]
    cols = [s for s in order if s in table.columns] + [s for s in table.columns if s not in order]
    table = table.loc[rows, cols]
    table.index.name = "before"
    table.columns.name = "after"
    return table


def moves_by_course(pairs: pd.DataFrame) -> pd.DataFrame:
    """How many pairs each requirement would move, most first (``course``, ``pairs``)."""
    counts = pairs.groupby("course").size().rename("pairs").reset_index()
    return counts.sort_values(["pairs", "course"], ascending=[False, True], ignore_index=True)


def status_moves(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """:func:`moves_table` of the pairs that moved between two status tables."""
    return moves_table(moved_pairs(before, after))


def diff_import(
    *,
    roster_before: pd.DataFrame,
    roster_after: pd.DataFrame,
    status_before: pd.DataFrame,
    status_after: pd.DataFrame,
    loaded_completions: pd.DataFrame | None = None,
    completions_before: pd.DataFrame | None = None,
) -> ImportDiff:
    """Everything one import changed; completion counts only when completions were loaded."""
    added, left = roster_changes(roster_before, roster_after)
    new = known = 0
    if loaded_completions is not None:
        existing = completions_before if completions_before is not None else pd.DataFrame()
        new, known = completion_novelty(loaded_completions, existing)
    return ImportDiff(added, left, new, known, status_moves(status_before, status_after))


def _ids(roster: pd.DataFrame) -> pd.Series:
    if roster.empty or "person_id" not in roster:
        return pd.Series(dtype="object")
    return roster["person_id"].dropna()


def _people(frame: pd.DataFrame) -> pd.DataFrame:
    columns = [c for c in DIFF_PERSON_COLUMNS if c in frame.columns]
    return frame.loc[:, columns].reset_index(drop=True)


def _newly_leaving(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    if before.empty or after.empty or "leave_date" not in after:
        return after.iloc[0:0]
    known = after["person_id"].isin(set(_ids(before)))
    had_date = pd.Series(False, index=after.index)
    if "leave_date" in before:
        earlier = before.drop_duplicates("person_id").set_index("person_id")["leave_date"]
        had_date = after["person_id"].isin(set(earlier[earlier.notna()].index))
    return after[known & after["leave_date"].notna() & ~had_date]


def _event_keys(frame: pd.DataFrame) -> pd.Series:
    person = _text(frame, "person_id")
    email = _text(frame, "email").str.lower()
    who = person.where(person != "", "email:" + email)
    course = fold_title(_text(frame, "course")).fillna("")
    when = pd.to_datetime(frame["completed_on"]).dt.strftime("%Y-%m-%d").fillna("")
    return who + "|" + course + "|" + when


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype="object")
    return frame[column].astype("string").fillna("").str.strip().astype("object")
