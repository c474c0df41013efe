"""The one place typed errors become messages: no traceback ever reaches a user.

``UserError`` and its family (loaders, rules, store, sign-in, exports) carry a message
that says what to fix; an unreadable database says to check ``COMPLIANCE_DB``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from compliance.errors import UserError
from pages._format import literal


@contextmanager
def user_errors() -> Iterator[None]:
    """Show the project's typed errors (and an unreadable database) as ``st.error``."""
    try:
        yield
    except UserError as error:
        st.error(literal(str(error)), icon=":material/error:")
    except SQLAlchemyError as error:
        st.error(
            "The compliance store cannot be read "
            f"({type(error).__name__}). Check COMPLIANCE_DB and that the database is running.",
            icon=":material/error:",
        )
