"""A hash-chained audit log; exports record their recipient, bytes' sha256 and row count.

Adds ``recipient``, ``sha256``, ``rows``, ``prev_hash`` and ``hash`` to ``audit_log`` and
chains the entries already there in id order (``compliance.store.chain``). The backfill
has to update rows the append-only triggers protect, so they are lifted for it and put
back, on SQLite with a third one that refuses ``INSERT OR REPLACE`` (which deletes the
replaced row without firing the delete trigger). No two entries may follow the same one
(a unique ``prev_hash``), so concurrent writers cannot fork the chain.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from compliance.store.chain import GENESIS, AuditEntry, entry_hash

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = {
    "audit_log_no_update": "BEFORE UPDATE ON audit_log BEGIN SELECT "
    "RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END",
    "audit_log_no_delete": "BEFORE DELETE ON audit_log BEGIN SELECT "
    "RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed'); END",
}
_SQLITE_NO_REPLACE = (
    "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log WHEN EXISTS "
    "(SELECT 1 FROM audit_log WHERE id = NEW.id OR prev_hash = NEW.prev_hash) BEGIN SELECT "
    "RAISE(ABORT, 'audit_log is append-only: an entry cannot be replaced'); END"
)
_UNIQUE_PREV = "uq_audit_log_prev_hash"
_NEW_COLUMNS = {
    "recipient": sa.Text(),
    "sha256": sa.Text(),
    "rows": sa.Integer(),
    "prev_hash": sa.String(64),
    "hash": sa.String(64),
}
_old_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("username", sa.Text),
    sa.column("action", sa.Text),
    sa.column("detail", sa.Text),
    sa.column("purpose", sa.Text),
    sa.column("prev_hash", sa.String(64)),
    sa.column("hash", sa.String(64)),
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
    else:
        _drop_sqlite_triggers(_SQLITE_TRIGGERS)
    for name, kind in _NEW_COLUMNS.items():
        op.add_column("audit_log", sa.Column(name, kind))
    _chain_existing_entries()
    if postgres:
        op.alter_column("audit_log", "prev_hash", nullable=False)
        op.alter_column("audit_log", "hash", nullable=False)
        op.create_unique_constraint(_UNIQUE_PREV, "audit_log", ["prev_hash"])
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")
        return
    with op.batch_alter_table("audit_log", recreate="always") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint(_UNIQUE_PREV, ["prev_hash"])
    _create_sqlite_triggers(_SQLITE_TRIGGERS)
    op.execute(_SQLITE_NO_REPLACE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(_UNIQUE_PREV, "audit_log", type_="unique")
        for name in reversed(_NEW_COLUMNS):
            op.drop_column("audit_log", name)
        return
    _drop_sqlite_triggers([*_SQLITE_TRIGGERS, "audit_log_no_replace"])
    with op.batch_alter_table("audit_log", recreate="always") as batch:
        batch.drop_constraint(_UNIQUE_PREV, type_="unique")
        for name in reversed(_NEW_COLUMNS):
            batch.drop_column(name)
    _create_sqlite_triggers(_SQLITE_TRIGGERS)


def _chain_existing_entries() -> None:
    """Give every entry written before the chain its ``prev_hash`` and ``hash``, in id order."""
    connection = op.get_bind()
    rows = connection.execute(sa.select(_old_log).order_by(_old_log.c.id)).all()
    previous, links = GENESIS, []
    for row in rows:
        entry = AuditEntry(row.id, row.at, row.username, row.action, row.detail, row.purpose)
        own = entry_hash(previous, entry)
        links.append({"entry_id": row.id, "new_prev": previous, "new_hash": own})
        previous = own
    if links:
        connection.execute(
            _old_log.update()
            .where(_old_log.c.id == sa.bindparam("entry_id"))
            .values(prev_hash=sa.bindparam("new_prev"), hash=sa.bindparam("new_hash")),
            links,
        )


def _drop_sqlite_triggers(names) -> None:
    for name in names:
        op.execute(f"DROP TRIGGER {name}")


def _create_sqlite_triggers(triggers: dict[str, str]) -> None:
    for name, body in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
