"""The tables ``status``, ``summary`` and ``overdue`` write, from one snapshot of the inputs.

Statuses come from :func:`compliance.snapshot.take`, the computation the dashboard uses,
so a figure on the command line and on a page can never differ. Imported by the table
commands when they run (it pulls in the engine and the rules), never by ``check``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from compliance import snapshot
from compliance.cli.inputs import Inputs
from compliance.engine import LEADING_COLUMNS
from compliance.summary import overdue_list, summary_by_unit

OVERDUE_OUTPUT_COLUMNS: tuple[str, ...] = (*LEADING_COLUMNS, "role", "email", "manager")
"""Columns of the ``overdue`` command's table (the dashboard's overdue table has others)."""
SHOWN_UNMATCHED = 3


def take_snapshot(inputs: Inputs, as_of: date) -> snapshot.Snapshot:
    """Completions matched to the roster once; ``.status`` is sorted by person_id, course."""
    return snapshot.take(
        inputs.roster, inputs.completions, inputs.rules, inputs.exemptions, pd.Timestamp(as_of)
    )


def command_table(command: str, status: pd.DataFrame, level: int = 1) -> pd.DataFrame:
    """The table one command writes: statuses as they are, a unit summary, or the overdue."""
    if command == "summary":
        summary = summary_by_unit(status, level=level)
        return summary.assign(compliance_rate=summary["compliance_rate"].round(4))
    if command == "overdue":
        return overdue_list(status)[list(OVERDUE_OUTPUT_COLUMNS)]
    return status


def unmatched_summary(notes: tuple[str, ...], unmatched: pd.DataFrame | None) -> list[str]:
    """Matching notes and the first few completions that belong to nobody."""
    lines = list(notes)
    if unmatched is None or unmatched.empty:
        return lines
    for _, row in unmatched.head(SHOWN_UNMATCHED).iterrows():
        who = row.get("person_id")
        if pd.isna(who):
            who = row.get("email")
        where = f"{row.get('source_file')}, row {row.get('source_row')}"
        lines.append(f"  {where}: {who!s} is not on the roster")
    return lines
