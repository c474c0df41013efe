"""The frame every page is drawn in: sidebar, title, empty states, and the one error display.

Pages raise the project's typed errors (``UserError`` and its family) and never catch them:
:func:`user_errors` here turns them, and an unreadable database, into ``st.error``, so no
traceback ever reaches a user.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from compliance import sources
from compliance.errors import UserError
from pages import _data, _navigation, _sidebar
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


@contextmanager
def user_errors() -> Iterator[None]:
    """Show the project's typed errors (and an unreadable database) as ``st.error``."""
    try:
        yield
    except UserError as error:
        st.error(str(error), icon=":material/error:")
    except SQLAlchemyError as error:
        st.error(
            "The compliance store cannot be read "
            f"({type(error).__name__}). Check COMPLIANCE_DB and that the database is running.",
            icon=":material/error:",
        )


def show(title: str, purpose: str, render: Callable[[View], None]) -> None:
    """Draw a page: sidebar, title, what the page is for, then ``render`` for the current
    choice, with the project's typed errors shown as messages instead of tracebacks."""
    st.set_page_config(page_title=f"{title} - Training compliance", layout="wide")
    _navigation.ensure()
    with user_errors():
        _data.begin_run()
        _sidebar.sidebar()
        current = _sidebar.view()
        st.title(title)
        st.caption(
            f"{purpose}  \nAs of **{current.as_of:%d %B %Y}** - {current.filters.describe()}."
        )
        render(current)


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
