"""Units on the dashboard: counts and rates per unit, the unit tree, unit choices.

Pure functions of a status table (and the roster), shaped for the Overview and Units pages.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from compliance import summary
from compliance.engine import STATUSES
from compliance.summary import COUNT_COLUMNS
from loaders.schema import UNIT_SEPARATOR, unit_level_columns


def unit_summary(status: pd.DataFrame, level: int) -> pd.DataFrame:
    """Counts and rate per unit cut to ``level`` (the engine's summary, without ``ALL``)."""
    table = summary.summary_by_unit(status, level)
    return table[table["unit"] != "ALL"].reset_index(drop=True)

def rate_matrix(status: pd.DataFrame, level: int) -> pd.DataFrame:
    """Compliance rate per course (rows) and unit cut to ``level`` (columns)."""
    if status.empty:
        return pd.DataFrame()
    table = summary.summarise(status, ["course", "unit"], level)
    table = table[table["course"] != summary.TOTAL]
    return table.pivot(index="course", columns="unit", values="compliance_rate")

def unit_tree(status: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """Every unit at every level: people on the roster, pairs in scope and the rate.

    The rows a treemap needs: ``id`` (path), ``parent`` (path one level up, "" at the top),
    ``label`` (the unit's own name). Counted once per distinct unit path, then summed up
    the hierarchy, so it stays fast for a large force.
    """
    codes, paths = pd.factorize(_text_column(status, "unit"))
    states = pd.Categorical(status["status"].astype(object), categories=list(STATUSES)).codes
    n_status = len(STATUSES)
    table = np.bincount(codes * n_status + states, minlength=len(paths) * n_status)
    per_unit = pd.DataFrame(
        table.reshape(len(paths), n_status), columns=list(STATUSES), index=pd.Index(paths)
    )
    people = _text_column(roster, "unit").value_counts().rename("people")
    per_unit = per_unit.join(people, how="outer").fillna(0)
    per_unit = per_unit[per_unit.index != ""]
    parts = pd.Series(per_unit.index, dtype="string").str.split(UNIT_SEPARATOR)
    deepest = int(parts.str.len().max()) if len(parts) else 0
    frames = []
    for depth in range(1, deepest + 1):
        prefix = parts.str[:depth].str.join(UNIT_SEPARATOR).where(parts.str.len() >= depth)
        level = per_unit.groupby(prefix.to_numpy(dtype=object), dropna=True).sum()
        frames.append(level.rename_axis("id").reset_index())
    columns = ["id", "parent", "label", "people", *COUNT_COLUMNS]
    if not frames:
        return _with_rate(pd.DataFrame({c: pd.Series(dtype=int) for c in columns}))
    tree = pd.concat(frames, ignore_index=True)
    split = tree["id"].str.rsplit(UNIT_SEPARATOR, n=1)
    tree["parent"] = split.str[0].where(split.str.len() > 1, "")
    tree["label"] = split.str[-1]
    tree["in_scope"] = tree[list(STATUSES)].sum(axis=1)
    tree[["people", *COUNT_COLUMNS]] = tree[["people", *COUNT_COLUMNS]].astype(int)
    return _with_rate(tree[columns])

def unit_options(roster: pd.DataFrame) -> list[str]:
    """Every unit path at every level, sorted so each unit follows its parent."""
    units = _text_column(roster, "unit").unique()
    every = {
        UNIT_SEPARATOR.join(path[:depth])
        for path in (str(unit).split(UNIT_SEPARATOR) for unit in units if unit)
        for depth in range(1, len(path) + 1)
    }
    return sorted(every, key=lambda p: [level.casefold() for level in p.split(UNIT_SEPARATOR)])

def drill_level(status: pd.DataFrame, unit: str | None) -> int:
    """The level one below the chosen unit (level 1 when none), within the levels present."""
    depth = 0 if not unit else unit.count(UNIT_SEPARATOR) + 1
    deepest = max(1, len(unit_level_columns(status.columns)))
    return min(depth + 1, deepest)

def relative_unit(units: pd.Series, parent: str | None) -> pd.Series:
    """Unit paths without the ``parent`` prefix (chart labels below a chosen unit)."""
    if not parent:
        return units
    prefix = parent + UNIT_SEPARATOR
    text = units.astype("string")
    return text.where(~text.str.startswith(prefix), text.str.slice(len(prefix)))

def worst_unit(units: pd.DataFrame) -> dict[str, Any] | None:
    """The unit with the lowest rate (most overdue breaks ties), or None if none is rated."""
    rated = units.dropna(subset=["compliance_rate"])
    if rated.empty:
        return None
    ordered = rated.sort_values(["compliance_rate", "overdue"], ascending=[True, False])
    return ordered.iloc[0].to_dict()


def _with_rate(counts: pd.DataFrame) -> pd.DataFrame:
    """Add ``compliance_rate`` (DESIGN's rule, from ``compliance.summary``)."""
    return counts.assign(compliance_rate=summary.compliance_rate(counts).astype(float))

def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[column].astype("string").fillna("")
