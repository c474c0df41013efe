"""One uploaded file seen with the user's choices: kind, sheet, header row, mapping, load.

The Upload page asks :func:`detect` (cheap: no row is parsed) to draw its choices, then
:func:`inspect` once per set of choices to preview and import. Every detection (the kind a
file looks like, its sheets, the header row, what each column holds) comes from the code
that loads the file, so the page re-implements none of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders import FIELDS, LoadResult, MatchCourse, load, suggest_kind
from loaders.headers import locate
from loaders.report import LoadReport
from loaders.workbook import Workbook


@dataclass(frozen=True)
class Choices:
    """What the user chose on the page; ``None`` everywhere means "as detected"."""

    kind: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    mapping: tuple[tuple[str, str], ...] = ()
    """The user's corrections to the detected mapping, as (source header, field) pairs."""
    month_first: bool | None = None
    course: str | None = None


@dataclass(frozen=True)
class Detection:
    """Where the table is and what its columns hold, before any row is read."""

    suggested_kind: str
    kind: str
    sheets: list[str]
    sheet: str | None
    """The sheet read: the user's choice, else the visible sheet whose header scored best."""
    header_row: int | None
    headers: list[str]
    """The header row's columns as the loader names them."""
    detected: dict[str, str]
    """Source header -> field as detection alone maps it (before the user's corrections)."""
    suggestions: dict[str, str]
    """Unmapped headers naming a field's word (``loaders.suggest``): to offer, marked."""


@dataclass(frozen=True)
class Inspection:
    """A detection and the file loaded with the user's choices."""

    detection: Detection
    result: LoadResult


def detect(
    workbook: Workbook, choices: Choices, *, match_course: MatchCourse | None = None
) -> Detection:
    """Kind, sheet, header row and column fields of ``workbook`` under ``choices``."""
    suggested = suggest_kind(workbook)
    kind = choices.kind if choices.kind in FIELDS else suggested
    report = LoadReport(file=workbook.file, kind=kind)
    locate(
        workbook,
        kind,
        report,
        sheet=choices.sheet,
        header_row=choices.header_row,
        match_course=match_course,
    )
    return Detection(
        suggested_kind=suggested,
        kind=kind,
        sheets=[sheet.name for sheet in workbook.sheets],
        sheet=report.sheet,
        header_row=report.header_row,
        headers=list(report.headers),
        detected=dict(report.mapping),
        suggestions=dict(report.suggestions),
    )


def inspect(
    workbook: Workbook, choices: Choices, *, match_course: MatchCourse | None = None
) -> Inspection:
    """Detect, then load ``workbook`` once with ``choices``, on the detected sheet and header
    row unless the user chose them (so mapping a column never moves the header shown)."""
    detection = detect(workbook, choices, match_course=match_course)
    result = load(
        detection.kind,
        workbook,
        workbook.file,
        mapping=dict(choices.mapping) or None,
        sheet=choices.sheet or detection.sheet,
        header_row=choices.header_row or detection.header_row,
        month_first=choices.month_first,
        course=choices.course,
        match_course=match_course,
    )
    return Inspection(detection, result)
