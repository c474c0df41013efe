"""Incident check: were these people trained on the date of an incident? Evidence to file."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from compliance import evidence, explain
from compliance.evidence_model import Request
from pages import _data, _evidence, _format, _frame, _sidebar
from pages._sidebar import View

MAX_PICKS = 50


def render(view: View) -> None:
    _frame.require_data()

    day_column, time_column = st.columns(2)
    when = pd.Timestamp(
        day_column.date_input(
            "Date of the incident", value=view.as_of.date(), key="incident_day",
            format="DD/MM/YYYY", min_value=_sidebar.EARLIEST_DATE, max_value=dt.date.today(),
            help="Checked with the roster in force on that date and the rules in force now.",
        )
    )
    moment = time_column.time_input(
        "Time of the incident (optional)", value=None, key="incident_time", step=60,
        help="Printed in the evidence. Completion records carry a date but no time.",
    )
    pasted = st.text_area(
        "Staff IDs", key="incident_ids", height=80,
        placeholder="One per line, or separated by commas: 009917, 4321",
        help="As the roster writes them or as the learning system does: 009917 and 9917 "
        "are the same person.",
    )
    picked: list[str] = []
    query = st.text_input("Or find people on the roster in force", key="incident_find",
                          placeholder="Part of a name, an ID or an email")
    if query.strip():
        found = explain.find_people(_data.roster(when), query).head(MAX_PICKS)
        shown = found["name"].fillna("") + " (" + found["person_id"] + ") - "
        labels = dict(zip(found["person_id"], shown + found["unit"].fillna(""), strict=True))
        picked = st.multiselect(
            f"Add from {len(found):,} matching", list(labels), format_func=labels.__getitem__,
            key="incident_pick",
        )
    courses = st.multiselect("Courses that matter", list(_data.courses()),
                             key="incident_courses", placeholder="Every requirement")
    asked = tuple(dict.fromkeys([*evidence.split_ids(pasted), *picked]))
    if not asked:
        st.info("Paste staff IDs or find people to check them on that date.",
                icon=":material/person_search:")
        _frame.status_help()
        st.stop()

    with st.spinner("Checking..."):
        checked = _data.incident_check(Request(when, asked, tuple(courses), moment))
    st.markdown(
        f"#### On {_format.literal(checked.request.moment)}: {len(checked.people)} of "
        f"{len(asked)} found"
    )
    _evidence.warnings(checked)
    _evidence.answers(checked)
    _evidence.sources(checked)
    st.markdown("#### The evidence document")
    st.caption("A cover (reference, purpose, requester, marking), every warning above, a "
               "table per person and the imports cited, as PDF or xlsx.")
    _evidence.downloads("incident", checked)
    _frame.status_help()


_frame.show(
    __file__,
    "Incident check",
    "Were these people trained on the date of an incident? Each answer with the completion "
    "that decided it, any later completion, and the file, row and import behind each.",
    render,
)
