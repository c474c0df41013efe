"""Managing accounts: one-time passwords, roles with units, the last admin kept."""

from __future__ import annotations

import pytest

from compliance import account_admin, auth
from compliance.auth import AuthError
from compliance.errors import StoreError
from compliance.store.audit import utc_now

PASSWORD = "correct horse battery"


def test_a_new_account_without_a_password_gets_a_one_time_one(store) -> None:
    one_time = account_admin.add(store, "Ann", role="manager", by="root")
    account = store.accounts.get("ann")
    assert one_time and len(one_time) >= 20 and account.must_change_password
    assert account_admin.add(store, "bob", role="admin", password=PASSWORD, by="root") is None
    assert not store.accounts.get("bob").must_change_password


@pytest.mark.parametrize(
    ("role", "units", "message"),
    [
        ("viewer", (), "a viewer needs at least one unit"),
        ("manager", ("North",), "only a viewer is limited to units"),
        ("boss", (), "unknown role 'boss'"),
    ],
)
def test_roles_and_units_are_checked(store, role: str, units: tuple, message: str) -> None:
    with pytest.raises(AuthError, match=message):
        account_admin.add(store, "ann", role=role, units=units, by="root")
    assert store.accounts.count() == 0


def test_names_are_unique_whatever_the_case(store) -> None:
    account_admin.add(store, "ann", role="manager", by="root")
    with pytest.raises(StoreError, match="already an account called 'ann'"):
        account_admin.add(store, " ANN ", role="admin", by="root")


def test_the_last_admin_can_be_neither_disabled_nor_demoted(store) -> None:
    account_admin.add(store, "root", role="admin", password=PASSWORD, by="setup")
    with pytest.raises(AuthError, match="last enabled admin"):
        account_admin.set_disabled(store, "root", disabled=True, by="root")
    with pytest.raises(AuthError, match="last enabled admin"):
        account_admin.set_role(store, "root", "manager", (), by="root")
    account_admin.add(store, "second", role="admin", password=PASSWORD, by="root")
    account_admin.set_role(store, "root", "viewer", ("North",), by="second")
    assert store.accounts.get("root").units == ("North",)


def test_reset_lifts_a_lockout_and_forces_a_change(store) -> None:
    account_admin.add(store, "ann", role="manager", password=PASSWORD, by="root")
    account = store.accounts.get("ann")
    store.accounts.record_failure(account, locked_until=utc_now() + auth.LOCK_FOR)
    new = account_admin.reset_password(store, "ann", by="root")
    account = store.accounts.get("ann")
    assert account.locked_until is None and account.must_change_password
    signed = auth.sign_in(store.accounts, "ann", new, utc_now())
    account_admin.change_password(store, "ann", "another long password", by="ann")
    assert not store.accounts.get("ann").must_change_password
    assert auth.current(store.accounts, signed.token, utc_now())


def test_listing_and_audit_hold_no_password_or_hash(store) -> None:
    one_time = account_admin.add(store, "ann", role="manager", by="root")
    account_admin.reset_password(store, "ann", by="root")
    listing = account_admin.listing(store)
    assert listing.columns.tolist() == ["name", "role", "units", "email", "state", "demo",
                                        "locked_until"]
    text = listing.to_csv() + store.audit_log().to_csv()
    assert one_time not in text and "argon2" not in text
    assert store.audit_log()["action"].tolist() == ["account added", "password reset"]
