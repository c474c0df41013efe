"""Which roster person each completion belongs to: by ID, else by email, never by name.

A learning system's own user numbers often arrive in a column that looks like an ID. In
a file whose IDs match under a tenth as many roster IDs as the same rows' emails match
roster emails, the IDs are ignored for matching and the notes say so: matching on them
would credit training to the wrong people or to nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ID_TO_EMAIL_RATIO = 10


@dataclass
class MatchResult:
    completions: pd.DataFrame
    """Completion rows with ``person_id`` set to the roster person they belong to."""
    unmatched: pd.DataFrame
    """Completion rows that matched nobody (``source_file``/``source_row`` kept)."""
    notes: list[str] = field(default_factory=list)


def match_completions(roster: pd.DataFrame, completions: pd.DataFrame) -> MatchResult:
    """Give every completion the roster ``person_id`` it belongs to, or set it aside."""
    roster_ids = _text(roster, "person_id")
    ids = _text(completions, "person_id")
    emails = _text(completions, "email")
    email_owner = _unique_email_owner(roster)
    notes: list[str] = []

    id_known = ids.isin(set(roster_ids.dropna())).to_numpy()
    email_known = emails.isin(email_owner.index).to_numpy()
    ignored = _internal_number_files(completions, ids, emails, id_known, email_known)
    for source, id_hits, email_hits in ignored:
        notes.append(
            f"column person_id ignored for matching in {source}: its values match {id_hits} "
            f"roster IDs but the same rows' emails match {email_hits} roster emails, so they "
            "look like the learning system's own user numbers; matched by email instead"
        )
    if ignored:
        files = _source(completions)
        id_known &= ~files.isin([source for source, _, _ in ignored]).to_numpy()

    by_email = ~id_known & email_known
    owner = emails.map(email_owner).to_numpy(dtype=object)
    person = np.where(id_known, ids.to_numpy(dtype=object), owner)
    matched = id_known | by_email

    out = completions.loc[matched].copy()
    out["person_id"] = pd.array(person[matched], dtype=object)
    if not ignored and by_email.any():
        notes.append(f"{int(by_email.sum())} completions matched by email (no matching ID)")
    unmatched = completions.loc[~matched].copy()
    if len(unmatched):
        notes.append(f"{len(unmatched)} completions matched nobody on the roster (by ID or email)")
    return MatchResult(completions=out, unmatched=unmatched, notes=notes)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column as object strings with missing as ``None`` (all missing if absent)."""
    if column not in frame:
        return pd.Series(None, index=frame.index, dtype=object)
    values = frame[column].astype("string")
    values = values.where(values.str.len() > 0)
    return values.astype(object).where(values.notna(), None)


def _source(frame: pd.DataFrame) -> pd.Series:
    if "source_file" not in frame:
        return pd.Series("the completions", index=frame.index, dtype=object)
    return frame["source_file"].astype("string").fillna("the completions").astype(object)


def _unique_email_owner(roster: pd.DataFrame) -> pd.Series:
    """Email -> person_id for emails that belong to exactly one roster person."""
    pairs = pd.DataFrame({"email": _text(roster, "email"), "person_id": _text(roster, "person_id")})
    pairs = pairs.dropna()
    pairs = pairs[~pairs["email"].duplicated(keep=False)]
    return pd.Series(pairs["person_id"].to_numpy(), index=pairs["email"].to_numpy())


def _internal_number_files(
    completions: pd.DataFrame,
    ids: pd.Series,
    emails: pd.Series,
    id_known: np.ndarray,
    email_known: np.ndarray,
) -> list[tuple[str, int, int]]:
    """(file, id hits, email hits) for each file whose IDs are not staff IDs."""
    both = ids.notna().to_numpy() & emails.notna().to_numpy()
    if not both.any():
        return []
    hits = pd.DataFrame(
        {
            "source": _source(completions).to_numpy()[both],
            "ids": id_known[both],
            "emails": email_known[both],
        }
    ).groupby("source", sort=True)[["ids", "emails"]].sum()
    suspect = hits[hits["ids"] * ID_TO_EMAIL_RATIO < hits["emails"]]
    return [
        (str(source), int(row["ids"]), int(row["emails"])) for source, row in suspect.iterrows()
    ]
