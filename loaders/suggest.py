"""Columns detection left unused but whose header names a field's word: offered, never used.

A header is mapped only when it equals a synonym (``loaders.synonyms``). ``Grade (current)``
or ``Home Team`` equal none, yet plainly hold a role or a unit: such a header is suggested
for that field, marked for the user to check (the Upload page preselects it, the load
report says how to map it), and never mapped without the user seeing it.

>>> suggest(["Collar No", "Grade (current)", "Home Team", "Notes"], {"Collar No": "person_id"},
...         "roster")
{'Grade (current)': 'role', 'Home Team': 'unit'}
"""

from __future__ import annotations

import re

from loaders.report import LoadReport
from loaders.synonyms import FIELDS
from loaders.values import fold

FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "person_id": ("collar", "warrant", "payroll", "personnel"),
    "email": ("email", "mail"),
    "name": ("name", "fullname"),
    "unit": ("division", "department", "team", "unit", "command", "section", "station",
             "district", "directorate", "bcu", "area"),
    "role": ("rank", "grade", "role", "position", "job"),
    "staff_type": ("group", "category", "type"),
    "start_date": ("joined", "start", "hired", "hire"),
    "leave_date": ("leaving", "left", "termination"),
    "manager": ("manager", "supervisor"),
    "course": ("course", "module", "training"),
    "completed_on": ("completed", "completion", "passed", "achieved"),
    "reason": ("reason",),
}
"""Whole words that make an unmapped header a likely column for a field, first field first."""
SUGGESTED = "suggested - check"


def suggest(headers: list[str], mapped: dict[str, str], kind: str) -> dict[str, str]:
    """Header -> field for unmapped headers naming a field's word, for fields nothing maps."""
    taken = set(mapped.values())
    suggestions: dict[str, str] = {}
    for header in headers:
        if header in mapped:
            continue
        words = set(re.split(r"\s+", fold(header)))
        for field, hints in FIELD_WORDS.items():
            if field in FIELDS[kind] and field not in taken and words & set(hints):
                suggestions[header] = field
                taken.add(field)
                break
    return suggestions


def annotate(
    report: LoadReport, headers: list[str], mapped: dict[str, str], ignored: set[str], kind: str
) -> None:
    """Put the suggestions (none for a header the user set to ``ignore``) in the report."""
    report.suggestions = suggest(headers, {**mapped, **dict.fromkeys(ignored, "ignore")}, kind)
    report.notes.extend(notes(report.suggestions))


def notes(suggestions: dict[str, str]) -> list[str]:
    """One line per suggestion for the load report (the command line's way to accept it)."""
    return [
        f"Column {header!r} may hold {field} ({SUGGESTED}): map it with "
        f"--map \"{header}={field}\" if it does"
        for header, field in suggestions.items()
    ]
