"""Managing accounts: add, disable, enable, change a role, reset or change a password.

The command line (``python -m compliance users``) and the Accounts page both call these,
as the admin who acts; the store audits every change. A new or reset password is random,
shown once, and must be changed at the next sign-in. The last enabled admin can be neither
disabled nor demoted, so a store always has someone who can manage it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from compliance import auth
from compliance.auth import AuthError

if TYPE_CHECKING:
    from compliance.store import Store


def add(
    store: Store,
    name: str,
    *,
    role: str,
    units: tuple[str, ...] = (),
    email: str | None = None,
    password: str | None = None,
    by: str,
    demo: bool = False,
) -> str | None:
    """Create an account; the one-time password when none was given (else None). An
    account made by a demo account is a demo account too (removed with the demo)."""
    auth.check_role(role, units)
    if not name.strip() or len(name) > 80:
        raise AuthError("an account name needs 1 to 80 characters", reason="name")
    one_time = auth.new_password() if password is None else None
    store.accounts.add(
        name, role=role, units=units, email=email.strip().casefold() if email else None,
        password_hash=auth.hash_password(password or one_time), by=by,
        must_change_password=one_time is not None, demo=demo,
    )
    return one_time


def set_disabled(store: Store, name: str, *, disabled: bool, by: str) -> None:
    if disabled:
        _keep_an_admin(store, name)
    store.accounts.change(
        name, by=by, action="account disabled" if disabled else "account enabled",
        detail="disabled" if disabled else "enabled", disabled=disabled,
        **({} if disabled else {"failed_signins": 0, "locked_until": None}),
    )


def set_role(store: Store, name: str, role: str, units: tuple[str, ...], *, by: str) -> None:
    auth.check_role(role, units)
    if role != "admin":
        _keep_an_admin(store, name)
    where = f", units {'; '.join(units)}" if units else ""
    store.accounts.change(
        name, by=by, action="role changed", detail=f"role {role}{where}", role=role, units=units
    )


def reset_password(store: Store, name: str, *, by: str) -> str:
    """A new one-time password for ``name``; any lockout is lifted."""
    password = auth.new_password()
    store.accounts.change(
        name, by=by, action="password reset", detail="one-time password issued",
        password_hash=auth.hash_password(password), must_change_password=True,
        failed_signins=0, locked_until=None,
    )
    return password


def change_password(store: Store, name: str, new: str, *, by: str) -> None:
    """The user's own new password (after a one-time one, or whenever they like)."""
    store.accounts.change(
        name, by=by, action="password changed", detail="by the account's user",
        password_hash=auth.hash_password(new), must_change_password=False,
    )


def listing(store: Store) -> pd.DataFrame:
    """Every account, without hashes or passwords."""
    return store.accounts.listing()


def _keep_an_admin(store: Store, name: str) -> None:
    accounts = store.accounts.listing()
    admins = accounts[(accounts["role"] == "admin") & (accounts["state"] == "active")]
    if admins["name"].tolist() == [name.strip().casefold()]:
        raise AuthError(
            f"{name.strip().casefold()!r} is the last enabled admin: add another admin first",
            reason="last_admin",
        )
