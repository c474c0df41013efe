"""Accounts and sign-in sessions; imports say whether they belong to the demo force.

``accounts`` holds who may sign in, their role and units (JSON list of unit paths), an
argon2 hash (none for single sign-on only), lockout state and whether the account is a
demo account. A demo account's password, fictional like its force, is kept to be shown on
the sign-in page while the demo is loaded, and cleared when it is removed. ``sessions``
holds only the sha256 of each session's random token, so a copy of the database signs
nobody in. ``imports.demo`` marks the demo force's imports, which never mix with a real
force's.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("email", sa.Text),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("units", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("must_change_password", sa.Boolean, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.Column("demo_password", sa.Text),
        sa.Column("failed_signins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("seen_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime),
    )
    # A plain ADD COLUMN: a batch rebuild on SQLite would drop the imports_no_delete trigger.
    op.add_column(
        "imports", sa.Column("demo", sa.Boolean, nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    op.drop_column("imports", "demo")
    op.drop_table("sessions")
    op.drop_table("accounts")
