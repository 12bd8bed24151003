"""Replicas: who holds a daily-quiz claim, and conversations in the database.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

`daily_deliveries.claimed_by` names the replica whose lease it is (it renews `claimed_at`
while alive, so another replica redelivers only a dead one's claims); `chat_state` holds the
Telegram adapter's open conversations and user/chat dicts instead of a per-process pickle.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("daily_deliveries") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
    op.create_table(
        "chat_state",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "name", "key"),
    )
    op.create_index("ix_chat_state_user_id", "chat_state", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_chat_state_user_id", table_name="chat_state")
    op.drop_table("chat_state")
    with op.batch_alter_table("daily_deliveries") as batch:
        batch.drop_column("claimed_by")
