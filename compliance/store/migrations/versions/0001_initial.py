"""Initial schema: imports, canonical rows, Arrow segments, append-only audit log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_PG_APPEND_ONLY = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
"""
_SQLITE_APPEND_ONLY = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is not allowed'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is not allowed'); END",
)


def _row_table(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("pos", sa.Integer, nullable=False),
        sa.Column("source_row", sa.Integer),
        *columns,
        sa.PrimaryKeyConstraint("import_id", "pos"),
        sqlite_with_rowid=False,
    )


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("mapping", sa.Text, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("imported_by", sa.Text, nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("effective_on", sa.Date),
        sa.Column("content", sa.Text),
        sa.UniqueConstraint("kind", "sha256", name="uq_imports_kind_sha256"),
    )
    _row_table(
        "roster_rows",
        sa.Column("person_id", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("unit", sa.Text),
        sa.Column("unit_levels", sa.Text),
        sa.Column("role", sa.Text),
        sa.Column("staff_type", sa.Text),
        sa.Column("start_date", sa.Date),
        sa.Column("leave_date", sa.Date),
        sa.Column("manager", sa.Text),
    )
    _row_table(
        "completion_rows",
        sa.Column("person_id", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("course", sa.Text),
        sa.Column("course_code", sa.Text),
        sa.Column("completed_on", sa.Date),
    )
    _row_table(
        "exemption_rows",
        sa.Column("person_id", sa.Text),
        sa.Column("course", sa.Text),
        sa.Column("valid_from", sa.Date),
        sa.Column("valid_until", sa.Date),
        sa.Column("reason", sa.Text),
    )
    op.create_table(
        "frame_segments",
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("import_id", "seq"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("purpose", sa.Text),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_APPEND_ONLY)
    else:
        for statement in _SQLITE_APPEND_ONLY:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.drop_table("audit_log")
    for name in ("frame_segments", "exemption_rows", "completion_rows", "roster_rows", "imports"):
        op.drop_table(name)
