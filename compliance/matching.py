"""Which roster person each completion belongs to: by ID, else by email, never by name.

A learning system's own user numbers often arrive in a column that looks like an ID. In
a file whose IDs match under a tenth as many roster IDs as the same rows' emails match
roster emails, the IDs are ignored for matching and the notes say so: matching on them
would credit training to the wrong people or to nobody.

Lookups work on distinct values (``pd.factorize``), so millions of completion rows cost
about as much as the people they mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ID_TO_EMAIL_RATIO = 10
NO_FILE = "the completions"


@dataclass
class MatchResult:
    completions: pd.DataFrame
    """Completion rows with ``person_id`` set to the roster person they belong to."""
    unmatched: pd.DataFrame
    """Completion rows that matched nobody (``source_file``/``source_row`` kept)."""
    notes: list[str] = field(default_factory=list)


def match_completions(roster: pd.DataFrame, completions: pd.DataFrame) -> MatchResult:
    """Give every completion the roster ``person_id`` it belongs to, or set it aside."""
    roster_ids = _values(roster, "person_id")
    ids, id_pos = _positions(_values(completions, "person_id"), roster_ids, keep_first=True)
    emails, email_pos = _positions(
        _values(completions, "email"), _values(roster, "email"), keep_first=False
    )
    notes: list[str] = []

    files, file_names = pd.factorize(_values(completions, "source_file"), use_na_sentinel=False)
    both = ids & emails
    id_hits = np.bincount(files[both & (id_pos >= 0)], minlength=len(file_names))
    email_hits = np.bincount(files[both & (email_pos >= 0)], minlength=len(file_names))
    ignored = id_hits * ID_TO_EMAIL_RATIO < email_hits
    for f in np.flatnonzero(ignored):
        name = file_names[f] if isinstance(file_names[f], str) else NO_FILE
        notes.append(
            f"column person_id ignored for matching in {name}: its values match "
            f"{id_hits[f]} roster IDs but the same rows' emails match {email_hits[f]} roster "
            "emails, so they look like the learning system's own user numbers; matched by "
            "email instead"
        )
    by_id = (id_pos >= 0) & ~ignored[files]
    by_email = ~by_id & (email_pos >= 0)
    position = np.where(by_id, id_pos, email_pos)
    matched = by_id | by_email

    out = completions.take(np.flatnonzero(matched))
    out["person_id"] = roster_ids[position[matched]]
    emailed = int((by_email & ~ignored[files]).sum())
    if emailed:
        notes.append(f"{emailed} completions matched by email (no matching ID)")
    unmatched = completions.take(np.flatnonzero(~matched))
    if len(unmatched):
        notes.append(f"{len(unmatched)} completions matched nobody on the roster (by ID or email)")
    return MatchResult(completions=out, unmatched=unmatched, notes=notes)


def _values(frame: pd.DataFrame, column: str) -> np.ndarray:
    """The column as an object array (all ``None`` when absent), not copied: ``np.asarray``
    of the pandas array skips the missing-value scan ``Series.to_numpy`` makes for text."""
    if column not in frame:
        return np.full(len(frame), None, dtype=object)
    return np.asarray(frame[column].array, dtype=object)


def _positions(
    values: np.ndarray, keys: np.ndarray, keep_first: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(value present, roster position or -1) for each value; ``keys`` are the roster's.

    A key shared by several roster rows matches nobody (``keep_first``: the first of them
    is kept, for IDs the loaders already refuse). The roster keys are looked up among the
    distinct values, so each side is hashed once; empty text counts as missing.
    """
    codes, uniques = pd.factorize(values)
    distinct = pd.Index(uniques, dtype=object)
    found = distinct.get_indexer(keys)
    rows = np.flatnonzero(found >= 0)
    value, first, count = np.unique(found[rows], return_index=True, return_counts=True)
    position = np.full(len(uniques) + 1, -1)  # the last slot is for missing values (code -1)
    position[value] = np.where(keep_first | (count == 1), rows[first], -1)
    present = np.ones(len(uniques) + 1, dtype=bool)
    empty = distinct.get_indexer([""])  # [-1] when no value is empty: the missing slot
    present[empty] = present[-1] = False
    position[empty] = -1
    return present[codes], position[codes]
