"""Counts and lists from a status table: by unit, by course, overdue and due soon.

Every figure is a count of (person, requirement) pairs from the engine's status table,
so a number on the dashboard can always be traced back to rows of that table.
"""

from __future__ import annotations

import pandas as pd

from compliance.engine import STATUSES
from loaders.schema import UNIT_SEPARATOR

NO_UNIT = "(no unit)"
TOTAL = "ALL"
COUNT_COLUMNS: tuple[str, ...] = ("in_scope", *STATUSES)


def unit_at_level(status: pd.DataFrame, level: int | None) -> pd.Series:
    """Each row's unit path cut to its first ``level`` levels (None: whole path).

    Rows with no unit get ``(no unit)``, so they are counted rather than dropped.
    """
    codes, paths = pd.factorize(status["unit"].astype("string"))
    parts = pd.Series(paths, dtype="string").str.split(UNIT_SEPARATOR)
    cut = parts.str[:level].str.join(UNIT_SEPARATOR).str.strip()
    labels = cut.where(cut.str.len() > 0, NO_UNIT).fillna(NO_UNIT).tolist() + [NO_UNIT]
    return pd.Series(pd.array(labels, dtype=object)[codes], index=status.index, name="unit")


def compliance_rate(counts: pd.DataFrame) -> pd.Series:
    """(compliant + expiring) / (in scope - exempt); NaN where nobody is left to count."""
    divisor = (counts["in_scope"] - counts["exempt"]).astype(float)
    done = (counts["compliant"] + counts["expiring"]).astype(float)
    return (done / divisor.where(divisor > 0)).rename("compliance_rate")


def summarise(
    status: pd.DataFrame, by: str | list[str] = "unit", level: int | None = 1
) -> pd.DataFrame:
    """Status counts and compliance rate per group, then a final ``ALL`` row.

    ``level`` cuts the ``unit`` column (when grouping by it) to that many levels.
    """
    keys = [by] if isinstance(by, str) else list(by)
    groups = status[keys].copy()
    if "unit" in keys:
        groups["unit"] = unit_at_level(status, level)
    for key in keys:
        groups[key] = groups[key].astype(object).where(groups[key].notna(), "")
    groups["status"] = pd.Categorical(status["status"].astype(object), categories=STATUSES)
    counts = groups.groupby([*keys, "status"], observed=True).size().unstack("status")
    counts = counts.reindex(columns=list(STATUSES)).fillna(0).astype("int64")
    counts.insert(0, "in_scope", counts.sum(axis=1))
    table = counts.reset_index().rename_axis(columns=None)
    total = {key: TOTAL for key in keys} | {c: int(table[c].sum()) for c in COUNT_COLUMNS}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    table[list(COUNT_COLUMNS)] = table[list(COUNT_COLUMNS)].astype("int64")
    table["compliance_rate"] = compliance_rate(table)
    return table[[*keys, *COUNT_COLUMNS, "compliance_rate"]]


def summary_by_unit(status: pd.DataFrame, level: int = 1) -> pd.DataFrame:
    return summarise(status, "unit", level)


def summary_by_course(status: pd.DataFrame) -> pd.DataFrame:
    return summarise(status, "course", None)


def overdue_list(status: pd.DataFrame) -> pd.DataFrame:
    """Overdue rows, most days overdue first (no due date at all counts as most overdue)."""
    rows = status[status["status"].astype(object) == "overdue"]
    rows = rows.sort_values(
        ["days_overdue", "person_id", "course"],
        ascending=[False, True, True],
        na_position="first",
        kind="stable",
    )
    return rows.reset_index(drop=True)


def due_soon(status: pd.DataFrame) -> pd.DataFrame:
    """Expiring and pending rows, soonest due date first."""
    rows = status[status["status"].astype(object).isin(["expiring", "pending"])]
    rows = rows.sort_values(["due_date", "person_id", "course"], kind="stable")
    return rows.reset_index(drop=True)
