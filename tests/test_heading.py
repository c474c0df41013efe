"""The header block of an export: every line it promises, in order, empty ones left out."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

from compliance import heading
from compliance.heading import Heading, exported_by

AS_OF = dt.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("block", "labels"),
    [
        (Heading("Overdue list", AS_OF, "all units", "Reminders", "REF 1", "Insp. Hall",
                 "tm (manager)", "OFFICIAL"),
         ["Marking", "Title", "As of", "Filters", "Purpose", "Reference", "Recipient",
          "Exported by"]),
        (Heading("Status table", AS_OF, "all units", "Case PSD/1", exported_by="ann (cli)",
                 marking="OFFICIAL"),
         ["Marking", "Title", "As of", "Filters", "Purpose", "Exported by"]),
    ],
)
def test_rows_in_order_without_empty_lines(block: Heading, labels: list[str]) -> None:
    rows = block.rows()
    assert [label for label, _ in rows] == labels
    assert dict(rows)["As of"] == AS_OF


@pytest.mark.parametrize(
    ("environ", "marking"),
    [({}, "OFFICIAL-SENSITIVE"), ({"COMPLIANCE_HANDLING_MARKING": "OFFICIAL"}, "OFFICIAL")],
)
def test_the_marking_defaults_to_the_setting(monkeypatch, environ, marking) -> None:
    monkeypatch.delenv("COMPLIANCE_HANDLING_MARKING", raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    assert Heading("T", AS_OF, "f", "p").marking == marking


def test_a_part_names_its_unit_or_manager() -> None:
    block = Heading("Overdue list", AS_OF, "all units", "Reminders", marking="OFFICIAL")
    part = block.part("Manager", "Sgt Jones")
    assert (part.title, part.filters) == ("Overdue list: Manager Sgt Jones",
                                         "all units; Manager Sgt Jones")
    assert (part.purpose, part.as_of, part.marking) == ("Reminders", AS_OF, "OFFICIAL")


def test_exported_by_names_the_role() -> None:
    assert exported_by("tm", "manager") == "tm (manager)"


def test_the_docstring_example_runs() -> None:
    assert doctest.testmod(heading).failed == 0
