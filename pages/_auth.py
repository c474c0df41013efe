"""Who is signed in, on every run: the sign-in form, the first-admin notice, signing out.

Deny by default: :func:`resolve` runs first in every page run (from the navigation) and
finds the account from the session's random token in the store, never from anything else
in the session, so editing session state or the URL signs nobody in and widens no scope.
``COMPLIANCE_AUTH=local`` (default) uses the store's accounts and passwords;
``COMPLIANCE_AUTH=oidc`` uses Streamlit's ``st.login`` (single sign-on configured in
``.streamlit/secrets.toml``) and takes the role and units from the account with that e-mail.
"""

from __future__ import annotations

import os

import streamlit as st

from compliance import auth
from compliance.auth import Account
from pages import _errors, _format, _identity, _session

TOKEN = "session_token"
"""Session key of the session's random token (the store keeps only its sha256)."""
MODES = ("local", "oidc")
FIRST_ADMIN = (
    "No account exists yet. On the server, create the first administrator:\n\n"
    "```bash\n.venv/bin/python -m compliance users add YOUR-NAME --role admin\n```\n\n"
    "It prints a one-time password; sign in with it here and choose your own. Or load the "
    "demo force (`python -m compliance demo`), which creates one demo account per role."
)


def mode() -> str:
    """``COMPLIANCE_AUTH``: ``local`` (default) or ``oidc``."""
    chosen = os.environ.get("COMPLIANCE_AUTH", "local").strip().lower() or "local"
    return chosen if chosen in MODES else "local"


def resolve() -> Account | None:
    """The account signed in to this session now (None: nobody), kept for this run."""
    state = st.session_state
    accounts = _identity.accounts()
    account = auth.current(accounts, state.get(TOKEN), _identity.now())
    email = _oidc_email() if account is None and mode() == "oidc" else None
    if email is not None:
        found = accounts.by_email(email)
        if found is not None and not found.disabled:
            state[TOKEN] = auth.open_session(accounts, found, how="single sign-on").token
            account = found
    _session.keep(account)
    return account


def sign_in_page() -> None:
    """The only page an anonymous session gets, whatever its URL."""
    st.title("Training compliance")
    with _errors.user_errors():
        _sign_in_choices()


def _sign_in_choices() -> None:
    if _identity.account_count() == 0:
        st.info(FIRST_ADMIN, icon=":material/admin_panel_settings:")
        return
    if mode() == "oidc":
        _oidc_sign_in()
    else:
        _password_form()
    demo = _identity.demo_accounts()
    if not demo.empty:
        st.warning(
            "Demo data - fictional force. These demo accounts (one per role) work until the "
            "demo is removed:",
            icon=":material/theater_comedy:",
        )
        st.dataframe(demo, hide_index=True, width="content", placeholder="")


def _password_form() -> None:
    with st.form("sign_in"):
        name = st.text_input("User name", key="sign_in_name")
        password = st.text_input("Password", type="password", key="sign_in_password")
        if st.form_submit_button("Sign in", type="primary"):
            _sign_in(name, password)


def _sign_in(name: str, password: str) -> None:

    with _errors.user_errors():
        signed = auth.sign_in(_identity.accounts(), name, password, _identity.now())
        st.session_state[TOKEN] = signed.token
        st.session_state.pop("sign_in_password", None)
        st.rerun()


def _oidc_sign_in() -> None:
    email = _oidc_email()
    if email is not None:
        st.error(
            f"There is no enabled account for {_format.literal(email)}: ask an "
            "administrator to add one with this e-mail.",
            icon=":material/no_accounts:",
        )
        st.button("Sign out", on_click=st.logout, key="oidc_sign_out")
        return
    st.button("Sign in with your organisation account", type="primary", on_click=st.login,
              key="oidc_sign_in")


def _oidc_email() -> str | None:
    """The e-mail the identity provider signed in to this browser (None: nobody), as
    ``st.user`` holds it from the ID token."""
    if not getattr(st.user, "is_logged_in", False):
        return None
    email = st.user.get("email")
    return str(email) if email else None


def change_password_page(signed: Account) -> None:
    """A one-time password must be replaced before anything else is shown."""
    st.title("Choose your password")
    st.info(
        f"You signed in as {signed.name} with a one-time password: choose your own "
        f"(at least {auth.MIN_PASSWORD_LENGTH} characters) to go on.",
        icon=":material/password:",
    )
    with st.form("change_password"):
        new = st.text_input("New password", type="password", key="new_password")
        again = st.text_input("New password again", type="password", key="new_password_again")
        if st.form_submit_button("Save the password", type="primary"):
            _change_password(signed, new, again)


def _change_password(signed: Account, new: str, again: str) -> None:

    with _errors.user_errors():
        if new != again:
            raise auth.AuthError("the two passwords differ: type the same one twice")
        _identity.change_own_password(new)
        st.rerun()


def sidebar_identity(signed: Account) -> None:
    """Who is signed in, as what, and Sign out."""
    units = f" - {'; '.join(signed.units)}" if signed.units else ""
    st.caption(
        f"Signed in as **{_format.literal(signed.name)}** ({signed.role}){_format.literal(units)}"
    )
    st.button("Sign out", key="sign_out", on_click=sign_out, icon=":material/logout:")


def sign_out() -> None:
    state = st.session_state
    token, signed = state.pop(TOKEN, None), _session.account()
    if token and signed is not None:
        auth.sign_out(_identity.accounts(), token, signed.name)
    _session.keep(None)
    if mode() == "oidc" and _oidc_email() is not None:
        st.logout()
