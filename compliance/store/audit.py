"""The append-only audit log: who did what, when and why.

There is deliberately no function to change or remove an entry; the database enforces
the same with triggers (migration ``0001``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, select

from compliance.store.tables import audit_log

AUDIT_COLUMNS: tuple[str, ...] = ("id", "at", "user", "action", "detail", "purpose")


def write_audit(
    connection: Connection, *, user: str, action: str, detail: str, purpose: str | None = None
) -> None:
    """Append one entry inside the caller's transaction (so it commits with the change)."""
    connection.execute(
        audit_log.insert().values(
            at=utc_now(), username=user, action=action, detail=detail, purpose=purpose
        )
    )


def read_audit(engine: Engine) -> pd.DataFrame:
    """Every entry, oldest first; ``at`` is UTC."""
    query = select(
        audit_log.c.id,
        audit_log.c.at,
        audit_log.c.username.label("user"),
        audit_log.c.action,
        audit_log.c.detail,
        audit_log.c.purpose,
    ).order_by(audit_log.c.id)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
    frame["at"] = pd.to_datetime(frame["at"])
    return frame.astype({"id": "int64"})


def utc_now() -> datetime:
    """Now in UTC without a zone (both databases store it as it is)."""
    return datetime.now(UTC).replace(tzinfo=None)
