"""People lists on the dashboard: who is overdue or due soon, per person, and headline counts.

Pure functions of a status table, shaped for the Overview, Units and Overdue pages and their
downloads (the downloads carry exactly the rows shown).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from compliance import summary
from compliance.engine import STATUSES
from compliance.scope import Filters

OVERDUE_BANDS: tuple[str, ...] = ("1-30 days", "31-90 days", "91-180 days", "over 180 days")
NO_DUE_DATE = "no due date"
_BAND_EDGES = (0, 30, 90, 180, np.inf)
OVERDUE_TABLE_COLUMNS: tuple[str, ...] = (
    "person_id", "name", "course", "days_overdue", "due_date", "last_completed",
    "unit", "manager", "role", "staff_type", "email",
)
DUE_SOON_TABLE_COLUMNS: tuple[str, ...] = (
    "person_id", "name", "course", "status", "due_date", "last_completed",
    "unit", "manager", "role", "staff_type", "email",
)
MATRIX_PERSON_COLUMNS: tuple[str, ...] = ("person_id", "name", "unit", "role", "manager")


def people_matrix(status: pd.DataFrame) -> pd.DataFrame:
    """One row per person with their overdue count and one column per course, most overdue
    first; role, manager and unit follow the courses."""
    people = status.drop_duplicates("person_id")
    people = people.reindex(columns=list(MATRIX_PERSON_COLUMNS)).set_index("person_id")
    trailing = ["role", "manager", "unit"]
    if status.empty:
        return people.reset_index().assign(overdue=pd.Series(dtype=int))[
            ["person_id", "name", "overdue", *trailing]
        ]
    grid = status.pivot(index="person_id", columns="course", values="status").astype("string")
    grid.columns = [str(c) for c in grid.columns]
    overdue = status["status"].eq("overdue").groupby(status["person_id"]).sum().rename("overdue")
    table = people.join(overdue).join(grid.fillna("not required")).reset_index()
    table = table[["person_id", "name", "overdue", *grid.columns, *trailing]]
    return table.sort_values(["overdue", "name"], ascending=[False, True])

def headline(status: pd.DataFrame) -> dict[str, float | int | None]:
    """The four headline figures: rate, overdue, expiring, pending new starters."""
    counts = status["status"].astype("string").value_counts()
    return _headline({name: int(counts.get(name, 0)) for name in STATUSES})


def counted_headline(counts: pd.DataFrame) -> dict[str, float | int | None]:
    """:func:`headline` of the statuses that ``counts`` tally (``trend.day_counts``)."""
    return _headline({name: int(counts[name].sum()) for name in STATUSES})


def _headline(row: dict[str, int]) -> dict[str, float | int | None]:
    row["in_scope"] = sum(row.values())
    rate = summary.compliance_rate(pd.DataFrame([row])).iloc[0]
    return {
        "compliance_rate": None if pd.isna(rate) else float(rate),
        "overdue": row["overdue"],
        "expiring": row["expiring"],
        "pending": row["pending"],
    }

def change(now: float | None, before: float | None) -> float | None:
    """``now - before``, or None when either is unknown (for ``st.metric`` deltas)."""
    if now is None or before is None:
        return None
    return now - before

def overdue_table(status: pd.DataFrame) -> pd.DataFrame:
    """The overdue list as shown and exported: most days overdue first, with its band."""
    rows = summary.overdue_list(status)
    table = rows.reindex(columns=list(OVERDUE_TABLE_COLUMNS))
    band = overdue_band(rows["days_overdue"]).astype("string").fillna(NO_DUE_DATE)
    table.insert(table.columns.get_loc("days_overdue") + 1, "band", band)
    return table

def due_soon_table(status: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Expiring and pending rows, soonest first, with the days left until each is due."""
    rows = summary.due_soon(status)
    table = rows.reindex(columns=list(DUE_SOON_TABLE_COLUMNS))
    days_left = pd.array((rows["due_date"] - as_of).dt.days, dtype="Int64")
    table.insert(table.columns.get_loc("due_date") + 1, "days_left", days_left)
    return table

def band_counts(table: pd.DataFrame) -> pd.Series:
    """Overdue rows per band, every band present (zero when empty)."""
    order = [*OVERDUE_BANDS, NO_DUE_DATE]
    return table["band"].value_counts().reindex(order, fill_value=0)

def overdue_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Overdue rows per course (rows) and band (columns, every band in order)."""
    order = [*OVERDUE_BANDS, NO_DUE_DATE]
    counts = pd.crosstab(table["course"].astype("string"), table["band"].astype("string"))
    return counts.reindex(columns=order, fill_value=0).rename_axis(index=None, columns=None)

def overdue_band(days: pd.Series) -> pd.Series:
    """Days overdue cut into the bands the Overdue page filters on."""
    return pd.cut(
        pd.to_numeric(days, errors="coerce"), bins=list(_BAND_EDGES), labels=list(OVERDUE_BANDS)
    )


def describe_filters(
    filters: Filters, *, bands: Sequence[str] = (), managers: Sequence[str] = ()
) -> str:
    """Every filter behind a list, in words, for its download's header block and audit entry."""
    parts = [filters.describe()]
    if bands:
        parts.append(f"days overdue {', '.join(bands)}")
    if managers:
        parts.append(f"managers {', '.join(managers)}")
    return "; ".join(parts)
