"""Bring a database to the latest schema (``alembic upgrade head``), run in-process.

Safe to run on every start and from several servers at once: on PostgreSQL an advisory
lock serialises concurrent upgrades (and whatever ``then`` does, such as granting the
dashboard's role its privileges); on SQLite the write transaction does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

from compliance.store.connection import is_postgres

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK_KEY = 0x636F6D70  # "comp": any constant shared by every server of this app


def upgrade(
    engine: Engine,
    *,
    revision: str = "head",
    then: Callable[[Connection], None] | None = None,
) -> None:
    """Create or migrate the schema, then run ``then`` in the same locked transaction.

    Does nothing (but ``then``) when the schema is already at ``revision``.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        if is_postgres(connection):
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if then is not None:
            then(connection)
