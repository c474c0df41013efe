"""The frame every page is drawn in: sign-in check, demo banner, sidebar, title, empty states.

Pages raise the project's typed errors and never catch them: :func:`show` draws every page
inside ``pages._errors.user_errors``, the one place that turns them into ``st.error``.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from compliance import auth, demo, sources
from pages import _auth, _data, _format, _navigation, _sidebar
from pages._errors import user_errors
from pages._sidebar import View

UPLOAD_PAGE = "pages/upload.py"
UPLOAD_HINT = (
    "Upload the HR roster, the learning system's completion export and the requirements "
    "file on the **Upload** page (Data section), or load the demo force with "
    "`python -m compliance demo`."
)
STATUS_HELP = """
Each person is checked against each requirement that applies to them (their staff type,
unit and role), as of the date chosen in the sidebar. People count only between their
start date and leaving date.

- **Exempt**: an exemption for this person and course (or all courses, `*`) covers the
  date. The course is the requirement's name; an alias or code of it also works.
- **Compliant**: their latest counting completion (on or before the date, and not before
  the requirement's *not before* date) is still valid: courses with no renewal period stay
  valid for good; others until *completion + renewal months*.
- **Expiring**: compliant, but the completion runs out within the due-soon window
  (30 days unless the requirement says otherwise).
- **Overdue**: the completion has run out, or there is none and the grace period
  (new starters' days after their start date, or the requirement's deadline) has passed.
  *Days overdue* count from that due date.
- **Pending**: no completion yet, but still within the new-starter grace period or before
  the deadline.

**Compliance rate** = (compliant + expiring) / (everyone in scope - exempt). Pending people
are not yet compliant, so they lower the rate.
"""


def show(file: str, title: str, purpose: str, render: Callable[[View], None]) -> None:
    """Draw the page in ``file`` (its ``__file__``): for a signed-in role that may open it,
    the demo banner when the demo is loaded, the sidebar, title, what the page is for, then
    ``render`` for the current choice, with typed errors shown as messages."""
    st.set_page_config(page_title=f"{title} - Training compliance", layout="wide")
    _navigation.ensure()
    with user_errors():
        _data.begin_run()
        if not _allowed(_navigation.spec(file)):
            return
        if _data.demo_active():
            st.warning(
                f"**{demo.BANNER}**: every figure, list and export here is made up.",
                icon=":material/theater_comedy:",
            )
        _sidebar.sidebar()
        current = _sidebar.view()
        st.title(title)
        st.caption(
            f"{purpose}  \nAs of **{current.as_of:%d %B %Y}** - "
            f"{_format.literal(current.filters.describe())}."
        )
        render(current)


def _allowed(page: _navigation.PageSpec) -> bool:
    """Whether the signed-in account may see ``page``; says why not when it may not.

    The account is found again from the session's token: a page file can run without the
    navigation's run before it (a bookmark on a fresh server), so nothing is trusted."""
    signed = _auth.resolve()
    if signed is None:
        _auth.sign_in_page()
        return False
    if not auth.may(signed.role, page.needs):
        st.error(
            f"Your role ({signed.role}) cannot open {page.title}: ask an administrator if "
            "you need it.",
            icon=":material/block:",
        )
        return False
    return True


def require_data() -> None:
    """Stop the page with an explanation of what to upload when the store lacks data."""
    missing = sources.missing_kinds(_data.imports())
    if missing:
        st.info(
            f"Nothing to show yet: the store has no {' and no '.join(missing)}. {UPLOAD_HINT}",
            icon=":material/upload_file:",
        )
        st.page_link(UPLOAD_PAGE, label="Open the Upload page", icon=":material/upload:")
        status_help()
        st.stop()


def status_help() -> None:
    with st.expander("How each status is computed", icon=":material/help:"):
        st.markdown(STATUS_HELP)
