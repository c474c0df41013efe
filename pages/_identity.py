"""The store's accounts as the sign-in and Accounts pages use them, as the signed-in admin.

Like ``pages._data``, only through ``compliance.access`` and the account functions, never
the store itself.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from compliance import access, account_admin
from compliance.auth import AccountStore
from pages import _session
from pages._data import _connection, _url, current_user, demo_active


def accounts() -> AccountStore:
    """The store's accounts and sessions, for sign-in."""
    return access.accounts(_connection(_url()))


def account_count() -> int:
    return accounts().count()


def demo_accounts() -> pd.DataFrame:
    """The demo's accounts with their fictional passwords, while the demo is loaded."""
    return access.demo_accounts(_connection(_url())) if demo_active() else pd.DataFrame()


def change_own_password(new: str) -> None:
    """The signed-in user's own new password."""
    account_admin.change_password(_connection(_url()), current_user(), new, by=current_user())


def account_listing() -> pd.DataFrame:
    """Every account, without passwords or hashes (admins only reach this page)."""
    return account_admin.listing(_connection(_url()))


def add_account(name: str, role: str, units: tuple[str, ...], email: str | None) -> str | None:
    """Create an account as the signed-in admin; its one-time password. An account made
    by a demo account is a demo account, removed with the demo."""
    signed = _session.account()
    return account_admin.add(
        _connection(_url()), name, role=role, units=units, email=email, by=current_user(),
        demo=bool(signed and signed.demo),
    )


def set_account_role(name: str, role: str, units: tuple[str, ...]) -> None:
    account_admin.set_role(_connection(_url()), name, role, units, by=current_user())


def set_account_disabled(name: str, *, disabled: bool) -> None:
    account_admin.set_disabled(_connection(_url()), name, disabled=disabled, by=current_user())


def reset_account_password(name: str) -> str:
    return account_admin.reset_password(_connection(_url()), name, by=current_user())


def now() -> dt.datetime:
    """Now in UTC without a zone, as the store keeps times."""
    return access.utc_now()
