"""The schema of the release before migrations (careerbot 0.1, made by `create_all`).

Revision ID: 0001
Revises:
Create Date: 2026-12-01

Frozen: never import the models here, a migration describes the schema of its day. A database
of that release has these tables and no `alembic_version`: `schema.upgrade` stamps it 0001.
Times are `DateTime(timezone=True)`: naive UTC text on SQLite, timestamptz on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Telegram ids need 64 bits; SQLite only auto-increments an INTEGER PRIMARY KEY.
AUTO_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "daily_deliveries",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "local_date", name="uq_daily_deliveries_user_day"),
    )
    op.create_index(
        "ix_daily_deliveries_status", "daily_deliveries", ["status", "created_at"], unique=False
    )
    op.create_table(
        "feedback",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("question_log_id", sa.BigInteger(), nullable=False),
        sa.Column("vote", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "question_log_id", name="uq_feedback_user_question"),
    )
    op.create_index("ix_feedback_question_log_id", "feedback", ["question_log_id"], unique=False)
    op.create_table(
        "interview_results",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.String(length=128), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_interview_results_user_id", "interview_results", ["user_id"], unique=False)
    op.create_table(
        "question_log",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("in_scope", sa.Boolean(), nullable=False),
        sa.Column("top_score", sa.Float(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_question_log_created_at", "question_log", ["created_at"], unique=False)
    op.create_index("ix_question_log_user_id", "question_log", ["user_id"], unique=False)
    op.create_table(
        "quiz_attempts",
        sa.Column("id", AUTO_ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.String(length=128), nullable=False),
        sa.Column("topic", sa.String(length=128), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("is_daily", sa.Boolean(), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_quiz_attempts_user_answered", "quiz_attempts", ["user_id", "answered_at"], unique=False
    )
    op.create_table(
        "quiz_sessions",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("correct_count", sa.Integer(), nullable=False),
        sa.Column("is_daily", sa.Boolean(), nullable=False),
        sa.Column("current_poll_id", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("session_id"),
        sa.UniqueConstraint("current_poll_id"),
    )
    op.create_index("ix_quiz_sessions_user_id", "quiz_sessions", ["user_id"], unique=False)
    op.create_table(
        "resumes",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("filename", sa.String(length=256), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "srs_cards",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("question_id", sa.String(length=128), nullable=False),
        sa.Column("box", sa.SmallInteger(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("user_id", "question_id"),
    )
    op.create_index("ix_srs_cards_user_due", "srs_cards", ["user_id", "due_at"], unique=False)
    op.create_table(
        "subscriptions",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("local_time", sa.String(length=5), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_index(
        "ix_subscriptions_active_next_run", "subscriptions", ["active", "next_run_at"], unique=False
    )
    op.create_table(
        "users",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("first_name", sa.String(length=256), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade() -> None:
    op.drop_table("users")
    op.drop_index("ix_subscriptions_active_next_run", table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_index("ix_srs_cards_user_due", table_name="srs_cards")
    op.drop_table("srs_cards")
    op.drop_table("resumes")
    op.drop_index("ix_quiz_sessions_user_id", table_name="quiz_sessions")
    op.drop_table("quiz_sessions")
    op.drop_index("ix_quiz_attempts_user_answered", table_name="quiz_attempts")
    op.drop_table("quiz_attempts")
    op.drop_index("ix_question_log_user_id", table_name="question_log")
    op.drop_index("ix_question_log_created_at", table_name="question_log")
    op.drop_table("question_log")
    op.drop_index("ix_interview_results_user_id", table_name="interview_results")
    op.drop_table("interview_results")
    op.drop_index("ix_feedback_question_log_id", table_name="feedback")
    op.drop_table("feedback")
    op.drop_index("ix_daily_deliveries_status", table_name="daily_deliveries")
    op.drop_table("daily_deliveries")
