"""The incident check as a PDF to file and print: cover, warnings, a table per person, sources.

Drawn with :class:`compliance.pdf_document.PdfDocument`: the handling marking and title on
every page, "Page N of M", DEMO on every page for the demo force, and all text literal.
"""

from __future__ import annotations

from dataclasses import replace

from compliance.evidence_layout import (
    RULES_NOTE,
    Cover,
    cover_pairs,
    person_pairs,
    source_pairs,
    summary_table,
    title,
)
from compliance.evidence_model import Evidence
from compliance.pdf_document import PdfDocument

SUMMARY_WIDTHS = (2.3, 2.0, 1.6, 3.6, 3.4, 3.4)
"""Relative widths of Course, Answer, Due date, Why, Deciding and Later completion."""


def evidence_pdf(evidence: Evidence, cover: Cover) -> bytes:
    """The PDF's bytes."""
    plain = title(evidence, replace(cover, demo=False))
    document = PdfDocument(plain, marking=cover.marking, demo=cover.demo)
    document.heading(title(evidence, cover))
    document.key_values(cover_pairs(evidence, cover))
    for warning in evidence.warnings:
        document.warning(warning)
    document.paragraph(RULES_NOTE)
    for person in evidence.people:
        document.heading(f"Person: {person.label}", level=2)
        document.key_values(person_pairs(person))
        for warning in person.warnings:
            document.warning(warning)
        document.table(summary_table(person), widths=SUMMARY_WIDTHS)
    document.heading("Imports cited", level=2)
    document.paragraph(
        "Each file as the store holds it: its sha256 identifies the exact bytes imported. "
        "Only active imports are read, so a withdrawn import is never cited."
    )
    for _, source in evidence.sources.iterrows():
        document.key_values(source_pairs(source))
    return document.to_bytes()
