"""Row tables without a per-row foreign key on PostgreSQL; imports can never be deleted.

PostgreSQL checked ``import_id`` against ``imports`` once per copied row: about a third
of a bulk import's time (3.3 us a row; a 300,000-person roster fell below 100,000
rows/s). Rows are written only by the import that inserts their ``imports`` row, in the
same transaction, so the check guarded nothing but hand edits. What it protected, a row
outliving its import, is kept by refusing DELETE (and TRUNCATE) on ``imports`` instead,
on both databases. SQLite keeps its key: dropping one means rebuilding the table, and
its imports are fast enough with it.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ROW_TABLES = ("roster_rows", "completion_rows", "exemption_rows")
_PG_KEEP_IMPORTS = """
CREATE FUNCTION imports_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'imports are never deleted (withdraw one instead): % is not allowed', TG_OP;
END $$;
CREATE TRIGGER imports_no_delete BEFORE DELETE ON imports
    FOR EACH ROW EXECUTE FUNCTION imports_kept();
CREATE TRIGGER imports_no_truncate BEFORE TRUNCATE ON imports
    FOR EACH STATEMENT EXECUTE FUNCTION imports_kept();
"""
_SQLITE_KEEP_IMPORTS = (
    "CREATE TRIGGER imports_no_delete BEFORE DELETE ON imports BEGIN SELECT RAISE(ABORT, "
    "'imports are never deleted (withdraw one instead): DELETE is not allowed'); END"
)


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        op.execute(_SQLITE_KEEP_IMPORTS)
        return
    inspector = sa.inspect(connection)
    for table in ROW_TABLES:
        for key in inspector.get_foreign_keys(table):
            if key["referred_table"] == "imports":
                op.drop_constraint(key["name"], table, type_="foreignkey")
    op.execute(_PG_KEEP_IMPORTS)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        op.execute("DROP TRIGGER imports_no_delete")
        return
    op.execute("DROP TRIGGER imports_no_truncate ON imports")
    op.execute("DROP TRIGGER imports_no_delete ON imports")
    op.execute("DROP FUNCTION imports_kept()")
    for table in ROW_TABLES:
        op.create_foreign_key(None, table, "imports", ["import_id"], ["id"])
