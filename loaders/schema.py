"""Canonical column names shared by loaders, the engine and the store.

Every loader returns frames with exactly these columns (roster: plus ``unit_1`` ..
``unit_n``), so code downstream never guesses at spellings.
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

ROSTER_COLUMNS: tuple[str, ...] = (
    "person_id",
    "name",
    "email",
    "unit",
    "role",
    "staff_type",
    "start_date",
    "leave_date",
    "manager",
    "source_file",
    "source_row",
)
COMPLETION_COLUMNS: tuple[str, ...] = (
    "person_id",
    "email",
    "course",
    "course_code",
    "completed_on",
    "source_file",
    "source_row",
)
EXEMPTION_COLUMNS: tuple[str, ...] = (
    "person_id",
    "course",
    "from",
    "until",
    "reason",
    "source_file",
    "source_row",
)
DATE_COLUMNS: frozenset[str] = frozenset(
    {"start_date", "leave_date", "completed_on", "from", "until"}
)
UNIT_SEPARATOR = " / "
ALL_COURSES = "*"


class MatchCourse(Protocol):
    """Raw titles, codes, headers or file names -> the matching requirement's course, or <NA>.

    Supplied by the rules (``compliance.rules.Rules.match_titles``) so loaders never import
    them. ``regex=False`` is used for column headers: regular-expression aliases match
    course values and file names, never headers (DESIGN.md).
    """

    def __call__(self, titles: pd.Series, *, regex: bool = True) -> pd.Series: ...


def unit_level_columns(frame_columns: object) -> list[str]:
    """The ``unit_1`` .. ``unit_n`` columns present, in level order."""
    levels = [c for c in frame_columns if isinstance(c, str) and c.startswith("unit_")]
    return sorted(levels, key=lambda c: int(c.split("_", 1)[1]))
