"""Sign-in: roles deny by default, argon2 hashes, lockout with the time it lifts, expiry."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from compliance import account_admin, auth
from compliance.auth import AuthError
from compliance.scope import Scope
from compliance.store.audit import utc_now

NOW = datetime(2026, 12, 1, 9, 0)
PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(store):
    account_admin.add(store, "Ann", role="manager", password=PASSWORD, by="setup")
    return store.accounts


@pytest.mark.parametrize(
    ("role", "capability", "allowed"),
    [
        ("admin", "accounts", True), ("admin", "audit", True), ("manager", "data", True),
        ("manager", "audit", False), ("manager", "accounts", False), ("viewer", "export", True),
        ("viewer", "data", False), ("auditor", "audit", True), ("auditor", "export", False),
        ("auditor", "figures", False), ("auditor", "person", True), ("nobody", "person", False),
    ],
)
def test_capabilities_deny_by_default(role: str, capability: str, allowed: bool) -> None:
    assert auth.may(role, capability) is allowed


def test_a_viewer_sees_only_their_units(store, accounts) -> None:
    account_admin.add(store, "vic", role="viewer", units=("North",), password=PASSWORD,
                      by="setup")
    assert auth.scope_of(accounts.get("vic")) == Scope(("North",))
    assert auth.scope_of(accounts.get("ann")) == Scope()


def test_passwords_are_argon2_hashes_never_the_text(accounts) -> None:
    stored = accounts.get("ann").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    with pytest.raises(AuthError, match="at least 12 characters"):
        auth.hash_password("short")


def test_sign_in_opens_a_session_and_signs_out(accounts) -> None:
    signed = auth.sign_in(accounts, " ANN ", PASSWORD, NOW)
    assert signed.account.name == "ann" and len(signed.token) >= 40
    assert auth.current(accounts, signed.token, NOW)
    assert auth.current(accounts, "forged-token", NOW) is None
    auth.sign_out(accounts, signed.token, "ann")
    assert auth.current(accounts, signed.token, NOW) is None


def test_wrong_password_and_unknown_name_say_the_same(accounts) -> None:
    for name, password in (("ann", "wrong password!"), ("nobody", PASSWORD)):
        with pytest.raises(AuthError) as raised:
            auth.sign_in(accounts, name, password, NOW)
        assert str(raised.value) == "the user name or password is wrong"


def test_five_failures_lock_the_account_until_a_stated_time(accounts) -> None:
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(AuthError, match="wrong"):
            auth.sign_in(accounts, "ann", "wrong password!", NOW)
    with pytest.raises(AuthError, match="locked until 09:15 UTC on 01 Dec 2026"):
        auth.sign_in(accounts, "ann", "wrong password!", NOW)
    with pytest.raises(AuthError, match="locked until 09:15"):
        auth.sign_in(accounts, "ann", PASSWORD, NOW + timedelta(minutes=14))
    assert auth.sign_in(accounts, "ann", PASSWORD, NOW + timedelta(minutes=16))
    assert accounts.get("ann").failed_signins == 0


def test_sessions_expire_when_idle_or_too_old(accounts) -> None:
    signed = auth.sign_in(accounts, "ann", PASSWORD, utc_now())
    assert auth.current(accounts, signed.token, utc_now() + auth.IDLE_LIMIT / 2)
    assert auth.current(accounts, signed.token, utc_now() + auth.IDLE_LIMIT * 3) is None
    again = auth.sign_in(accounts, "ann", PASSWORD, utc_now())
    late = utc_now() + auth.SESSION_LIMIT + timedelta(minutes=1)
    assert auth.current(accounts, again.token, late) is None


def test_a_disabled_account_is_signed_out_at_once(store, accounts) -> None:
    account_admin.add(store, "boss", role="admin", password=PASSWORD, by="setup")
    signed = auth.sign_in(accounts, "ann", PASSWORD, NOW)
    account_admin.set_disabled(store, "ann", disabled=True, by="boss")
    assert auth.current(accounts, signed.token, NOW) is None
    with pytest.raises(AuthError, match="wrong"):
        auth.sign_in(accounts, "ann", PASSWORD, NOW)


def test_the_audit_log_records_sign_ins_failures_and_lockouts(store, accounts) -> None:
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(AuthError):
            auth.sign_in(accounts, "ann", "wrong password!", NOW)
    log = store.audit_log()
    assert log["action"].tolist()[-6:] == [*["sign-in failed"] * 5, "account locked"]
    assert not log["detail"].str.contains("wrong password!").any()
    assert not log["detail"].str.contains("argon2").any()
