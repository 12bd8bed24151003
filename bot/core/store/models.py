"""ORM tables of the user-state database (portable SQL: SQLite by default, PostgreSQL by URL).

No foreign keys to `users`: other services may log before a user row exists, and
`Store.forget_user` deletes by `user_id` in every table explicitly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

UTC = UTC

# Telegram ids need 64 bits; SQLite only auto-increments an INTEGER PRIMARY KEY.
AutoId = BigInteger().with_variant(Integer, "sqlite")


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend.

    SQLite has no time zone type, so values are stored there as naive UTC (one fixed string
    format, which keeps `<=` comparisons in SQL correct); PostgreSQL gets timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass timezone-aware datetimes")
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class UserRow(Base):
    __tablename__ = "users"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    first_name: Mapped[str | None] = mapped_column(String(256))
    username: Mapped[str | None] = mapped_column(String(64))
    # IANA name or "UTC+05:30"; None until the user tells us (treated as UTC).
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QuestionLogRow(Base):
    __tablename__ = "question_log"
    __table_args__ = (
        Index("ix_question_log_created_at", "created_at"),
        Index("ix_question_log_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    question: Mapped[str] = mapped_column(Text)
    in_scope: Mapped[bool] = mapped_column(Boolean)
    top_score: Mapped[float | None] = mapped_column(Float)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FeedbackRow(Base):
    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("user_id", "question_log_id", name="uq_feedback_user_question"),
        Index("ix_feedback_question_log_id", "question_log_id"),
    )

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    question_log_id: Mapped[int] = mapped_column(BigInteger)
    vote: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QuizAttemptRow(Base):
    __tablename__ = "quiz_attempts"
    __table_args__ = (Index("ix_quiz_attempts_user_answered", "user_id", "answered_at"),)

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    question_id: Mapped[str] = mapped_column(String(128))
    topic: Mapped[str] = mapped_column(String(128))
    correct: Mapped[bool] = mapped_column(Boolean)
    is_daily: Mapped[bool] = mapped_column(Boolean, default=False)
    session_id: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SrsCardRow(Base):
    __tablename__ = "srs_cards"
    __table_args__ = (Index("ix_srs_cards_user_due", "user_id", "due_at"),)

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    question_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    box: Mapped[int] = mapped_column(SmallInteger)  # Leitner box 1..5
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QuizSessionRow(Base):
    __tablename__ = "quiz_sessions"
    __table_args__ = (Index("ix_quiz_sessions_user_id", "user_id"),)

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    question_ids: Mapped[list] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    correct_count: Mapped[int] = mapped_column(Integer, default=0)
    is_daily: Mapped[bool] = mapped_column(Boolean, default=False)
    current_poll_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_active_next_run", "active", "next_run_at"),)

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    local_time: Mapped[str] = mapped_column(String(5))  # "HH:MM"
    timezone: Mapped[str] = mapped_column(String(64))
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime)  # compare-and-set claim key
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DailyDeliveryRow(Base):
    __tablename__ = "daily_deliveries"
    __table_args__ = (
        UniqueConstraint("user_id", "local_date", name="uq_daily_deliveries_user_day"),
        Index("ix_daily_deliveries_status", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # "pending" | "sending" | "sent"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Lease: the last time a worker took this row to send it (claim or redelivery).
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The replica holding the lease; it renews `claimed_at` while it lives (revision 0002).
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ResumeRow(Base):
    __tablename__ = "resumes"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    filename: Mapped[str | None] = mapped_column(String(256))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InterviewResultRow(Base):
    __tablename__ = "interview_results"
    __table_args__ = (Index("ix_interview_results_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    question_id: Mapped[str] = mapped_column(String(128))
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChatStateRow(Base):
    """Open conversations and per-user/per-chat dicts of the Telegram adapter (its persistence),
    so that any replica can take a user's next message. Never résumé text: that is `resumes`."""

    __tablename__ = "chat_state"
    __table_args__ = (Index("ix_chat_state_user_id", "user_id"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # conversation|user|chat
    name: Mapped[str] = mapped_column(String(64), primary_key=True)  # conversation name or ""
    key: Mapped[str] = mapped_column(String(128), primary_key=True)  # JSON of the key
    user_id: Mapped[int | None] = mapped_column(BigInteger)  # whose state, for forgetting
    data: Mapped[object] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Every table that holds rows about a user, keyed by its `user_id` column.
USER_TABLES = (
    UserRow,
    QuestionLogRow,
    FeedbackRow,
    QuizAttemptRow,
    SrsCardRow,
    QuizSessionRow,
    SubscriptionRow,
    DailyDeliveryRow,
    ResumeRow,
    InterviewResultRow,
    ChatStateRow,
)
