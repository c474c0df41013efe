"""The incident check as plain text, to paste into an investigation report.

The same pieces as the workbook and the PDF (``compliance.evidence_layout``): the cover
lines, every warning, per person their answers with the deciding and later completions,
and the imports cited with their sha256.
"""

from __future__ import annotations

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


def report_text(evidence: Evidence, cover: Cover) -> str:
    """Lines for a report: who and when first, then warnings, people, sources."""
    lines = [title(evidence, cover), ""]
    lines += [f"{label}: {value}" for label, value in cover_pairs(evidence, cover)]
    warnings = evidence.all_warnings
    if warnings:
        lines += ["", "Warnings:", *(f"- {warning}" for warning in warnings)]
    for person in evidence.people:
        lines += ["", f"Person: {person.label}"]
        lines += [f"  {label}: {value}" for label, value in person_pairs(person)]
        table = summary_table(person)
        for course, answer, due, why, deciding, later in table.itertuples(
            index=False, name=None
        ):
            lines.append(f"- {course}: {answer} on {evidence.request.moment}.")
            if due:
                lines.append(f"  Due date: {due}.")
            lines.append(f"  Why: {why}.")
            lines.append(f"  Deciding completion: {deciding}.")
            lines.append(f"  Later completion: {later}.")
    lines += ["", "Sources (imports cited):"]
    for _, source in evidence.sources.iterrows():
        lines.append("- " + "; ".join(f"{k}: {v}" for k, v in source_pairs(source)))
    lines += ["", RULES_NOTE]
    return "\n".join(lines)
