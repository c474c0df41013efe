"""The account signed in to this session for this run, as ``pages._auth.resolve`` found it.

Kept apart so the data layer can scope reads by it without importing the sign-in pages.
"""

from __future__ import annotations

import streamlit as st

from compliance import auth
from compliance.auth import Account
from compliance.scope import Scope

ACCOUNT = "signed_in_account"
"""Session key of the account found at the start of this run (overwritten every run)."""
NOBODY = Scope(units=())
"""The scope of nobody: no unit at all."""


def account() -> Account | None:
    found = st.session_state.get(ACCOUNT)
    return found if isinstance(found, Account) else None


def keep(found: Account | None) -> None:
    st.session_state[ACCOUNT] = found


def user_name() -> str:
    """Who acts, for the audit log (every page that writes needs a signed-in account)."""
    found = account()
    if found is None:
        raise auth.AuthError("sign in first", reason="signed_out")
    return found.name


def scope() -> Scope:
    """The units the signed-in account may see; nothing at all when nobody is signed in."""
    found = account()
    return NOBODY if found is None else auth.scope_of(found)
