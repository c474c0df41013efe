"""Suggestions for a person to check, never used for a status: the likely roster person of
a completion that matched nobody, and the likely requirement of an unknown course title.

DESIGN forbids guessing a person from a name when computing statuses; these guesses only
help a training manager find the row to correct at source.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd

from compliance.rules import Rules
from compliance.titles import fold_title

NAME_CUTOFF = 0.85
ID_CUTOFF = 0.8
TITLE_CUTOFF = 0.78
MAX_SUGGESTED = 500
"""Unmatched people looked up by similarity; more than this means a wrong file, not typos."""


def known_titles(rules: Rules) -> dict[str, str]:
    """Each requirement's course and literal aliases -> the requirement's course."""
    known = {}
    for requirement in rules.requirements:
        for title in (requirement.course, *requirement.aliases):
            if not (title.startswith("/") and title.endswith("/")):
                known.setdefault(title, requirement.course)
    return known

def suggest_requirements(titles: pd.Series, known: dict[str, str]) -> pd.Series:
    """The requirement whose course or alias is closest to each title (missing when none is).

    ``known`` maps each requirement's course and literal aliases to the requirement course.
    """
    keys = fold_title(pd.Series(list(known), dtype="object"))
    folded = dict(zip(keys, known.values(), strict=True))
    wanted = fold_title(titles).fillna("").astype("object")
    return _closest(wanted, [k for k in folded if k], TITLE_CUTOFF).map(folded)

def likely_people(unmatched: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """For each unmatched row: a roster person by email local part, similar ID or name."""
    result = pd.DataFrame(
        {"likely_person_id": pd.NA, "likely_name": pd.NA, "likely_by": pd.NA},
        index=unmatched.index,
        dtype="object",
    )
    if unmatched.empty or roster.empty:
        return result
    people = roster.drop_duplicates("person_id").set_index("person_id")
    names = people["name"] if "name" in people else pd.Series(dtype="object")
    email = _text(unmatched, "email").str.lower()
    local = email.str.split("@").str[0]
    roster_local = _text(people.reset_index(), "email").str.lower().str.split("@").str[0]
    by_local = pd.Series(people.index, index=roster_local.to_numpy())
    by_local = by_local[(by_local.index != "") & ~by_local.index.duplicated(keep=False)]
    candidates = [
        ("email", local.map(by_local)),
        ("similar ID", _closest(_text(unmatched, "person_id"), list(people.index), ID_CUTOFF)),
        ("similar name", _closest_name(unmatched, local, names)),
    ]
    for how, found in reversed(candidates):
        hit = found.notna()
        result.loc[hit, "likely_person_id"] = found[hit]
        result.loc[hit, "likely_by"] = how
    result["likely_name"] = result["likely_person_id"].map(names)
    return result

def _closest_name(unmatched: pd.DataFrame, local: pd.Series, names: pd.Series) -> pd.Series:
    """The roster person whose folded name is closest to the row's name (or email name)."""
    if names.empty:
        return pd.Series(pd.NA, index=unmatched.index, dtype="object")
    from_email = local.str.replace(r"[._\-]+", " ", regex=True).str.replace(r"\d+", "", regex=True)
    given = _text(unmatched, "name")
    wanted = _fold_name(given.where(given != "", from_email))
    folded = _fold_name(names.fillna("").astype(str))
    by_name = pd.Series(folded.index, index=folded.to_numpy())
    by_name = by_name[(by_name.index != "") & ~by_name.index.duplicated(keep=False)]
    closest = _closest(wanted, list(by_name.index), NAME_CUTOFF)
    return closest.map(by_name)

def _closest(values: pd.Series, choices: Sequence[str], cutoff: float) -> pd.Series:
    """Closest choice per value by difflib ratio, looked up once per distinct value."""
    distinct = [v for v in values.drop_duplicates() if v][:MAX_SUGGESTED]
    best = {}
    for value in distinct:
        match = difflib.get_close_matches(value, choices, n=1, cutoff=cutoff)
        if match:
            best[value] = match[0]
    return values.map(best).astype("object")

def _fold_name(names: pd.Series) -> pd.Series:
    """Lower-case words in sorted order, so "Smith, Jane" and "jane.smith" meet."""
    words = names.str.casefold().str.replace(r"[^\w\s]", " ", regex=True).str.split()
    return words.map(lambda parts: " ".join(sorted(parts)) if isinstance(parts, list) else "")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype="object")
    return frame[column].astype("string").fillna("").str.strip().astype("object")
