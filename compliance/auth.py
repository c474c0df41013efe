"""Who may do what: roles and their capabilities, passwords, sign-in with lockout, sessions.

Deny by default: a role can do exactly what :data:`CAPABILITIES` lists. Passwords are hashed
with argon2 (``argon2-cffi``) and never stored, logged or returned; a session is a random
token of which the store keeps only the sha256, and it ends after :data:`IDLE_LIMIT` without
use or :data:`SESSION_LIMIT` in all. The clock is a parameter so tests set it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from compliance.errors import UserError
from compliance.scope import Scope
from compliance.store.accounts import Account, Session

ROLES: tuple[str, ...] = ("admin", "manager", "viewer", "auditor")
CAPABILITIES: dict[str, frozenset[str]] = {
    "admin": frozenset({"figures", "person", "export", "data", "audit", "accounts"}),
    "manager": frozenset({"figures", "person", "export", "data"}),
    "viewer": frozenset({"figures", "person", "export"}),
    "auditor": frozenset({"person", "audit"}),
}
"""``figures``: the compliance pages; ``person``: person and point-in-time checks;
``export``: bulk downloads of personal data; ``data``: uploads, imports, rules, data quality;
``audit``: the audit log; ``accounts``: managing accounts."""
MIN_PASSWORD_LENGTH = 12
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
IDLE_LIMIT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=10)
TOUCH_EVERY = timedelta(minutes=1)
"""A session's last use is written at most this often (not on every page run)."""
_HASHER = PasswordHasher()
__all__ = ["Account", "AccountStore", "AuthError", "SignedIn"]


class AuthError(UserError):
    """A sign-in, password or account change that cannot go ahead, said how to fix it."""

    reason = "auth"


class AccountStore(Protocol):
    """What sign-in needs of ``compliance.store.accounts.Accounts``."""

    def count(self) -> int: ...
    def get(self, name: str) -> Account | None: ...
    def by_email(self, email: str) -> Account | None: ...
    def record_failure(self, account: Account, *, locked_until: datetime | None) -> None: ...
    def record_unknown(self, name: str) -> None: ...
    def start_session(self, account: Account, token_sha256: str, *, how: str) -> None: ...
    def session(self, token_sha256: str) -> Session | None: ...
    def touch(self, token_sha256: str) -> None: ...
    def end_session(self, token_sha256: str, *, user: str, why: str) -> None: ...


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: the account and the session token for this browser only."""

    account: Account
    token: str


def may(role: str, capability: str) -> bool:
    """Whether ``role`` has ``capability`` (an unknown role has none)."""
    return capability in CAPABILITIES.get(role, frozenset())


def scope_of(account: Account) -> Scope:
    """The units an account may see: a unit viewer its own, every other role all of them."""
    return Scope(account.units) if account.role == "viewer" else Scope()


def check_role(role: str, units: tuple[str, ...]) -> None:
    """A role that exists, and units exactly when it is a unit viewer."""
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}: use one of {', '.join(ROLES)}", reason="role")
    if role == "viewer" and not units:
        raise AuthError("a viewer needs at least one unit: give --unit \"North / CID\"",
                        reason="units")
    if role != "viewer" and units:
        raise AuthError(f"only a viewer is limited to units; a {role} sees every unit",
                        reason="units")


def hash_password(password: str) -> str:
    """The argon2 hash of an acceptable password; AuthError for one too short."""
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise AuthError(
            f"the password must have at least {MIN_PASSWORD_LENGTH} characters",
            reason="weak_password",
        )
    return _HASHER.hash(password)


def new_password() -> str:
    """A random one-time password of 20 characters (for new accounts and resets)."""
    return secrets.token_urlsafe(15)


def sign_in(store: AccountStore, name: str, password: str, now: datetime) -> SignedIn:
    """Check a user name and password; AuthError (audited) when they do not open a session.

    The same message for an unknown name and a wrong password, so the form tells nobody which
    names exist; after :data:`MAX_FAILURES` failures in a row the account is locked for
    :data:`LOCK_FOR`, and the message says when it opens again.
    """
    account = store.get(name)
    if account is None or account.password_hash is None:
        store.record_unknown(name)
        raise AuthError("the user name or password is wrong", reason="sign_in")
    if account.disabled:
        store.record_unknown(name)
        raise AuthError("the user name or password is wrong", reason="sign_in")
    if account.locked_until is not None and account.locked_until > now:
        raise AuthError(_locked(account.locked_until), reason="locked")
    if not _matches(account.password_hash, password):
        failures = account.failed_signins + 1
        locked_until = now + LOCK_FOR if failures >= MAX_FAILURES else None
        store.record_failure(account, locked_until=locked_until)
        if locked_until is not None:
            raise AuthError(_locked(locked_until), reason="locked")
        raise AuthError("the user name or password is wrong", reason="sign_in")
    return open_session(store, account, how="password")


def open_session(store: AccountStore, account: Account, *, how: str) -> SignedIn:
    """A new session for ``account`` (after a password or single sign-on)."""
    token = secrets.token_urlsafe(32)
    store.start_session(account, token_sha256(token), how=how)
    return SignedIn(account, token)


def current(store: AccountStore, token: str | None, now: datetime) -> Account | None:
    """The account signed in with ``token``, as it is now; None when signed out, expired or
    disabled (an expired session is ended and audited)."""
    if not token:
        return None
    key = token_sha256(token)
    session = store.session(key)
    if session is None:
        return None
    expired = now - session.seen_at > IDLE_LIMIT or now - session.started_at > SESSION_LIMIT
    if expired or session.account.disabled:
        why = "session expired" if expired else "account disabled"
        store.end_session(key, user=session.account.name, why=why)
        return None
    if now - session.seen_at > TOUCH_EVERY:
        store.touch(key)
    return session.account


def sign_out(store: AccountStore, token: str, user: str) -> None:
    store.end_session(token_sha256(token), user=user, why="signed out")


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _locked(until: datetime) -> str:
    return (
        f"too many failed sign-ins: the account is locked until {until:%H:%M} UTC "
        f"on {until:%d %b %Y}; try again then or ask an administrator"
    )
