"""Compliance month by month: the same rules evaluated at each month end.

Title matching is done once for all dates, and each distinct roster is indexed and its
completions sorted once; each month end then costs one binary search per (person,
requirement) pair and a count (see :class:`compliance.engine.StatusModel`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from compliance.engine import STATUSES, Evaluation, StatusModel, index_completions
from compliance.rules import Rules
from compliance.summary import COUNT_COLUMNS, NO_UNIT, compliance_rate

RosterFor = pd.DataFrame | Callable[[pd.Timestamp], pd.DataFrame]
NO_VALUE = "(none)"


def month_ends(
    start: date | pd.Timestamp | str, end: date | pd.Timestamp | str
) -> list[pd.Timestamp]:
    """Every calendar month end from ``start`` to ``end`` inclusive."""
    return list(pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end), freq="ME"))


def monthly_trend(
    roster_for: RosterFor,
    completions: pd.DataFrame,
    rules: Rules,
    exemptions: pd.DataFrame | None,
    start: date | pd.Timestamp | str,
    end: date | pd.Timestamp | str,
    by: str | None = None,
) -> pd.DataFrame:
    """Status counts and compliance rate at each month end, optionally per group.

    ``roster_for`` is a roster frame, or a callable giving the roster current on a date
    (the store's snapshots). ``completions`` are matched completions, as for
    ``compute_status``. ``by`` is ``course`` or a roster column (``unit_1``, ``staff_type``).
    """
    index = index_completions(completions, rules)
    models: dict[int, tuple[pd.DataFrame, StatusModel]] = {}
    keys = [by] if by else []
    tables = []
    for month_end in month_ends(start, end):
        roster = roster_for(month_end) if callable(roster_for) else roster_for
        if id(roster) not in models:
            models[id(roster)] = (roster, StatusModel(roster, index, exemptions))
        model = models[id(roster)][1]
        table = _counts(model, model.evaluate(month_end), by)
        table.insert(0, "month_end", month_end)
        tables.append(table)
    if not tables:
        return pd.DataFrame(columns=["month_end", *keys, *COUNT_COLUMNS, "compliance_rate"])
    out = pd.concat(tables, ignore_index=True)
    out["compliance_rate"] = compliance_rate(out)
    return out


def _counts(model: StatusModel, evaluation: Evaluation, by: str | None) -> pd.DataFrame:
    """In-scope and per-status counts per group (one row when ``by`` is None)."""
    if by is None:
        codes, labels = np.zeros(len(evaluation.status), dtype=np.int64), np.array(["ALL"])
    elif by == "course":
        codes, labels = evaluation.requirement, model.courses
    else:
        column = model.roster.get(by, pd.Series(index=model.roster.index, dtype=object))
        person_codes, uniques = pd.factorize(column.astype("string"), sort=True)
        missing = NO_UNIT if by.startswith("unit") else NO_VALUE
        labels = np.append(np.asarray(uniques, dtype=object), missing)
        codes = np.where(person_codes < 0, len(uniques), person_codes)[evaluation.person]
    n = len(labels)
    counts = np.bincount(
        codes * len(STATUSES) + evaluation.status, minlength=n * len(STATUSES)
    ).reshape(n, len(STATUSES))
    table = pd.DataFrame(counts, columns=list(STATUSES))
    table.insert(0, "in_scope", counts.sum(axis=1))
    if by is not None:
        table.insert(0, by, labels)
    return table[table["in_scope"] > 0].reset_index(drop=True) if by else table
