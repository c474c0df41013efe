"""Column headers people read: the one mapping from canonical names to what the pages show.

The pages label their tables with :func:`header` and the downloads of those tables rename
their columns with :func:`headed`, so a line manager's file says "Due date" exactly where
the screen does. A column with no entry keeps its own name (a course title in the per-person
matrix, say); ``unit_2`` reads "Unit level 2".

>>> header("due_date"), header("unit_2"), header("Managing Information")
('Due date', 'Unit level 2', 'Managing Information')
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

HEADERS: dict[str, str] = {
    "person_id": "ID",
    "name": "Name",
    "unit": "Unit",
    "course": "Course",
    "status": "Status",
    "last_completed": "Last completed",
    "due_date": "Due date",
    "days_overdue": "Days overdue",
    "band": "Band",
    "days_left": "Days left",
    "overdue": "Overdue",
    "email": "Email",
    "role": "Role",
    "staff_type": "Staff type",
    "manager": "Manager",
    "start_date": "Start date",
    "leave_date": "Leave date",
    "evidence_file": "From file",
    "evidence_row": "Row",
    "exemption_reason": "Exemption",
    "in_scope": "In scope",
    "compliant": "Compliant",
    "expiring": "Expiring",
    "pending": "Pending",
    "exempt": "Exempt",
    "compliance_rate": "Compliance rate",
}
"""Canonical column -> the header on screen and in every download of people."""
_UNIT_LEVEL = re.compile(r"unit_(\d+)")


def header(column: object) -> str:
    """What a table shows above ``column``."""
    name = str(column)
    level = _UNIT_LEVEL.fullmatch(name)
    if level is not None:
        return f"Unit level {level.group(1)}"
    return HEADERS.get(name, name)


def headed(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the headers the pages show, for a download of what is on screen."""
    return frame.rename(columns=header)
