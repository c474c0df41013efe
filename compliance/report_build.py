"""One board report from the dashboard's own reads: gathered, then written as xlsx or PDF.

The Board report page (through ``pages._data``'s cached reads in the user's scope) and the
``report`` command (through :mod:`compliance.access`, whole force) hand in how to read one
date's snapshot, the trend's counts and the import list; everything after that is shared,
so the page and a scheduled run make the same document for the same data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

import pandas as pd

from compliance import report_figures, report_sources, trend
from compliance.report_tables import BoardReport, Cover
from compliance.scope import Scope
from compliance.snapshot import Snapshot

FORMATS: tuple[str, ...] = ("pdf", "xlsx")
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def board_report(
    snapshot_on: Callable[[pd.Timestamp], Snapshot],
    counts: pd.DataFrame,
    imports: pd.DataFrame,
    cover: Cover,
    *,
    target: float,
    names: bool = False,
    today: pd.Timestamp,
) -> BoardReport:
    """The report for ``cover.as_of``: figures on it, a month and a year before, the trend
    (``counts``: ``access.trend_frame`` from :func:`report_figures.trend_start`), the data
    behind them and, only when ``names``, the appendix of overdue people."""
    as_of = pd.Timestamp(cover.as_of).normalize()
    last_month, last_year = report_figures.comparison_dates(as_of)
    now = snapshot_on(as_of)
    figures = report_figures.figures(
        now, snapshot_on(last_month), snapshot_on(last_year), counts, target
    )
    days = [last_month, last_year, *trend.month_ends(report_figures.trend_start(as_of), as_of)]
    sources = report_sources.report_sources(imports, now, days, pd.Timestamp(today))
    appendix = report_figures.names_appendix(now) if names else None
    return BoardReport(cover, figures, sources, appendix)


def stamped(report: BoardReport, at: datetime) -> BoardReport:
    """The report as generated at ``at`` (a page builds the document when clicked)."""
    return dataclasses.replace(report, cover=dataclasses.replace(report.cover, generated_at=at))


def document_bytes(report: BoardReport, fmt: str) -> bytes:
    """The report as ``pdf`` or ``xlsx`` bytes (each writer imported only when used)."""
    if fmt == "pdf":
        from compliance.report_pdf import report_pdf

        return report_pdf(report)
    from compliance.report_xlsx import report_xlsx

    return report_xlsx(report)


def scope_text(scope: Scope) -> str:
    """The units a report covers, in words, for its cover and audit entry."""
    return "whole force" if scope.units is None else "; ".join(scope.units)


def describe(report: BoardReport, fmt: str) -> str:
    """What the audit log records of one report document."""
    names = report.names
    content = (
        "counts only" if names is None
        else f"with the names behind {len(names):,} overdue requirements"
    )
    return (
        f"board report as of {report.cover.as_of:%Y-%m-%d} as {fmt}; "
        f"units: {report.cover.scope}; {content}"
    )


def file_name(report: BoardReport, fmt: str) -> str:
    """``board-report-2026-10-31.pdf`` (``DEMO-`` first for the demo, ``-with-names``)."""
    demo = "DEMO-" if report.cover.demo else ""
    names = "" if report.names is None else "-with-names"
    return f"{demo}board-report-{report.cover.as_of:%Y-%m-%d}{names}.{fmt}"


def rows_named(report: BoardReport) -> int | None:
    """How many rows of personal data the document holds (None: counts only)."""
    return None if report.names is None else len(report.names)
