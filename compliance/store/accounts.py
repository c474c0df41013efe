"""Accounts and sign-in sessions in the store: who may sign in, as what, and for how long.

Rows change in place (a role, a lockout, a session seen again), and every change is an audit
entry written in the same transaction. Password hashes are stored and compared by
``compliance.auth``; nothing here reads or returns a password, and :meth:`Accounts.listing`
leaves the hashes out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import IntegrityError

from compliance.errors import StoreError
from compliance.store.audit import utc_now, write_audit
from compliance.store.tables import accounts, sessions

LISTED_COLUMNS: tuple[str, ...] = (
    "name", "role", "units", "email", "state", "demo", "locked_until",
)


@dataclass(frozen=True)
class Account:
    """One account as read from the store (the hash only for ``compliance.auth``)."""

    id: int
    name: str
    role: str
    units: tuple[str, ...]
    email: str | None
    password_hash: str | None
    must_change_password: bool
    disabled: bool
    demo: bool
    failed_signins: int
    locked_until: datetime | None


@dataclass(frozen=True)
class Session:
    """A signed-in session: whose, since when, last seen when."""

    account: Account
    started_at: datetime
    seen_at: datetime


class Accounts:
    """The accounts and sessions tables of one store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(accounts)).scalar())

    def get(self, name: str) -> Account | None:
        """The account called ``name`` (case-insensitive), or None."""
        with self.engine.connect() as connection:
            return _one(connection, accounts.c.name == _key(name))

    def by_email(self, email: str) -> Account | None:
        """The account with this e-mail (case-insensitive): single sign-on's lookup."""
        with self.engine.connect() as connection:
            return _one(connection, func.lower(accounts.c.email) == email.strip().casefold())

    def listing(self) -> pd.DataFrame:
        """Every account without its hash, by name."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(accounts).order_by(accounts.c.name)).all()
        return pd.DataFrame(
            {
                "name": [r.name for r in rows],
                "role": [r.role for r in rows],
                "units": ["; ".join(json.loads(r.units)) for r in rows],
                "email": [r.email for r in rows],
                "state": ["disabled" if r.disabled else "active" for r in rows],
                "demo": [bool(r.demo) for r in rows],
                "locked_until": pd.to_datetime([r.locked_until for r in rows]),
            },
            columns=list(LISTED_COLUMNS),
        )

    def demo_accounts(self) -> pd.DataFrame:
        """The enabled demo accounts with their (fictional) passwords, for the sign-in page."""
        query = (
            select(accounts.c.name, accounts.c.role, accounts.c.units, accounts.c.demo_password)
            .where(
                accounts.c.demo.is_(True),
                accounts.c.disabled.is_(False),
                accounts.c.demo_password.is_not(None),
            )
            .order_by(accounts.c.id)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return pd.DataFrame(
            {
                "name": [r.name for r in rows],
                "password": [r.demo_password for r in rows],
                "role": [r.role for r in rows],
                "units": ["; ".join(json.loads(r.units)) for r in rows],
            },
            columns=["name", "password", "role", "units"],
        )

    def add(
        self,
        name: str,
        *,
        role: str,
        units: tuple[str, ...],
        email: str | None,
        password_hash: str | None,
        by: str,
        must_change_password: bool = False,
        demo: bool = False,
        demo_password: str | None = None,
    ) -> Account:
        """Create an account; StoreError when the name is taken. A ``demo`` account belongs
        to the demo force and is disabled with it; the demo's own accounts keep their
        (fictional) ``demo_password`` to show on the sign-in page."""
        now = utc_now()
        values = {
            "name": _key(name), "email": email, "role": role, "units": json.dumps(list(units)),
            "password_hash": password_hash, "must_change_password": must_change_password,
            "disabled": False,
            "demo": demo or demo_password is not None, "demo_password": demo_password,
            "failed_signins": 0, "locked_until": None, "created_at": now, "updated_at": now,
        }
        try:
            with self._write() as connection:
                connection.execute(accounts.insert().values(**values))
                write_audit(connection, user=by, action="account added",
                            detail=f"{_key(name)}: {_describe(role, units)}")
        except IntegrityError:
            raise StoreError(
                f"There is already an account called {_key(name)!r}: choose another name",
                reason="account_exists",
            ) from None
        return self._require(name)

    def change(self, name: str, *, by: str, action: str, detail: str, **values: object) -> Account:
        """Change one account's columns (role, units, hash, disabled...) and audit it."""
        account = self._require(name)
        if "units" in values:
            values["units"] = json.dumps(list(values["units"]))  # type: ignore[arg-type]
        with self._write() as connection:
            connection.execute(
                accounts.update()
                .where(accounts.c.id == account.id)
                .values(updated_at=utc_now(), **values)
            )
            write_audit(connection, user=by, action=action, detail=f"{account.name}: {detail}")
        return self._require(name)

    def record_failure(self, account: Account, *, locked_until: datetime | None) -> None:
        """One more failed sign-in; ``locked_until`` when this failure locks the account."""
        with self._write() as connection:
            connection.execute(
                accounts.update()
                .where(accounts.c.id == account.id)
                .values(failed_signins=accounts.c.failed_signins + 1, locked_until=locked_until)
            )
            write_audit(connection, user=account.name, action="sign-in failed",
                        detail="wrong password")
            if locked_until is not None:
                write_audit(connection, user=account.name, action="account locked",
                            detail=f"until {locked_until:%Y-%m-%d %H:%M} UTC")

    def record_unknown(self, name: str) -> None:
        """A failed sign-in for a name no account has (audited; nothing else changes)."""
        with self._write() as connection:
            write_audit(connection, user=name[:80], action="sign-in failed",
                        detail="no such account")

    def start_session(self, account: Account, token_sha256: str, *, how: str) -> None:
        """A successful sign-in: clear the failures and open a session."""
        now = utc_now()
        with self._write() as connection:
            connection.execute(
                accounts.update().where(accounts.c.id == account.id)
                .values(failed_signins=0, locked_until=None)
            )
            connection.execute(sessions.insert().values(
                token_sha256=token_sha256, account_id=account.id, started_at=now, seen_at=now
            ))
            write_audit(connection, user=account.name, action="sign-in", detail=how)

    def session(self, token_sha256: str) -> Session | None:
        """The open session with this token hash, with its account as it is now."""
        query = select(sessions).where(
            sessions.c.token_sha256 == token_sha256, sessions.c.ended_at.is_(None)
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
            if row is None:
                return None
            account = _one(connection, accounts.c.id == row.account_id)
        return None if account is None else Session(account, row.started_at, row.seen_at)

    def touch(self, token_sha256: str) -> None:
        """The session was used now (its idle time starts again)."""
        with self._write() as connection:
            connection.execute(
                sessions.update().where(sessions.c.token_sha256 == token_sha256)
                .values(seen_at=utc_now())
            )

    def end_session(self, token_sha256: str, *, user: str, why: str) -> None:
        """Sign a session out (the user did, or it expired); audited."""
        with self._write() as connection:
            ended = connection.execute(
                sessions.update()
                .where(sessions.c.token_sha256 == token_sha256, sessions.c.ended_at.is_(None))
                .values(ended_at=utc_now())
            )
            if ended.rowcount:
                write_audit(connection, user=user, action="sign-out", detail=why)

    def _require(self, name: str) -> Account:
        account = self.get(name)
        if account is None:
            raise StoreError(
                f"There is no account called {_key(name)!r}: list them with "
                "python -m compliance users list",
                reason="no_account",
            )
        return account

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write connection in one transaction, committed when the block succeeds."""
        with self.engine.connect().execution_options(write=True) as connection, connection.begin():
            yield connection


def _one(connection: Connection, where: object) -> Account | None:
    row = connection.execute(select(accounts).where(where)).first()
    if row is None:
        return None
    return Account(
        id=row.id, name=row.name, role=row.role, units=tuple(json.loads(row.units)),
        email=row.email, password_hash=row.password_hash,
        must_change_password=bool(row.must_change_password), disabled=bool(row.disabled),
        demo=bool(row.demo), failed_signins=row.failed_signins, locked_until=row.locked_until,
    )


def _key(name: str) -> str:
    """Account names compare trimmed and lower-cased."""
    return name.strip().casefold()


def _describe(role: str, units: tuple[str, ...]) -> str:
    return f"role {role}" + (f", units {'; '.join(units)}" if units else "")
