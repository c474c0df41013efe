"""The parts of one uploaded file's card: column boxes, course choice and the load report."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from compliance.export import to_csv_bytes
from compliance.rules import Rules
from loaders import FIELDS, IGNORE, LoadResult
from loaders.problems import OTHER_COURSE, by_reason, per_value
from loaders.suggest import SUGGESTED
from pages import _downloads, _format, _records

FIELD_LABELS: dict[str, str] = {
    IGNORE: "- not used -",
    "person_id": "Staff ID",
    "name": "Full name",
    "first_name": "First name",
    "surname": "Surname",
    "email": "Email",
    "unit": "Unit level",
    "role": "Rank / role",
    "staff_type": "Staff type",
    "start_date": "Start date",
    "leave_date": "Leaving date",
    "manager": "Line manager",
    "course": "Course title",
    "course_code": "Course code",
    "completed_on": "Completion date",
    "status": "Completion status",
    "from": "Exempt from",
    "until": "Exempt until",
    "reason": "Reason",
}
PREVIEW_LABELS: dict[str, str] = {"person_id": "Staff ID", "name": "Name", "unit": "Unit"}
PREVIEW_ROWS = 20
ROW_CONFIG = {
    "row": st.column_config.NumberColumn("Row", format="%d", width="small"),
    "column": st.column_config.TextColumn("Column"),
    "value": st.column_config.TextColumn("Value"),
    "reason": st.column_config.TextColumn("Reason", width="large"),
    "severity": st.column_config.TextColumn("Severity", width="small"),
}
GROUP_CONFIG = {
    "reason": st.column_config.TextColumn("Problem", width="large"),
    "severity": st.column_config.TextColumn("Severity", width="small"),
    "rows": st.column_config.NumberColumn("Rows", format="localized", width="small"),
    "column": st.column_config.TextColumn("Column"),
    "first_rows": st.column_config.TextColumn("First rows"),
    "examples": st.column_config.TextColumn("Examples"),
}
SEVERITY_WORDS = ("fatal", "error", "warning", "info")
CHOOSE_COURSE = "- choose the course -"


def show_report(key: str, result: LoadResult) -> None:
    """What was detected, the preview as it will be read, and the problems with a download."""
    report = result.report
    if not result.usable:
        st.error(_format.literal(report.fatal_message() or "This file cannot be used."),
                 icon=":material/error:")
        st.caption(
            "If the file does hold what is missing, say which column it is under *Columns* "
            "above; otherwise export the file again from its system."
        )
    detected = [f"Sheet **{_format.literal(report.sheet)}**"] if report.sheet else []
    if report.header_row is not None:
        detected.append(f"header on row **{report.header_row}**")
    course = f" ({_format.literal(report.course)})" if report.course else ""
    detected.append(f"layout **{report.layout}**{course}")
    detected.append(f"dates **{report.date_order}**")
    detected.append(f"**{report.rows_loaded:,}** of {report.rows_read:,} rows loaded")
    st.markdown(", ".join(detected) + ".")
    for note in report.notes:
        st.caption(_format.literal(note))
    for hidden in report.ignored_sheets:
        st.caption(f"Hidden sheet not read: {_format.literal(hidden)}")
    if result.usable and not result.frame.empty:
        show_preview(result.frame)
    show_problems(key, result)


def show_preview(frame: pd.DataFrame) -> None:
    """The first rows with the names people know, as they will be stored."""
    shown = frame.drop(columns=["source_file"], errors="ignore").head(PREVIEW_ROWS)
    config: dict[str, object] = {"source_row": st.column_config.NumberColumn("Row", format="%d")}
    for column in shown.columns:
        label = PREVIEW_LABELS.get(column) or FIELD_LABELS.get(column, column)
        if column.startswith("unit_"):
            label = f"Unit level {column.split('_', 1)[1]}"
        if pd.api.types.is_datetime64_any_dtype(shown[column]):
            config[column] = _format.date_column(label)
        elif column != "source_row":
            config[column] = st.column_config.TextColumn(label)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, placeholder="")
    st.caption(f"The first {len(shown)} of {len(frame):,} rows as they will be stored.")


def show_problems(key: str, result: LoadResult) -> None:
    """Row-level problems (the fatal one is shown above): one line per reason, what can
    change a status first; courses nobody is asked to do folded, counted per title; every
    row in a folded table and an audited download."""
    problems = result.report.problems[["row", "column", "value", "reason", "severity"]]
    problems = problems[problems["severity"] != "fatal"].reset_index(drop=True)
    if problems.empty:
        return
    counts = problems["severity"].value_counts()
    summary = ", ".join(
        f"{counts[s]:,} {s}{'s' if counts[s] != 1 else ''}" for s in SEVERITY_WORDS if s in counts
    )
    if counts.get("error", 0) or counts.get("warning", 0):
        st.warning(
            f"Problems: {summary}. Rows with an error are not imported; rows with a warning "
            "are imported but deserve a look.",
            icon=":material/report:",
        )
    else:
        st.info(f"Findings: {summary}. Nothing was left out.", icon=":material/info:")
    grouped = by_reason(problems)
    st.dataframe(
        grouped[grouped["changes_status"]].drop(columns="changes_status"),
        hide_index=True, width="stretch", column_config=GROUP_CONFIG, placeholder="",
    )
    others = per_value(problems, OTHER_COURSE)
    if not others.empty:
        with st.expander(
            f"Courses no requirement asks for: {int(others['rows'].sum()):,} rows, "
            f"{len(others):,} titles (imported, counted for nothing)",
            icon=":material/school:",
        ):
            st.dataframe(others, hide_index=True, width="stretch", placeholder="",
                         column_config={"value": "Course title", "rows": "Rows"})
    with st.expander(f"Every problem, row by row ({len(problems):,})", icon=":material/list:"):
        st.dataframe(
            problems,
            hide_index=True,
            width="stretch",
            height=min(400, 50 + 35 * len(problems)),
            column_config=ROW_CONFIG,
            placeholder="",
        )
        stated = _downloads.purpose_box(f"problems_{key}", "e.g. fixing the LMS export")
        st.download_button(
            "Download the problems (csv)",
            data=_records.audited(
                partial(to_csv_bytes, problems.assign(file=result.report.file)),
                what=f"load problems of {result.report.file}", rows=len(problems),
                purpose=stated,
            ),
            file_name=f"problems-{key}.csv",
            mime="text/csv",
            disabled=stated is None,
            on_click="ignore",
            icon=":material/download:",
            key=f"problems_{key}",
        )


def mapping_editor(
    key: str,
    kind: str,
    headers: list[str],
    detected: dict[str, str],
    shown: dict[str, str],
    suggested: dict[str, str],
) -> dict[str, str]:
    """One select box per source column; returns the chosen source header -> field.
    A ``suggested`` column is preselected and marked so the user checks it."""
    options = [IGNORE, *FIELDS[kind]]
    chosen: dict[str, str] = {}
    columns = st.columns(4)
    for position, header in enumerate(headers):
        current = shown.get(header, IGNORE)
        options_here = options if current in options else [*options, current]
        mark = f" ({SUGGESTED})" if header in suggested else ""
        with columns[position % 4]:
            field = st.selectbox(
                _format.literal(header) + mark,
                options_here,
                index=options_here.index(current),
                format_func=lambda f: FIELD_LABELS.get(f, f),
                key=f"map_{key}_{kind}_{header}",
                help=f"Detected: {FIELD_LABELS.get(detected.get(header, IGNORE), '')}"
                + (f"; suggested: {FIELD_LABELS.get(suggested[header], '')}" if mark else ""),
            )
        if field != IGNORE:
            chosen[header] = field
    return chosen


def course_picker(key: str, result: LoadResult, rules: Rules | None) -> None:
    """Per-course exports: the course comes from the title or file name, or the user."""
    courses = list(rules.courses) if rules is not None else []
    if not courses:
        st.warning(
            "This file has no course column and there are no requirements yet: import the "
            "requirements file first so the course can be named.",
            icon=":material/warning:",
        )
        return
    options = [CHOOSE_COURSE, *courses]
    detected = result.report.course
    st.selectbox(
        "Course for every row of this file",
        options,
        index=options.index(detected) if detected in options else 0,
        key=f"course_{key}",
        help="This export has no course column: it is one course's completion report.",
    )
