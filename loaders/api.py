"""Uploaded files -> canonical frames plus a load report: what ``loaders`` offers.

The package hands these names out on first use (:mod:`loaders`), so that
:mod:`loaders.sandbox` can start the parsing worker before pandas is imported.

Loaders never raise for bad input: a file that cannot be used comes back as an empty
canonical frame and a report with a ``fatal`` problem saying how to fix it, so pages and
the CLI only ever look at :attr:`LoadResult.usable` and the report.

>>> from loaders.workbook import Sheet, Workbook
>>> grid = pd.DataFrame([["Collar No", "Name"], ["0123", "Ann Lee"]], index=[1, 2])
>>> result = load_roster(Workbook("staff.csv", "csv", [Sheet("staff", grid)]), "staff.csv")
>>> result.frame[["person_id", "name", "source_row"]].values.tolist()
[['0123', 'Ann Lee', 2]]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from loaders.completions import canonical_completions, empty_completions
from loaders.errors import LoaderError
from loaders.exemptions import canonical_exemptions, empty_exemptions
from loaders.header_row import HeaderCells, best_header
from loaders.headers import Table, detect_fields, locate
from loaders.limits import Limits, check_shape, current_limits
from loaders.readers import read_workbook
from loaders.report import LoadReport
from loaders.roster import canonical_roster, empty_roster
from loaders.schema import MatchCourse
from loaders.synonyms import FIELDS as FIELDS  # re-exported as loaders.FIELDS
from loaders.synonyms import IGNORE as IGNORE  # re-exported as loaders.IGNORE
from loaders.synonyms import KINDS, ROSTER_ONLY
from loaders.values import to_text
from loaders.workbook import Workbook

_EMPTY = {"roster": empty_roster, "completions": empty_completions, "exemptions": empty_exemptions}


@dataclass
class LoadResult:
    frame: pd.DataFrame
    """Canonical frame (``loaders.schema`` column order; roster adds ``unit_1..n``)."""
    report: LoadReport

    @property
    def usable(self) -> bool:
        return self.report.usable


def load_roster(
    source: bytes | Workbook,
    filename: str,
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    month_first: bool | None = None,
    limits: Limits | None = None,
    today: date | None = None,
) -> LoadResult:
    """Staff roster: one row per person.

    ``sheet`` and ``header_row`` (the file's row number, as in the report) override what
    detection chose, for files it reads wrongly; so does ``mapping`` for single columns.
    ``today`` is accepted so that :func:`load` can pass the same options to every kind.
    """
    report = LoadReport(file=filename, kind="roster")
    table = _table(source, filename, "roster", report, mapping, sheet, header_row, limits, None)
    if table is None:
        return _result(empty_roster(), report)
    frame = canonical_roster(table, report, filename=filename, month_first=month_first)
    return _result(frame, report)


def load_completions(
    source: bytes | Workbook,
    filename: str,
    *,
    match_course: MatchCourse | None = None,
    course: str | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    month_first: bool | None = None,
    limits: Limits | None = None,
    today: date | None = None,
) -> LoadResult:
    """Completion events, from a long, per-course or wide export."""
    report = LoadReport(file=filename, kind="completions")
    table = _table(
        source, filename, "completions", report, mapping, sheet, header_row, limits, match_course
    )
    if table is None:
        return _result(empty_completions(), report)
    frame = canonical_completions(
        table,
        report,
        filename=filename,
        match_course=match_course,
        course=course,
        month_first=month_first,
        today=today or date.today(),
    )
    return _result(frame, report)


def load_exemptions(
    source: bytes | Workbook,
    filename: str,
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    month_first: bool | None = None,
    limits: Limits | None = None,
) -> LoadResult:
    """Exemptions: person, course (or ``*``), from, until, reason."""
    report = LoadReport(file=filename, kind="exemptions")
    table = _table(
        source, filename, "exemptions", report, mapping, sheet, header_row, limits, None
    )
    if table is None:
        return _result(empty_exemptions(), report)
    frame = canonical_exemptions(table, report, filename=filename, month_first=month_first)
    return _result(frame, report)


_LOADERS: dict[str, Callable[..., LoadResult]] = {
    "roster": load_roster,
    "completions": load_completions,
    "exemptions": load_exemptions,
}


def load(kind: str, source: bytes | Workbook, filename: str, **options: Any) -> LoadResult:
    """Dispatch on ``kind`` (roster, completions or exemptions); unknown kinds are fatal."""
    loader = _LOADERS.get(kind)
    if loader is None:
        report = LoadReport(file=filename, kind=kind)
        report.add(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}", severity="fatal")
        return LoadResult(pd.DataFrame(), report)
    if kind != "completions":
        options = {k: v for k, v in options.items() if k not in ("match_course", "course")}
    if kind == "exemptions":
        options.pop("today", None)
    return loader(source, filename, **options)


def suggest_kind(workbook: Workbook) -> str:
    """Roster, completions or exemptions, from the fields its best header holds."""
    found: dict[str, set[str]] = {}
    tops = [(sheet, HeaderCells.top_of(sheet)) for sheet in workbook.sheets]
    for kind in KINDS:
        fields: set[str] = set()
        for sheet, cells in tops:
            header = None if cells is None else best_header(cells, kind)
            if header is not None:
                top = sheet.top(header.position + 1)
                row = to_text(top.iloc[header.position]).dropna().tolist()
                fields |= set(detect_fields(row, kind).values())
        found[kind] = fields
    if {"reason"} <= found["exemptions"] and found["exemptions"] & {"from", "until"} and not (
        found["roster"] & {"unit", "role", "staff_type"}
    ):
        return "exemptions"
    if found["completions"] & {"course", "course_code", "completed_on"}:
        return "completions"
    if found["roster"] & ROSTER_ONLY:
        return "roster"
    return "completions"


def _table(
    source: bytes | Workbook,
    filename: str,
    kind: str,
    report: LoadReport,
    mapping: dict[str, str] | None,
    sheet: str | None,
    header_row: int | None,
    limits: Limits | None,
    match_course: MatchCourse | None,
) -> Table | None:
    """Read (if bytes), hold every sheet to the caps and locate the table; None after a
    fatal problem."""
    limits = limits or current_limits()
    try:
        workbook = (
            source
            if isinstance(source, Workbook)
            else read_workbook(source, filename, limits=limits)
        )
        for each in workbook.sheets:
            check_shape(*each.shape, f"sheet {each.name!r}", filename, limits)
    except LoaderError as error:
        report.add(error.message, severity="fatal", row=error.row, column=error.column)
        return None
    report.file_type = workbook.file_type
    report.notes.extend(workbook.notes)
    table = locate(
        workbook,
        kind,
        report,
        mapping=mapping,
        sheet=sheet,
        header_row=header_row,
        match_course=match_course,
    )
    if table is not None:
        report.rows_read = int(table.body.notna().any(axis=1).sum())
    return table


def _result(frame: pd.DataFrame, report: LoadReport) -> LoadResult:
    """The result; a file from which no row was loaded is unusable, with the reason."""
    report.rows_loaded = len(frame)
    if frame.empty and report.usable:
        report.refuse_empty()
    return LoadResult(frame, report)

