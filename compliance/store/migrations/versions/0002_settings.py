"""Settings: a small key-value table (remembered column mappings), instead of audit entries.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime),
        sa.Column("updated_by", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("settings")
