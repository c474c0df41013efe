"""Which rows a user may see and which the sidebar chose: unit scopes and filters.

Pure functions on frames. A :class:`Scope` comes from the signed-in user's role and is
applied where data is read (``compliance.access``); :class:`Filters` are the sidebar's
choice, applied to frames already read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.schema import UNIT_SEPARATOR
from loaders.values import rows_where


@dataclass(frozen=True)
class Scope:
    """The units a user may see (unit path prefixes, whole levels); ``None`` means all."""

    units: tuple[str, ...] | None = None

    def mask(self, units: pd.Series) -> np.ndarray:
        """True for rows whose unit lies in (or under) one of the allowed units."""
        if self.units is None:
            return np.ones(len(units), dtype=bool)
        return in_units(units, self.units)

    def roster(self, roster: pd.DataFrame) -> pd.DataFrame:
        """The roster rows this scope may see (the frame itself when it sees everything)."""
        if self.units is None:
            return roster
        return rows_where(roster, self.mask(roster["unit"])).reset_index(drop=True)


@dataclass(frozen=True)
class Filters:
    """The sidebar's choice: a unit at any level, a course and a staff type (None = all)."""

    unit: str | None = None
    course: str | None = None
    staff_type: str | None = None

    def describe(self) -> str:
        """The filters in words, for captions, file names and audit entries."""
        parts = [
            f"unit {self.unit}" if self.unit else "all units",
            f"course {self.course}" if self.course else "all courses",
            f"staff type {self.staff_type}" if self.staff_type else "all staff types",
        ]
        return "; ".join(parts)


def in_units(units: pd.Series, prefixes: tuple[str, ...] | list[str]) -> np.ndarray:
    """Unit paths equal to or below any prefix, compared case-insensitively by whole level.

    Compared once per distinct path, so filtering a large frame stays cheap.
    """
    codes, paths = pd.factorize(units.astype("string"))
    folded = pd.Series(paths, dtype="string").str.casefold()
    hits = np.zeros(len(paths), dtype=bool)
    for prefix in prefixes:
        wanted = prefix.casefold()
        below = folded.str.startswith(wanted + UNIT_SEPARATOR.casefold())
        hits |= (folded.eq(wanted) | below).fillna(False).to_numpy(dtype=bool)
    return np.append(hits, False)[codes]


def apply_filters(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows of ``frame`` matching the filters (a filter on a missing column is ignored);
    the frame itself when they keep every row."""
    keep = np.ones(len(frame), dtype=bool)
    if filters.unit and "unit" in frame.columns:
        keep &= in_units(frame["unit"], [filters.unit])
    for column in ("course", "staff_type"):
        value = getattr(filters, column)
        if value and column in frame.columns:
            keep &= _equals(frame[column], value)
    return rows_where(frame, keep)


def keep_values(frame: pd.DataFrame, column: str, values: list[str]) -> pd.DataFrame:
    """Rows whose ``column`` is one of ``values``; all rows when ``values`` is empty."""
    if not values:
        return frame
    codes, uniques = pd.factorize(frame[column].astype("string"))
    wanted = pd.Series(uniques, dtype="string").isin(values).to_numpy(dtype=bool)
    return rows_where(frame, np.append(wanted, False)[codes])


def _equals(values: pd.Series, wanted: str) -> np.ndarray:
    """``values == wanted`` compared once per distinct value (missing is never equal)."""
    codes, uniques = pd.factorize(values.astype("string"))
    return np.append(np.asarray(uniques, dtype=object) == wanted, False)[codes]
