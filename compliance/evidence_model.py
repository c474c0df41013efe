"""What an incident check holds: the request, where rows came from, the answers per person.

Plain data shared by everything that shows a check (the page, the plain text, the xlsx and
the PDF), so each shows the same answers, provenance and warnings. Built by
:func:`compliance.evidence.check`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

DAY = "%d %b %Y"
"""Dates in sentences: ``14 Mar 2023``."""


@dataclass(frozen=True)
class Request:
    """What the investigator asks: a date (a time of day if known), people, courses."""

    when: pd.Timestamp
    people: tuple[str, ...]
    courses: tuple[str, ...] = ()
    """The requirements that matter; empty means all of them."""
    time: dt.time | None = None

    @property
    def moment(self) -> str:
        """``01 Jun 2022`` or ``01 Jun 2022 at 14:30``."""
        day = f"{self.when:{DAY}}"
        return day if self.time is None else f"{day} at {self.time:%H:%M}"


@dataclass(frozen=True)
class Sighting:
    """Where the nearest roster snapshot that lists an absent person placed them."""

    person: pd.Series
    import_id: int
    file: str
    as_at: pd.Timestamp


@dataclass(frozen=True)
class Provenance:
    """What the store knows about where the snapshot's rows came from."""

    imports: pd.DataFrame
    """The import history (``compliance.store.listing.IMPORT_COLUMNS``)."""
    roster_import: int | None
    """The roster snapshot in force on the date."""
    completion_import: pd.Series
    """Label of a row of the snapshot's ``all_completions`` -> the active import it is from
    (at least for the people asked about)."""
    sightings: Mapping[str, Sighting] = field(default_factory=dict)
    """ID key -> the nearest roster listing a person absent from the roster in force."""


@dataclass(frozen=True)
class PersonEvidence:
    """One person's answers: ``answers`` has :data:`ANSWER_COLUMNS`, one row per course."""

    asked: str
    person: pd.Series | None
    """Their row on the roster in force (None when they are not on it)."""
    sighting: Sighting | None
    answers: pd.DataFrame
    warnings: tuple[str, ...]

    @property
    def label(self) -> str:
        row = self.person if self.person is not None else getattr(self.sighting, "person", None)
        if row is None:
            return self.asked
        return f"{row.get('name') or ''} ({row['person_id']})".strip()


@dataclass(frozen=True)
class Evidence:
    """The whole check, ready for the screen, the text, the xlsx and the PDF."""

    request: Request
    roster: pd.Series | None
    """The import history row of the roster snapshot used."""
    rules: pd.Series | None
    """The import history row of the rules version in force."""
    people: tuple[PersonEvidence, ...]
    unknown: tuple[str, ...]
    sources: pd.DataFrame
    """One row per import cited (roster, rules, completions), with its sha256 and state."""
    warnings: tuple[str, ...]

    @property
    def all_warnings(self) -> list[str]:
        """The document's warnings, then each person's: everything the screen shows."""
        return [*self.warnings, *(w for person in self.people for w in person.warnings)]


def roster_words(row: pd.Series | None) -> str:
    """``staff.xlsx (import 3), as at 01 Jan 2022``."""
    if row is None:
        return "no roster"
    return f"{row['file']} (import {int(row['id'])}), as at {row['effective_on']:{DAY}}"


def history_row(imports: pd.DataFrame, import_id: int | None) -> pd.Series | None:
    """The import history row of ``import_id`` (None for none)."""
    row = imports[imports["id"].eq(import_id)] if import_id is not None else imports.iloc[0:0]
    return None if row.empty else row.iloc[0]


def rules_row(imports: pd.DataFrame) -> pd.Series | None:
    """The latest active requirements import: the version the store applies."""
    rules = imports[imports["kind"].eq("requirements") & imports["state"].eq("active")]
    return None if rules.empty else rules.sort_values("id").iloc[-1]
