"""The board report as a printable PDF: the same sections as the workbook, charts as images.

Built on :class:`compliance.pdf_document.PdfDocument` (the marking, title and page number
on every page, DEMO marked, text drawn literally). Page 1 holds the cover, every warning,
the headline and the trend chart; page 2 opens with the units chart, and the tables follow.
The target is in every heading and chart, so the tables leave out its constant column.
"""

from __future__ import annotations

import pandas as pd

from compliance import report_charts
from compliance.pdf_document import TABLE_SIZE, PdfDocument
from compliance.report_tables import (
    RATE_COLUMNS,
    TITLE,
    BoardReport,
    Section,
    cover_lines,
    headline_sentences,
    labelled,
    sections,
)

SHA_SHOWN = 16
"""Characters of a file's sha256 the PDF prints (the workbook holds the whole hash)."""
LONGEST_CELL = 28
"""Characters a column's width allows for before its text wraps."""
SMALL_TABLE = 7.5
"""Font size of tables with many columns, so single words such as "Compliant" fit."""
MANY_COLUMNS = 7
LONGEST_TEXT = 300
"""Characters of one cell the PDF prints: a row must fit on a page (the workbook has more)."""


def report_pdf(report: BoardReport) -> bytes:
    """The report's PDF bytes."""
    figures = report.figures
    document = PdfDocument(TITLE, report.cover.marking, demo=report.cover.demo)
    document.heading(f"Training compliance on {figures.as_of:%d %B %Y}")
    document.key_values(cover_lines(report))
    for warning in report.sources.warnings:
        document.warning(warning)
    first, *others = headline_sentences(figures)
    document.paragraph(first, bold=True)
    document.paragraph("\n".join(others))
    document.image(report_charts.trend_png(figures.trend, figures.target))
    units = figures.units[1]
    for section in sections(report):
        if section.key in ("units_1", "names"):
            document.new_page()
        document.heading(section.heading, level=2)
        if section.key == "units_1":
            document.image(report_charts.units_png(units[units["unit"] != "ALL"],
                                                   figures.target))
        if section.note:
            document.paragraph(section.note)
        if section.table is not None:
            _table(document, section)
    return document.to_bytes()


def _table(document: PdfDocument, section: Section) -> None:
    table = section.table
    if table is None or table.empty:
        document.paragraph("None.")
        return
    shown = table.drop(columns="target", errors="ignore")
    text = pd.DataFrame({column: _cells(column, shown[column]) for column in shown.columns})
    size = SMALL_TABLE if len(text.columns) > MANY_COLUMNS else TABLE_SIZE
    document.table(labelled(text), widths=_widths(labelled(text)), size=size)


def _widths(text: pd.DataFrame) -> list[float]:
    """Column widths in proportion to what they hold: the longest word of the heading, or
    the longest cell up to :data:`LONGEST_CELL` characters (longer text wraps)."""
    widths = []
    for label in text.columns:
        heading = max((len(word) for word in str(label).split()), default=1)
        longest = int(text[label].str.len().max()) if len(text) else 0
        widths.append(max(heading, min(longest, LONGEST_CELL)) + 3)
    return widths


def _cells(column: str, values: pd.Series) -> pd.Series:
    """One column as the PDF prints it: dd/mm/yyyy dates, percentages, grouped numbers."""
    if pd.api.types.is_datetime64_any_dtype(values):
        timed = (values.dropna() != values.dropna().dt.normalize()).any()
        return values.dt.strftime("%d/%m/%Y %H:%M" if timed else "%d/%m/%Y").fillna("")
    if column in RATE_COLUMNS:
        return values.map(lambda rate: "n/a" if pd.isna(rate) else f"{rate:.1%}")
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.map(lambda number: "" if pd.isna(number) else f"{number:,.0f}")
    text = values.astype("string").fillna("")
    if column == "sha256":
        return text.str.slice(0, SHA_SHOWN)
    long = text.str.len() > LONGEST_TEXT
    cut = text.str.slice(0, LONGEST_TEXT) + " [cut: " + text.str.len().map("{:,}".format) + (
        " characters]")
    return text.where(~long, cut)
