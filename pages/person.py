"""Person: one officer's status, every completion with its source row, and a point-in-time check."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from compliance import charts, evidence_text, explain
from compliance.evidence_layout import summary_table
from compliance.evidence_model import Request
from compliance.export_pack import safe_file_name
from compliance.scope import keep_values
from pages import _data, _downloads, _evidence, _format, _frame, _sidebar
from pages._sidebar import View


def render(view: View) -> None:
    _frame.require_data()

    query = st.text_input(
        "Find a person", key="person_query", placeholder="Collar number, part of a name, or email"
    )
    if not query.strip():
        st.info(
            "Type an ID, part of a name or an email address to look someone up.",
            icon=":material/person_search:",
        )
        _frame.status_help()
        st.stop()

    with st.spinner("Searching..."):
        found = explain.find_people(_data.roster(view.as_of), query)
    if found.empty:
        st.warning(
            f"No one on the roster of {view.as_of:%d %B %Y} matches "
            f"{_format.literal(repr(query.strip()))}. "
            "Check the spelling, or change the *As of* date if they have left."
        )
        st.stop()
    labels = dict(
        zip(
            found["person_id"],
            found["name"].fillna("")
            + " ("
            + found["person_id"]
            + ") - "
            + found["unit"].fillna(""),
            strict=True,
        )
    )
    person_id = st.selectbox(
        f"{len(found):,} matching", list(labels), format_func=labels.__getitem__, key="person_pick"
    )

    row, status = _data.person(person_id, view.as_of)
    who = row.iloc[0]
    text = _format.literal
    st.subheader(f"{text(who['name'])} ({text(who['person_id'])})")
    st.markdown(
        f"**Unit** {text(who['unit'])}  \n**Role** {text(who.get('role', ''))} "
        f"({text(who.get('staff_type', ''))})"
        f" | **Manager** {text(who.get('manager') or 'not recorded')}"
        f" | **Email** {text(who.get('email') or '-')}"
    )

    st.markdown(f"#### Status on {view.as_of:%d %B %Y}")
    st.dataframe(
        _format.badges(status, ["status"]).reindex(
            columns=[
                "course",
                "status",
                "last_completed",
                "due_date",
                "days_overdue",
                "evidence_file",
                "evidence_row",
                "exemption_reason",
            ]
        ),
        column_config={
            "course": st.column_config.TextColumn("Course"),
            "status": st.column_config.TextColumn("Status"),
            "last_completed": _format.date_column("Last counting completion"),
            "due_date": _format.date_column("Due date"),
            "days_overdue": st.column_config.NumberColumn("Days overdue", format="%d"),
            "evidence_file": st.column_config.TextColumn("From file"),
            "evidence_row": st.column_config.NumberColumn("Row", format="%d"),
            "exemption_reason": st.column_config.TextColumn("Exemption"),
        },
        hide_index=True,
        width="stretch",
        placeholder="",
    )

    st.markdown("#### Every completion on record")
    history = keep_values(_data.history(view.as_of), "person_id", [person_id])
    st.plotly_chart(charts.person_timeline(history), width="stretch")
    st.dataframe(
        history.reindex(
            columns=["completed_on", "course", "course_code", "source_file", "source_row"]
        ),
        column_config={
            "completed_on": _format.date_column("Completed on"),
            "course": st.column_config.TextColumn("Course (as in the file)"),
            "course_code": st.column_config.TextColumn("Code"),
            "source_file": st.column_config.TextColumn("File"),
            "source_row": st.column_config.NumberColumn("Row", format="%d"),
        },
        hide_index=True,
        width="stretch",
        placeholder="",
    )

    st.markdown("#### Point-in-time check")
    when = pd.Timestamp(
        st.date_input(
            "Was this person compliant on",
            value=view.as_of.date(),
            key="person_when",
            format="DD/MM/YYYY",
            min_value=_sidebar.EARLIEST_DATE,
            max_value=dt.date.today(),
            help="Uses the roster in force on that date and the same rules as every other page.",
        )
    )
    with st.spinner("Checking..."):
        checked = _data.incident_check(Request(when, (person_id,)))
    _evidence.warnings(checked)
    for person in checked.people:
        st.dataframe(summary_table(person), column_config=_evidence.SUMMARY_COLUMNS,
                     hide_index=True, width="stretch")
    text = evidence_text.report_text(checked, _evidence.cover())
    st.caption(
        "For an investigation report: copy the text below (copy button at its top right) "
        "or download it. The Incident check page makes a PDF or xlsx for several people."
    )
    st.code(text, language=None, wrap_lines=True)
    _downloads.text_export(
        "person_report",
        text,
        f"point-in-time check of {person_id} on {when:%Y-%m-%d}",
        f"compliance-{safe_file_name(person_id)}-{when:%Y-%m-%d}.txt",
    )
    _frame.status_help()


_frame.show(
    __file__,
    "Person",
    "Find someone by ID, name or email; see every requirement and completion, and whether "
    "they were compliant on a given date (for example the date of an incident).",
    render,
)
