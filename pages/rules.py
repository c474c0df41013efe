"""Rules: the requirements as an editable table, checked cell by cell, previewed, versioned.

Saving stores the edited rules as a new requirements import (the YAML the table
describes), so every version is kept, audited and can be withdrawn on the Imports page.
Before saving, the page shows how many (person, course) pairs would change status.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from compliance import rules_table, units
from compliance.rules import DEFAULT_DUE_SOON_DAYS, STAFF_TYPES, Rules, dump_rules, load_rules
from pages import _data, _errors, _format, _frame, _rules_change
from pages._sidebar import View

# Session key bumped after a save, so the editor starts again from the saved rules.
ROUND = "rules_round"
# Pixels for the number columns: their short labels read whole at a laptop's width.
COUNT_WIDTH = 105


def column_config(rules: Rules | None, roster: pd.DataFrame) -> dict:
    labels = rules_table.LABELS
    aliases = sorted({a for r in (rules.requirements if rules else ()) for a in r.aliases})
    roles = sorted(roster["role"].dropna().astype(str).unique()) if "role" in roster else []

    def listed(key: str, options: list[str], new: bool, help_text: str):
        return st.column_config.MultiselectColumn(
            labels[key], options=options, accept_new_options=new, help=help_text, width="medium"
        )

    def count(key: str, help_text: str):
        return st.column_config.NumberColumn(
            labels[key], step=1, format="%d", help=help_text, width=COUNT_WIDTH
        )

    return {
        "course": st.column_config.TextColumn(
            labels["course"],
            required=True,
            width="medium",
            help="The requirement's name as people know it; must be unique.",
        ),
        "aliases": listed(
            "aliases",
            aliases,
            True,
            "Other titles or codes that count. Between slashes, a regular expression: "
            "/managing\\s+info/",
        ),
        "staff_type": listed("staff_type", list(STAFF_TYPES), False, "Empty: every staff type."),
        "unit": listed(
            "unit",
            units.unit_options(roster),
            True,
            "A unit includes everything below it. Empty: every unit.",
        ),
        "role": listed("role", roles, True, "Ranks or job titles. Empty: every role."),
        "renewal_months": count("renewal_months", "Empty: once is enough."),
        "new_starter_days": count(
            "new_starter_days", "Grace after the start date for someone with no completion."
        ),
        "due_soon_days": count("due_soon_days", "Empty: the default above."),
        "not_before": st.column_config.DateColumn(
            labels["not_before"],
            format=_format.DATE_FORMAT,
            help="Completions before this date do not count (a new course version).",
        ),
        "deadline": st.column_config.DateColumn(
            labels["deadline"],
            format=_format.DATE_FORMAT,
            help="Everyone must hold a counting completion by this date.",
        ),
    }


def save(new: Rules, file_name: str, data: bytes | None = None) -> None:
    """Store ``new`` (or the uploaded file ``data`` it was read from) as the next
    requirements version and start the editor afresh."""
    message = (
        _data.save_rules(new, file_name)
        if data is None
        else _data.import_rules_file(data, file_name)
    )
    st.session_state["rules_saved"] = message
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
    st.rerun()


def stamp() -> str:
    return f"{dt.datetime.now():%Y-%m-%d-%H%M}"


def editor(rules: Rules | None, view: View) -> None:
    """The table, its cell messages, the preview and Save."""
    round_ = st.session_state.get(ROUND, 0)
    if rules is None:
        st.info(
            "No requirements yet: add one row per mandatory course below, or upload a "
            "requirements YAML file at the bottom of this page.",
            icon=":material/rule:",
        )
    due_soon = st.columns(3)[0].number_input(
        "Default due-soon days",
        min_value=0,
        step=1,
        value=rules.due_soon_days if rules is not None else DEFAULT_DUE_SOON_DAYS,
        key=f"due_soon_{round_}",
        help="How long before a completion runs out it counts as expiring, for requirements "
        "that do not set their own.",
    )
    st.caption(
        "One row per mandatory course. Click a cell to change it, type in the empty row at the "
        "bottom to add a requirement, or select rows and press Delete to remove them. Empty "
        "'applies to' cells mean everyone."
    )
    edited = st.data_editor(
        rules_table.rules_to_table(rules),
        column_config=column_config(rules, _data.roster(view.as_of)),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=f"rules_editor_{round_}",
        placeholder="",
    )
    new, problems = rules_table.table_to_rules(edited, int(due_soon))
    if not problems.empty:
        for problem in problems.itertuples(index=False):
            st.error(
                f"Row {problem.row}, {problem.column}: {problem.message}",
                icon=":material/error:",
            )
        st.caption("Fix the cells named above; nothing is saved until they are right.")
    elif new is not None and new != rules:
        _rules_change.show_changes(rules, new, view.as_of)
        if st.button("Save as a new version", type="primary", icon=":material/save:", key="save"):
            save(new, f"rules-edited-{stamp()}.yaml")
    else:
        st.caption("No unsaved changes.")


def yaml_files(rules: Rules | None, view: View) -> None:
    """Download the rules in force; upload a YAML file as the next version."""
    st.subheader("YAML")
    left, right = st.columns(2)
    left.download_button(
        "Download the rules in force (YAML)",
        data=dump_rules(rules) if rules is not None else "",
        file_name=f"requirements-{dt.date.today():%Y-%m-%d}.yaml",
        mime="application/yaml",
        disabled=rules is None,
        on_click="ignore",
        icon=":material/download:",
    )
    upload = right.file_uploader(
        "Upload a requirements YAML file",
        type=["yaml", "yml"],
        key=f"rules_upload_{st.session_state.get(ROUND, 0)}",
    )
    if upload is None:
        return
    with _errors.user_errors():
        uploaded_version(rules, upload.name, upload.getvalue(), view)


def uploaded_version(rules: Rules | None, name: str, data: bytes, view: View) -> None:
    """An uploaded rules file: what it would change, and Save (a bad file raises RulesError)."""
    uploaded = load_rules(data, name)
    if uploaded == rules:
        st.caption(f"{_format.literal(name)} holds the rules already in force.")
        return
    _rules_change.show_changes(rules, uploaded, view.as_of)
    if st.button(f"Save {_format.literal(name)} as a new version", type="primary",
                 key="save_upload"):
        save(uploaded, name, data)


def deadline_hint(rules: Rules | None, view: View) -> None:
    """Where people who never did a course are overdue for longer than it renews, they
    started before it existed: say how many, and offer a deadline to introduce it."""
    candidates = rules_table.deadline_candidates(_data.status(view.as_of), rules)
    if rules is None or candidates.empty:
        return
    for row in candidates.itertuples(index=False):
        st.info(
            f"**{row.people:,}** people have never done {_format.literal(row.requirement)} and "
            f"are overdue by more than its renewal period (up to {int(row.longest_days):,} "
            "days): they started before it existed. A deadline gives everyone until then.",
            icon=":material/event:",
        )
    left, middle, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    course = left.selectbox("Requirement", candidates["requirement"].tolist(),
                            key="deadline_course")
    when = middle.date_input("Deadline", value=dt.date.today() + dt.timedelta(days=90),
                             format="DD/MM/YYYY", key="deadline_date")
    if right.button("Set the deadline", key="set_deadline", icon=":material/event:"):
        save(rules_table.with_deadline(rules, course, when), f"rules-deadline-{stamp()}.yaml")


def render(view: View) -> None:
    saved = st.session_state.pop("rules_saved", None)
    if saved:
        st.success(_format.literal(saved), icon=":material/check_circle:")
    rules = _data.rules()
    deadline_hint(rules, view)
    editor(rules, view)
    yaml_files(rules, view)


_frame.show(
    __file__,
    "Rules",
    "Which courses are mandatory, for whom and how often. Edit the table, check the effect, "
    "then save: every saved version is kept on the Imports page.",
    render,
)
