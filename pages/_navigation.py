"""The dashboard's page list for the signed-in role, and the way back to it for a page
opened by its own URL.

Deny by default: nobody signed in gets the sign-in page alone, whatever the URL; a role
gets the pages its capabilities allow (``compliance.auth``), and each page checks again
(``pages._frame.show``), because a page file can be opened directly: with a ``pages/``
folder next to ``dashboard.py``, Streamlit runs a page file itself, with a page list of
its own, when the first request a freshly started server gets is a page's URL (a
bookmark). :func:`ensure` sends such a session through ``dashboard.py``'s navigation.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from compliance import auth
from pages import _auth
from pages._errors import user_errors

ENTERED = "navigation_entered"
"""Session key set by every run that came through :func:`run`."""


@dataclass(frozen=True)
class PageSpec:
    """One page of the navigation, as data (tests read the list without a running app)."""

    section: str
    file: str
    title: str
    icon: str
    needs: str
    """The capability (``compliance.auth.CAPABILITIES``) a role must have to open it."""

    @property
    def url_path(self) -> str:
        """The address Streamlit gives the page: its file name without ``.py``."""
        return self.file.rsplit("/", 1)[-1].removesuffix(".py")


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Compliance", "pages/overview.py", "Overview", ":material/dashboard:", "figures"),
    PageSpec("Compliance", "pages/units.py", "Units", ":material/account_tree:", "figures"),
    PageSpec("Compliance", "pages/overdue.py", "Overdue", ":material/assignment_late:", "figures"),
    PageSpec("Compliance", "pages/report.py", "Board report", ":material/summarize:", "figures"),
    PageSpec("Compliance", "pages/person.py", "Person", ":material/person_search:", "person"),
    PageSpec("Compliance", "pages/incident.py", "Incident check", ":material/gavel:", "person"),
    PageSpec("Data", "pages/upload.py", "Upload", ":material/upload_file:", "data"),
    PageSpec("Data", "pages/imports.py", "Imports", ":material/history:", "data"),
    PageSpec("Data", "pages/rules.py", "Rules", ":material/rule:", "data"),
    PageSpec("Data", "pages/data_quality.py", "Data quality", ":material/fact_check:", "data"),
    PageSpec("Administration", "pages/audit.py", "Audit log", ":material/policy:", "audit"),
    PageSpec("Administration", "pages/accounts.py", "Accounts", ":material/manage_accounts:",
             "accounts"),
)
"""Every page, in order; a role sees those it has the capability for, the first one as its
start page. To add a page, add it here."""


def spec(file: str) -> PageSpec:
    """The page whose file is ``file`` (a path ending in ``pages/<name>.py``)."""
    name = "pages/" + file.replace("\\", "/").rsplit("/", 1)[-1]
    return next(page for page in PAGES if page.file == name)


def sections(role: str | None) -> dict[str, list[st.Page]]:
    """The pages ``role`` may open, by section; the sign-in page alone for nobody."""
    allowed = [page for page in PAGES if role is not None and auth.may(role, page.needs)]
    if not allowed:
        return {"": [_sign_in_at(""), *(_sign_in_at(page.url_path) for page in PAGES)]}
    grouped: dict[str, list[st.Page]] = {}
    for position, page in enumerate(allowed):
        grouped.setdefault(page.section, []).append(
            st.Page(page.file, title=page.title, icon=page.icon, default=position == 0)
        )
    return grouped


def _sign_in_at(url_path: str) -> st.Page:
    """The sign-in form under a page's own address, so a bookmark signs in and lands there
    (Streamlit would otherwise answer an unknown address with "page not found")."""
    return st.Page(_auth.sign_in_page, title="Sign in", url_path=url_path or "sign-in",
                   icon=":material/login:", default=not url_path)


def run() -> None:
    """Find who is signed in, then show their navigation and run the page the URL names
    (a page they may not open, or any page for nobody, falls back to their start page)."""
    st.session_state[ENTERED] = True
    signed = None
    with user_errors():
        signed = _auth.resolve()
    if signed is not None and signed.must_change_password:
        st.navigation([st.Page(lambda: _auth.change_password_page(signed), title="Password",
                               url_path="password", default=True)], position="hidden").run()
        return
    role = None if signed is None else signed.role
    st.navigation(sections(role), position="sidebar" if role else "hidden").run()


def ensure() -> None:
    """Rerun a session that bypassed :func:`run` through the dashboard's navigation."""
    if not st.session_state.get(ENTERED):
        st.navigation(sections(None), position="hidden")
        st.rerun()
