"""The append-only, hash-chained audit log: who did what, when, why and for whom.

There is deliberately no function to change or remove an entry; the database enforces
the same with triggers (migrations ``0001`` and ``0005``), and the hash chain
(``compliance.store.chain``) shows any change made around them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from sqlalchemy import Connection, Engine, select, text

from compliance.store.chain import GENESIS, AuditCheck, AuditEntry, check_chain, entry_hash
from compliance.store.connection import is_postgres
from compliance.store.tables import audit_log

AUDIT_COLUMNS: tuple[str, ...] = (
    "id",
    "at",
    "user",
    "action",
    "detail",
    "purpose",
    "recipient",
    "sha256",
    "rows",
    "prev_hash",
    "hash",
)
CHAIN_LOCK_KEY = 0x61756474  # "audt": the PostgreSQL advisory lock every writer takes
_SHA256 = re.compile("[0-9a-f]{64}")
_VERIFY_BATCH = 5_000
_LAST_ENTRY = select(audit_log.c.id, audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)


def write_audit(
    connection: Connection,
    *,
    user: str,
    action: str,
    detail: str,
    purpose: str | None = None,
    recipient: str | None = None,
    sha256: str | None = None,
    rows: int | None = None,
) -> int:
    """Append one entry inside the caller's transaction (so it commits with the change).

    Returns the entry's id. Writers queue for the end of the chain until the caller
    commits (SQLite: the write transaction; PostgreSQL: an advisory lock), so call this
    last in a transaction that also changes other rows.
    """
    if sha256 is not None and not _SHA256.fullmatch(sha256):
        raise ValueError(f"sha256 must be 64 lowercase hex digits, not {sha256!r}")
    if rows is not None and rows < 0:
        raise ValueError(f"rows must not be negative, not {rows}")
    if is_postgres(connection):
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    last = connection.execute(_LAST_ENTRY).first()
    entry = AuditEntry(
        id=last.id + 1 if last else 1,
        at=utc_now(),
        user=user,
        action=action,
        detail=detail,
        purpose=purpose,
        recipient=recipient,
        sha256=sha256,
        rows=rows,
    )
    prev_hash = last.hash if last else GENESIS
    connection.execute(
        audit_log.insert(),
        {**_stored(entry), "prev_hash": prev_hash, "hash": entry_hash(prev_hash, entry)},
    )
    return entry.id


def read_audit(
    engine: Engine,
    *,
    user: str | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> pd.DataFrame:
    """Entries oldest first, optionally one user's, one action's, or from/until a UTC day."""
    query = select(*_selected()).order_by(audit_log.c.id)
    if user is not None:
        query = query.where(audit_log.c.username == user)
    if action is not None:
        query = query.where(audit_log.c.action == action)
    if since is not None:
        query = query.where(audit_log.c.at >= datetime.combine(since, datetime.min.time()))
    if until is not None:
        next_day = datetime.combine(until + timedelta(days=1), datetime.min.time())
        query = query.where(audit_log.c.at < next_day)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
    frame["at"] = pd.to_datetime(frame["at"])
    return frame.astype({"id": "int64", "rows": "Int64"})


def verify_audit(engine: Engine) -> AuditCheck:
    """Recompute the chain over every entry, read in batches; the first break is named."""
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=_VERIFY_BATCH).execute(
            select(*_selected()).order_by(audit_log.c.id)
        )
        return check_chain(
            (AuditEntry(*row[:-2]), row.prev_hash, row.hash) for row in result
        )


def export_frame(log: pd.DataFrame) -> pd.DataFrame:
    """``log`` with ``at`` as the UTC text its hashes cover, so a written copy can be checked."""
    return log.assign(at=log["at"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f"))


def utc_now() -> datetime:
    """Now in UTC without a zone (both databases store it as it is)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _selected():
    """The stored columns, named as in ``AUDIT_COLUMNS`` (and ``AuditEntry`` first)."""
    return [
        audit_log.c.username.label("user") if name == "user" else audit_log.c[name]
        for name in AUDIT_COLUMNS
    ]


def _stored(entry: AuditEntry) -> dict[str, object]:
    return {
        "id": entry.id,
        "at": entry.at,
        "username": entry.user,
        "action": entry.action,
        "detail": entry.detail,
        "purpose": entry.purpose,
        "recipient": entry.recipient,
        "sha256": entry.sha256,
        "rows": entry.rows,
    }
