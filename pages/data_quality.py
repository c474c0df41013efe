"""Data quality: the rows to fix at source before trusting the figures.

Each finding names the file and row it came from. Course titles that count for no
requirement can be added to a requirement as an alias here: that saves a new rules
version, and every status is recomputed with it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from compliance import rules_table
from compliance.rules import Rules
from pages import _data, _errors, _format, _frame
from pages._sidebar import View

SOURCE_COLUMNS = {
    "source_file": st.column_config.TextColumn("File"),
    "source_row": st.column_config.NumberColumn("Row", format="%d"),
}
SECTIONS: dict[str, tuple[str, str]] = {
    "unmatched": (
        "Not on the roster",
        "Completions whose staff ID and email match nobody on the roster: they count for "
        "nobody. A likely person is suggested by email, a similar ID or a similar name; "
        "correct the ID in the learning system (or the roster) and upload again.",
    ),
    "unknown_titles": (
        "Unknown courses",
        "Course titles that count for no requirement. If one is a requirement under "
        "another name, add it as an alias below.",
    ),
    "missing_details": (
        "Missing unit or start date",
        "People without a unit drop out of unit views; without a start date they get no "
        "new-starter grace period.",
    ),
    "duplicates": (
        "Duplicate people",
        "Rows sharing an ID, or one email under several IDs: a status could land on the "
        "wrong person.",
    ),
    "implausible_dates": (
        "Implausible dates",
        "Dates before 1990 (often a placeholder) and completions dated in the future.",
    ),
    "after_leaving": (
        "Completed after leaving",
        "Completions dated after the person's leaving date: a wrong person or a wrong date.",
    ),
    "unused_exemptions": (
        "Exemptions that exempt nobody",
        "Exemptions whose staff ID is on no roster row (exemptions match by ID only), or "
        "whose course is neither * nor a requirement's name, alias or code. Correct the "
        "exemptions list and upload it again.",
    ),
}


def table(frame: pd.DataFrame, config: dict | None = None) -> None:
    """The finding first, then the file and row it came from."""
    order = [c for c in frame.columns if c not in SOURCE_COLUMNS] + [
        c for c in SOURCE_COLUMNS if c in frame.columns
    ]
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=min(420, 50 + 35 * len(frame)),
        column_order=order,
        column_config={**SOURCE_COLUMNS, **(config or {})},
        placeholder="",
    )


def alias_form(unknown: pd.DataFrame, rules: Rules | None) -> None:
    """Add an unknown title to a requirement: a new rules version, statuses recomputed."""
    if rules is None or not rules.requirements:
        st.caption("Upload the requirements first to add titles to them.")
        return
    st.markdown("**Count a title for a requirement**")
    titles = unknown["course"].tolist()
    left, right = st.columns(2)
    title = left.selectbox("Title", titles, key="dq_title")
    suggested = unknown.set_index("course").get("suggested", pd.Series(dtype=object))
    guess = suggested.get(title)
    courses = list(rules.courses)
    course = right.selectbox(
        "Counts for",
        courses,
        index=courses.index(guess) if guess in courses else None,
        placeholder="Choose the requirement it counts for",
        key="dq_course",
        help="Suggested from the closest course name or alias, where one is close.",
    )
    label = (
        f"Add '{_format.literal(title)}' as an alias of {_format.literal(course)}"
        if course else "Add as an alias"
    )
    if st.button(label, icon=":material/add_link:", key="dq_add", disabled=course is None):
        with _errors.user_errors():
            new = rules_table.add_alias(rules, course, title)
            message = _data.save_rules(
                new, f"rules-alias-{dt.datetime.now():%Y-%m-%d-%H%M%S}.yaml"
            )
            st.session_state["dq_done"] = (
                f"'{title}' now counts for {course}. {message}; statuses are recomputed."
            )
            st.rerun()


def section(key: str, frame: pd.DataFrame, rules: Rules | None) -> None:
    title, explanation = SECTIONS[key]
    st.caption(explanation)
    if frame.empty:
        st.success("Nothing to fix here.", icon=":material/check_circle:")
        return
    if key == "unmatched":
        table(
            frame.dropna(axis=1, how="all"),
            {
                "person_id": "Staff ID in file",
                "email": "Email in file",
                "course": "Course",
                "completed_on": _format.date_column("Completed"),
                "likely_person_id": "Likely staff ID",
                "likely_name": "Likely person",
                "likely_by": "Suggested by",
            },
        )
    elif key == "unknown_titles":
        table(
            frame,
            {
                "course": "Course title",
                "rows": "Rows",
                "people": "People",
                "suggested": "Closest requirement",
                "source_file": "First file",
                "source_row": "First row",
            },
        )
        alias_form(frame, rules)
    else:
        dates = {
            c: _format.date_column(c.replace("_", " ").capitalize())
            for c in ("date", "completed_on", "leave_date", "from", "until")
            if c in frame
        }
        table(frame, dates)


def render(view: View) -> None:
    done = st.session_state.pop("dq_done", None)
    if done:
        st.success(_format.literal(done), icon=":material/check_circle:")
    _frame.require_data()
    found = _data.quality_findings(view.as_of)
    rules = _data.rules()
    counts = found.counts()
    total = sum(counts.values())
    if total:
        st.markdown(f"**{total:,}** findings to look at; each names the file and row to fix.")
    else:
        st.success("No findings: the data passes every check.", icon=":material/check_circle:")
    tabs = st.tabs([f"{title} ({counts[key]:,})" for key, (title, _) in SECTIONS.items()])
    for tab, key in zip(tabs, SECTIONS, strict=True):
        with tab:
            section(key, getattr(found, key), rules)


_frame.show(
    __file__,
    "Data quality",
    "Rows that need fixing at source: completions that belong to nobody, unknown course "
    "titles, gaps in the roster, duplicates and impossible dates.",
    render,
)
