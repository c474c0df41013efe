"""Small named values kept in the store (remembered column mappings), each change audited.

Settings never change a figure, so they do not touch ``imports`` and leave
:func:`compliance.store.imports.data_version` (the dashboard's cache key) alone.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from compliance.store.audit import utc_now, write_audit
from compliance.store.connection import is_postgres
from compliance.store.tables import settings

SETTING_ACTION = "change setting"


def get_setting(engine: Engine, key: str) -> str | None:
    """The value stored under ``key``, None when there is none."""
    with engine.connect() as connection:
        return connection.execute(
            select(settings.c.value).where(settings.c.key == key)
        ).scalar_one_or_none()


def set_setting(engine: Engine, key: str, value: str, *, user: str) -> None:
    """Store ``value`` under ``key`` with an audit entry, in one transaction.

    One upsert statement whose update only fires when the value differs, so servers
    sharing a database cannot race, and an unchanged value writes (and audits) nothing.
    """
    with engine.connect().execution_options(write=True) as connection, connection.begin():
        insert = postgresql.insert if is_postgres(connection) else sqlite.insert
        statement = insert(settings).values(
            key=key, value=value, updated_at=utc_now(), updated_by=user
        )
        statement = statement.on_conflict_do_update(
            index_elements=[settings.c.key],
            set_={
                "value": statement.excluded.value,
                "updated_at": statement.excluded.updated_at,
                "updated_by": statement.excluded.updated_by,
            },
            where=settings.c.value != statement.excluded.value,
        ).returning(settings.c.key)
        if connection.execute(statement).first() is not None:
            write_audit(connection, user=user, action=SETTING_ACTION, detail=f"{key} {value}")
