"""The header block above an exported list of people: what, as of when, which filters, why,
for whom, by whom, and the handling marking.

A file sent to a line manager travels without the dashboard around it; the block says
what the rows are and how to handle them (DESIGN "Exports of personal data").

>>> block = Heading("Overdue list", date(2026, 11, 1), "all units", "Reminders", marking="OFFICIAL")
>>> [label for label, _ in block.rows()]
['Marking', 'Title', 'As of', 'Filters', 'Purpose']
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from compliance.marking import handling_marking


@dataclass(frozen=True)
class Heading:
    """Who exported which list for what; empty fields are left out of the block."""

    title: str
    as_of: date
    filters: str
    purpose: str
    reference: str = ""
    recipient: str = ""
    exported_by: str = ""
    marking: str = field(default_factory=handling_marking)

    def rows(self) -> list[tuple[str, str | date]]:
        """(label, value) pairs in the order the block shows them."""
        pairs: list[tuple[str, str | date]] = [
            ("Marking", self.marking),
            ("Title", self.title),
            ("As of", self.as_of),
            ("Filters", self.filters),
            ("Purpose", self.purpose),
            ("Reference", self.reference),
            ("Recipient", self.recipient),
            ("Exported by", self.exported_by),
        ]
        return [(label, value) for label, value in pairs if value != ""]

    def part(self, by: str, value: str) -> Heading:
        """The block of one file in a pack: the unit's or manager's own rows."""
        return replace(
            self, title=f"{self.title}: {by} {value}", filters=f"{self.filters}; {by} {value}"
        )


def exported_by(name: str, role: str) -> str:
    """The "Exported by" line: the user and the role they exported with."""
    return f"{name} ({role})"
