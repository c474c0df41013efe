"""SQLAlchemy engines that behave the same on SQLite and PostgreSQL.

SQLite gets WAL mode (readers never wait for a writer), a busy timeout (a second writer
waits instead of failing) and explicit ``BEGIN``: reads begin deferred, writes pass
``execution_options(write=True)`` and begin ``IMMEDIATE`` so two importers queue for the
write lock up front rather than deadlocking when both try to upgrade a read lock.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

BUSY_TIMEOUT_SECONDS = 60


def make_engine(url: str) -> Engine:
    """An engine for ``url``; creates the folder of a SQLite file when needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def is_postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    for pragma in (
        "journal_mode=WAL",
        f"busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}",
        "synchronous=NORMAL",
        "foreign_keys=ON",
    ):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _sqlite_begin(connection: Connection) -> None:
    write = connection.get_execution_options().get("write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
