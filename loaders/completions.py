"""A completions table -> the canonical completions frame (one row per completion event).

Rows whose status is not done are skipped and counted in a note; rows without ID and
email, date or course are errors (not loaded); future dates, unknown courses and
malformed emails are warnings (loaded). Every check is a boolean mask over the column.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pandas as pd

from loaders.dates import read_date_column
from loaders.headers import Table
from loaders.ids import is_email, normalise_emails, normalise_ids
from loaders.layout import choose_layout, per_course_course, trim_notes, wide_columns
from loaders.report import LoadReport
from loaders.schema import COMPLETION_COLUMNS, MatchCourse
from loaders.synonyms import WIDE_NONE_TEXTS
from loaders.values import (
    canonical_frame,
    flag,
    is_done,
    on_uniques,
    rows_where,
    text_column,
    to_text,
)

NO_ID = "no ID column: expected a column such as Collar Number, Staff ID or Email"
NO_DATE = (
    "no completion date column: expected a column such as Completion Date, "
    "or columns named after required courses"
)
NO_COURSE = (
    "no course column and the course could not be told from a title row or the file "
    "name: name the course this file is for (choose it on the upload page, or "
    "--course TITLE on the command line)"
)


def empty_completions() -> pd.DataFrame:
    return canonical_frame(COMPLETION_COLUMNS, {}, pd.RangeIndex(0))


def canonical_completions(
    table: Table,
    report: LoadReport,
    *,
    filename: str,
    match_course: MatchCourse | None,
    course: str | None,
    month_first: bool | None,
    today: date,
) -> pd.DataFrame:
    """Canonical completions from one located table; problems go to ``report``."""
    body = trim_notes(table.body, report)
    fields = set(table.fields.values())
    wide = {}
    if "completed_on" not in fields:
        wide = wide_columns(table.headers, set(table.fields) | table.ignored, match_course)
    report.layout = choose_layout(fields, wide)
    if not fields & {"person_id", "email"}:
        report.add(NO_ID, severity="fatal")
        return empty_completions()
    if report.layout == "wide":
        report.mapping.update({header: "completed_on" for header in wide})
        events = _wide_events(body, table, wide, report, month_first)
    elif "completed_on" not in fields:
        report.add(NO_DATE, severity="fatal")
        return empty_completions()
    else:
        body = _done_rows(body, table, report)
        fixed_course = None
        if report.layout == "per-course":
            fixed_course, origin = per_course_course(
                table.above, filename, course=course, match_course=match_course
            )
            if fixed_course is None:
                report.add(NO_COURSE, severity="fatal")
                return empty_completions()
            report.course = fixed_course
            report.notes.append(f"Course {fixed_course!r} from the {origin}.")
        events = _long_events(body, table, report, month_first, fixed_course)
    events = rows_where(events, _has_person(events, table, report))
    _check_kept(events, table, report, match_course, today)
    events["source_file"] = text_column(filename, events.index)
    return canonical_frame(COMPLETION_COLUMNS, dict(events), events.index)


def _done_rows(body: pd.DataFrame, table: Table, report: LoadReport) -> pd.DataFrame:
    """Only rows whose status means done; the others counted by value in a note."""
    header = table.header_of("status")
    if header is None:
        return body
    status = to_text(body[header])
    done = is_done(status)
    skipped = status[~done].fillna("(blank)").value_counts()
    if not skipped.empty:
        listed = ", ".join(f"{value} ({count})" for value, count in skipped.items())
        report.notes.append(
            f"Skipped {int(skipped.sum())} row(s) whose {header!r} is not a completion: {listed}."
        )
    return body[done.to_numpy()]


def _long_events(
    body: pd.DataFrame,
    table: Table,
    report: LoadReport,
    month_first: bool | None,
    fixed_course: str | None,
) -> pd.DataFrame:
    """One event per row; rows without a readable date or a course are errors.

    The dates are read on a second thread while this one folds IDs, emails and courses:
    both are mostly Arrow kernels, which run without the GIL, and only the date reading
    writes to the report meanwhile.
    """
    date_header = table.header_of("completed_on")
    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(
            read_date_column, body[date_header], date_header, report, month_first=month_first
        )
        events = _people(body, table)
        if fixed_course is not None:
            events["course"] = text_column(fixed_course, body.index)
        else:
            for name in ("course", "course_code"):
                header = table.header_of(name)
                if header is not None:
                    events[name] = to_text(body[header])
        parsed = reading.result()
    events["completed_on"] = parsed.dates
    raw_date = body[date_header]
    flag(report, parsed.bad, raw_date, "not a date: write it as DD/MM/YYYY",
         column=date_header, severity="error")
    missing_date = parsed.dates.isna() & ~parsed.bad
    flag(report, missing_date, raw_date, "no completion date: row not loaded",
         column=date_header, severity="error")
    keep = parsed.dates.notna()
    if fixed_course is None:
        no_course = events.reindex(columns=["course", "course_code"]).isna().all(axis=1)
        flag(report, no_course & keep, None, "no course: row not loaded",
             column=table.header_of("course") or table.header_of("course_code"),
             severity="error")
        keep &= ~no_course
    return rows_where(events, keep)


def _wide_events(
    body: pd.DataFrame,
    table: Table,
    wide: dict[str, str],
    report: LoadReport,
    month_first: bool | None,
) -> pd.DataFrame:
    """One event per filled course cell; blank, N/A, - and "not completed" mean none."""
    people = _people(body, table)
    parts = []
    for header in wide:
        parsed = read_date_column(
            body[header], header, report, month_first=month_first, nulls=WIDE_NONE_TEXTS
        )
        flag(report, parsed.bad, body[header], "not a date: write it as DD/MM/YYYY",
             column=header, severity="error")
        filled = parsed.dates.notna().to_numpy()
        part = people[filled].copy()
        part["course"] = text_column(header, part.index)
        part["completed_on"] = parsed.dates[filled]
        parts.append(part)
    events = pd.concat(parts) if parts else people.iloc[:0]
    report.notes.append(f"Wide layout: course columns {', '.join(map(repr, wide))}.")
    return events.sort_index(kind="stable")


def _people(body: pd.DataFrame, table: Table) -> pd.DataFrame:
    """person_id and email, normalised, with the file row number."""
    people = pd.DataFrame(index=body.index)
    id_header, email_header = table.header_of("person_id"), table.header_of("email")
    people["person_id"] = (
        normalise_ids(body[id_header]) if id_header else pd.Series(pd.NA, index=body.index)
    )
    people["email"] = (
        normalise_emails(body[email_header]) if email_header
        else pd.Series(pd.NA, index=body.index)
    )
    people["source_row"] = body.index.to_numpy()
    return people


def _has_person(events: pd.DataFrame, table: Table, report: LoadReport) -> pd.Series:
    """Rows with an ID or an email; the others are errors, reported once per file row."""
    missing = events["person_id"].isna() & events["email"].isna()
    first_of_row = ~events.index.duplicated()
    flag(report, missing & first_of_row, None, "no ID or email: row not loaded",
         column=table.header_of("person_id") or table.header_of("email"), severity="error")
    return ~missing


def _check_kept(
    events: pd.DataFrame,
    table: Table,
    report: LoadReport,
    match_course: MatchCourse | None,
    today: date,
) -> None:
    """Warnings about loaded rows: future dates, unknown courses, malformed emails."""
    future = events["completed_on"] > pd.Timestamp(today)
    flag(report, future, events["completed_on"], "completion date is in the future",
         column=table.header_of("completed_on"), severity="warning")
    email_header = table.header_of("email")
    if email_header:
        bad_email = events["email"].notna() & ~is_email(events["email"])
        flag(report, bad_email, events["email"], "not an email address",
             column=email_header, severity="warning")
    if match_course is None or report.layout != "long":
        return
    known = pd.Series(False, index=events.index)
    for name in ("course", "course_code"):
        if name in events:
            matched = on_uniques(events[name], lambda unique: match_course(unique.astype("string")))
            known |= matched.notna().to_numpy()
    course_header = table.header_of("course") or table.header_of("course_code")
    shown = events["course"] if "course" in events else events["course_code"]
    flag(report, ~known, shown, "course matches no requirement", column=course_header,
         severity="warning")
