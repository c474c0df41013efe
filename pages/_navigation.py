"""The dashboard's page list, and the way back to it for a page opened by its own URL.

With a ``pages/`` folder next to ``dashboard.py``, Streamlit runs a page file directly,
with a page list of its own built from the folder, when the first request a freshly
started server gets is a page's URL (a bookmark). :func:`ensure` sends such a session
through ``dashboard.py``'s navigation instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

ENTERED = "navigation_entered"
"""Session key set by every run that came through :func:`run`."""


@dataclass(frozen=True)
class PageSpec:
    """One page of the navigation, as data (tests read the list without a running app)."""

    section: str
    file: str
    title: str
    icon: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Compliance", "pages/overview.py", "Overview", ":material/dashboard:", True),
    PageSpec("Compliance", "pages/units.py", "Units", ":material/account_tree:"),
    PageSpec("Compliance", "pages/overdue.py", "Overdue", ":material/assignment_late:"),
    PageSpec("Compliance", "pages/person.py", "Person", ":material/person_search:"),
    PageSpec("Data", "pages/upload.py", "Upload", ":material/upload_file:"),
    PageSpec("Data", "pages/imports.py", "Imports", ":material/history:"),
    PageSpec("Data", "pages/rules.py", "Rules", ":material/rule:"),
    PageSpec("Data", "pages/data_quality.py", "Data quality", ":material/fact_check:"),
)
"""Every page, in order. To add a page, add it here."""


def sections() -> dict[str, list[st.Page]]:
    """The pages as Streamlit's navigation wants them, by section."""
    grouped: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        grouped.setdefault(spec.section, []).append(
            st.Page(spec.file, title=spec.title, icon=spec.icon, default=spec.default)
        )
    return grouped


def run() -> None:
    """Show the navigation and run the page the URL names."""
    st.session_state[ENTERED] = True
    st.navigation(sections()).run()


def ensure() -> None:
    """Rerun a session that bypassed :func:`run` through the dashboard's navigation."""
    if not st.session_state.get(ENTERED):
        st.navigation(sections())
        st.rerun()
