"""An exemptions table -> the canonical exemptions frame.

Each row exempts one person from one course (``*``, "all" or "all courses" for every
requirement) between optional ``from`` and ``until`` dates, for a reason. A row that
cannot be read exactly is not loaded (an error), because a wrong exemption hides
someone who should be trained.
"""

from __future__ import annotations

import pandas as pd

from loaders.dates import read_date_column
from loaders.headers import Table
from loaders.ids import normalise_emails, normalise_ids
from loaders.layout import trim_notes
from loaders.report import LoadReport
from loaders.schema import ALL_COURSES, EXEMPTION_COLUMNS
from loaders.synonyms import ALL_COURSE_TEXTS
from loaders.values import canonical_frame, flag, text_column, to_text

NO_ID = "no ID column: expected a column such as Collar Number, Staff ID or Email"
NO_COURSE = "no course column: add a Course column (use * for every course)"


def empty_exemptions() -> pd.DataFrame:
    return canonical_frame(EXEMPTION_COLUMNS, {}, pd.RangeIndex(0))


def canonical_exemptions(
    table: Table, report: LoadReport, *, filename: str, month_first: bool | None
) -> pd.DataFrame:
    """Canonical exemptions from one located table; problems go to ``report``."""
    body = trim_notes(table.body, report)
    id_header, email_header = table.header_of("person_id"), table.header_of("email")
    course_header = table.header_of("course")
    if id_header is None and email_header is None:
        report.add(NO_ID, severity="fatal")
        return empty_exemptions()
    if course_header is None:
        report.add(NO_COURSE, severity="fatal")
        return empty_exemptions()
    person_id = normalise_ids(body[id_header]) if id_header else _blank(body)
    if email_header:
        person_id = person_id.fillna(normalise_emails(body[email_header]))
    course = to_text(body[course_header])
    course = course.mask(course.str.lower().isin(ALL_COURSE_TEXTS), ALL_COURSES)
    data: dict[str, pd.Series] = {
        "person_id": person_id,
        "course": course,
        "source_row": pd.Series(body.index, index=body.index),
        "source_file": text_column(filename, body.index),
    }
    reason_header = table.header_of("reason")
    if reason_header is not None:
        data["reason"] = to_text(body[reason_header])
    keep = pd.Series(True, index=body.index)
    flag(report, person_id.isna(), None, "no ID or email: row not loaded",
         column=id_header or email_header, severity="error")
    flag(report, course.isna(), None, "no course (use * for every course): row not loaded",
         column=course_header, severity="error")
    keep &= person_id.notna() & course.notna()
    for name in ("from", "until"):
        header = table.header_of(name)
        if header is None:
            continue
        parsed = read_date_column(body[header], header, report, month_first=month_first)
        flag(report, parsed.bad, body[header], "not a date: row not loaded",
             column=header, severity="error")
        keep &= ~parsed.bad
        data[name] = parsed.dates
    if "from" in data and "until" in data:
        backwards = data["from"] > data["until"]
        flag(report, backwards & keep, body[table.header_of("until")],
             "until is before from: this exemption never applies", column=table.header_of("until"),
             severity="warning")
    kept = keep.to_numpy()
    return canonical_frame(
        EXEMPTION_COLUMNS, {k: v[kept] for k, v in data.items()}, body.index[kept]
    )


def _blank(body: pd.DataFrame) -> pd.Series:
    return pd.Series(pd.NA, index=body.index, dtype="string")
