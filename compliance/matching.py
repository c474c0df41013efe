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
    ids, id_pos = _positions(completions, "person_id", _owners(roster_ids, roster_ids, True))
    emails, email_pos = _positions(
        completions, "email", _owners(_values(roster, "email"), roster_ids, False)
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
    """The column as an object array (all ``None`` when absent)."""
    if column not in frame:
        return np.full(len(frame), None, dtype=object)
    return frame[column].to_numpy(dtype=object)


def _owners(keys: np.ndarray, ids: np.ndarray, keep_first: bool) -> pd.Series:
    """Roster row position per key; a key shared by several people is left out
    (``keep_first``: the first of them is kept, for IDs the loaders already refuse)."""
    table = pd.Series(np.arange(len(keys)), index=keys)
    table = table[table.index.notna() & (table.index != "")]
    shared = table.index.duplicated(keep="first" if keep_first else False)
    return table[~shared]


def _positions(
    frame: pd.DataFrame, column: str, owners: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """(value present, roster position or -1) for each row of ``frame[column]``."""
    codes, uniques = pd.factorize(_values(frame, column))
    present = np.asarray(pd.Series(uniques, dtype=object).ne(""), dtype=bool)
    found = owners.index.get_indexer(uniques)
    position = np.append(owners.to_numpy(), -1)[found]
    position[~present] = -1
    return (
        np.append(present, False)[codes],
        np.append(position, -1)[codes],
    )
