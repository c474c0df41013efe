"""The dashboard's page list, and the way back to it for a page opened by its own URL.

With a ``pages/`` folder next to ``dashboard.py``, Streamlit runs a page file directly,
with a page list of its own built from the folder, when the first request a freshly
started server gets is a page's URL (a bookmark). :func:`ensure` sends such a session
through ``dashboard.py``'s navigation instead.
"""

from __future__ import annotations

import streamlit as st

ENTERED = "navigation_entered"
"""Session key set by every run that came through :func:`run`."""


def sections() -> dict[str, list[st.Page]]:
    """Every page, by section. To add a page, add an ``st.Page`` here."""
    return {
        "Compliance": [
            st.Page(
                "pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
            ),
            st.Page("pages/units.py", title="Units", icon=":material/account_tree:"),
            st.Page("pages/overdue.py", title="Overdue", icon=":material/assignment_late:"),
            st.Page("pages/person.py", title="Person", icon=":material/person_search:"),
        ],
        "Data": [
            st.Page("pages/upload.py", title="Upload", icon=":material/upload_file:"),
            st.Page("pages/imports.py", title="Imports", icon=":material/history:"),
            st.Page("pages/rules.py", title="Rules", icon=":material/rule:"),
            st.Page("pages/data_quality.py", title="Data quality", icon=":material/fact_check:"),
        ],
    }


def run() -> None:
    """Show the navigation and run the page the URL names."""
    st.session_state[ENTERED] = True
    st.navigation(sections()).run()


def ensure() -> None:
    """Rerun a session that bypassed :func:`run` through the dashboard's navigation."""
    if not st.session_state.get(ENTERED):
        st.navigation(sections())
        st.rerun()
