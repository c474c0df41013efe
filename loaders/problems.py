"""A load report's problems for people to read: grouped by reason, what matters first.

Thousands of "course matches no requirement" warnings for courses nobody is asked to do
must not bury the two rows with a future date. Each reason becomes one line with its
count, severity, column, first rows and example values; reasons that change no status
(other courses) come last and are summarised per title instead.

>>> frame = pd.DataFrame({"row": [2, 3, 4], "column": ["Course", "Course", "Date"],
...     "value": ["Fire", "Fire", "2031-01-01"], "severity": ["warning", "warning", "warning"],
...     "reason": [OTHER_COURSE, OTHER_COURSE, "completion date is in the future"]})
>>> by_reason(frame)[["reason", "rows"]].values.tolist()
[['completion date is in the future', 1], ['course matches no requirement', 2]]
"""

from __future__ import annotations

import pandas as pd

OTHER_COURSE = "course matches no requirement"
STATUS_NEUTRAL: frozenset[str] = frozenset({OTHER_COURSE})
"""Reasons that change no status: listed last, folded, summarised per value."""
SEVERITY_ORDER = {"fatal": 0, "error": 1, "warning": 2, "info": 3}
EXAMPLES = 3
GROUP_COLUMNS: tuple[str, ...] = (
    "reason", "severity", "rows", "column", "first_rows", "examples", "changes_status",
)


def by_reason(problems: pd.DataFrame) -> pd.DataFrame:
    """One row per (reason, severity, column): how many rows, the first rows, examples;
    problems that can change a status first, worst severity first, most rows first."""
    if problems.empty:
        return pd.DataFrame(columns=list(GROUP_COLUMNS))
    frame = problems.assign(
        column=problems["column"].astype("string").fillna(""),
        value=problems["value"].astype("string"),
    )
    grouped = frame.groupby(["reason", "severity", "column"], sort=False, dropna=False)
    table = grouped.agg(
        rows=("reason", "size"),
        first_rows=("row", lambda rows: ", ".join(str(r) for r in rows.dropna().head(EXAMPLES))),
        examples=("value", lambda values: "; ".join(values.dropna().unique()[:EXAMPLES])),
    ).reset_index()
    table["changes_status"] = ~table["reason"].isin(STATUS_NEUTRAL)
    table["_severity"] = table["severity"].map(SEVERITY_ORDER)
    table = table.sort_values(
        ["changes_status", "_severity", "rows"], ascending=[False, True, False], kind="stable"
    )
    return table[list(GROUP_COLUMNS)].reset_index(drop=True)


def per_value(problems: pd.DataFrame, reason: str = OTHER_COURSE) -> pd.DataFrame:
    """For one reason, the distinct values (e.g. course titles) with how many rows each."""
    rows = problems[problems["reason"] == reason]
    counts = rows["value"].astype("string").value_counts(dropna=False)
    return counts.rename_axis("value").reset_index(name="rows")
