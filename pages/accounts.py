"""Accounts (admin): who may sign in, as what, for which units; add, change, disable, reset.

A new account or a reset gets a one-time password, shown here once, that its user must
replace at the first sign-in; no page ever shows a password or a hash otherwise. Every
change is an audit entry.
"""

from __future__ import annotations

import streamlit as st

from compliance import auth, units
from pages import _data, _errors, _format, _frame, _identity, _session
from pages._sidebar import View

# Session key of the last one-time password issued, shown once then dropped.
ONE_TIME = "accounts_one_time"


def listing() -> None:
    accounts = _identity.account_listing()
    st.dataframe(
        accounts,
        hide_index=True,
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("User name"),
            "role": st.column_config.TextColumn("Role"),
            "units": st.column_config.TextColumn("Units (viewers)"),
            "email": st.column_config.TextColumn("E-mail (single sign-on)"),
            "state": st.column_config.TextColumn("State"),
            "demo": st.column_config.CheckboxColumn("Demo"),
            "locked_until": st.column_config.DatetimeColumn("Locked until (UTC)",
                                                            format="D MMM YYYY, HH:mm"),
        },
        placeholder="",
    )


def add_form(view: View) -> None:
    with st.form("add_account", clear_on_submit=True):
        st.markdown("**Add an account**")
        name_column, role_column, email_column = st.columns(3)
        name = name_column.text_input("User name", key="new_name")
        role = role_column.selectbox("Role", auth.ROLES, key="new_role")
        email = email_column.text_input("E-mail (for single sign-on, optional)", key="new_email")
        chosen = st.multiselect(
            "Units (a viewer sees only these, at any level)",
            units.unit_options(_data.roster(view.as_of)),
            key="new_units",
        )
        if st.form_submit_button("Add the account", type="primary", icon=":material/person_add:"):
            with _errors.user_errors():
                password = _identity.add_account(name, role, tuple(chosen), email or None)
                st.session_state[ONE_TIME] = (name.strip().casefold(), password)
                st.rerun()


def change_form(names: list[str], view: View) -> None:
    st.markdown("**Change an account**")
    name = st.selectbox("Account", names, key="change_name", index=None,
                        placeholder="Choose an account")
    if name is None:
        return
    left, middle, right = st.columns(3)
    role = left.selectbox("New role", auth.ROLES, key="change_role")
    chosen = middle.multiselect("Units (viewers)", units.unit_options(_data.roster(view.as_of)),
                                key="change_units")
    with right, _errors.user_errors():
        if st.button("Change the role", key="apply_role", icon=":material/badge:"):
            _identity.set_account_role(name, role, tuple(chosen))
            st.rerun()
        if st.button("Disable", key="disable", icon=":material/block:"):
            _identity.set_account_disabled(name, disabled=True)
            st.rerun()
        if st.button("Enable (and unlock)", key="enable", icon=":material/lock_open:"):
            _identity.set_account_disabled(name, disabled=False)
            st.rerun()
        if st.button("Reset the password", key="reset", icon=":material/key:"):
            st.session_state[ONE_TIME] = (name, _identity.reset_account_password(name))
            st.rerun()


def render(view: View) -> None:
    issued = st.session_state.pop(ONE_TIME, None)
    if issued is not None:
        name, password = issued
        st.success(
            f"One-time password for {_format.literal(name)}: give it to them in person or by "
            "phone; it is shown only now and must be changed at the first sign-in.",
            icon=":material/key:",
        )
        st.code(password, language=None)
    listing()
    add_form(view)
    accounts = _identity.account_listing()
    me = _session.user_name()
    change_form([n for n in accounts["name"] if n != me], view)


_frame.show(
    __file__,
    "Accounts",
    "Who may sign in, with which role and units. Viewers see only their units; auditors see "
    "the audit log and person checks; managers run the data; admins also manage accounts.",
    render,
)
