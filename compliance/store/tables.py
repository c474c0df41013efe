"""The store's tables (SQLAlchemy Core), as the migrations in ``migrations/versions`` create them.

Every import is a row of ``imports``; its canonical rows live in ``roster_rows``,
``completion_rows`` or ``exemption_rows`` (import id, position, source row: each number
traces back to a row of an uploaded file) and, for reading back fast, as compressed
Arrow segments in ``frame_segments``. Both are written in the import's one transaction
and never changed afterwards; only ``imports.state`` moves (active <-> withdrawn).
``settings`` (remembered column mappings), ``accounts`` (who may sign in) and ``sessions``
are the tables whose rows change in place; every change to them is also an audit entry.
``audit_log`` is append-only and hash-chained (``compliance.store.chain``): each entry holds
its predecessor's hash, and no two entries may follow the same one.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

KINDS: tuple[str, ...] = ("roster", "completions", "exemptions", "requirements")
ACTIVE, WITHDRAWN = "active", "withdrawn"

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("file", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("mapping", Text, nullable=False),
    Column("report", Text, nullable=False),
    Column("imported_by", Text, nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("state", String(10), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("effective_on", Date),
    Column("content", Text),
    Column("demo", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("kind", "sha256", name="uq_imports_kind_sha256"),
)


def _row_table(name: str, *columns: Column) -> Table:
    """Canonical rows of one import. ``import_id`` is no foreign key on PostgreSQL (a
    per-row check on COPY; see migration 0003): imports are never deleted instead."""
    return Table(
        name,
        metadata,
        Column("import_id", Integer, nullable=False),
        Column("pos", Integer, nullable=False),
        Column("source_row", Integer),
        *columns,
        PrimaryKeyConstraint("import_id", "pos"),
        sqlite_with_rowid=False,
    )


roster_rows = _row_table(
    "roster_rows",
    Column("person_id", Text),
    Column("name", Text),
    Column("email", Text),
    Column("unit", Text),
    Column("unit_levels", Text),
    Column("role", Text),
    Column("staff_type", Text),
    Column("start_date", Date),
    Column("leave_date", Date),
    Column("manager", Text),
)
completion_rows = _row_table(
    "completion_rows",
    Column("person_id", Text),
    Column("email", Text),
    Column("course", Text),
    Column("course_code", Text),
    Column("completed_on", Date),
)
exemption_rows = _row_table(
    "exemption_rows",
    Column("person_id", Text),
    Column("course", Text),
    Column("valid_from", Date),
    Column("valid_until", Date),
    Column("reason", Text),
)
ROW_TABLES: dict[str, Table] = {
    "roster": roster_rows,
    "completions": completion_rows,
    "exemptions": exemption_rows,
}

frame_segments = Table(
    "frame_segments",
    metadata,
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("import_id", "seq"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("username", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("purpose", Text),
    Column("recipient", Text),
    Column("sha256", Text),
    Column("rows", Integer),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("prev_hash", name="uq_audit_log_prev_hash"),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),
    Column("email", Text),
    Column("role", String(10), nullable=False),
    Column("units", Text, nullable=False),
    Column("password_hash", Text),
    Column("must_change_password", Boolean, nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("demo", Boolean, nullable=False),
    Column("demo_password", Text),
    Column("failed_signins", Integer, nullable=False),
    Column("locked_until", DateTime),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("seen_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
)

settings = Table(
    "settings",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", DateTime),
    Column("updated_by", Text),
)
