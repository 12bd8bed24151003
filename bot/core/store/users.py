"""Users: who they are, their time zone, and forgetting everything about one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.core.store.base import NO_SYNC, Database, as_utc, stored_timezone
from bot.core.store.models import USER_TABLES, FeedbackRow, QuestionLogRow, UserRow
from bot.core.store.records import User


def _user(row: UserRow) -> User:
    return User(
        row.user_id,
        row.chat_id,
        row.first_name,
        row.username,
        row.timezone,
        row.created_at,
        row.last_seen_at,
    )


class UserStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def touch_user(
        self,
        user_id: int,
        chat_id: int | None = None,
        first_name: str | None = None,
        username: str | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Create or refresh a user (names, chat, last_seen_at). True when the user is new."""
        now = as_utc(now)
        fields = {"last_seen_at": now}
        if chat_id is not None:
            fields["chat_id"] = chat_id
        if first_name is not None:
            fields["first_name"] = first_name
        if username is not None:
            fields["username"] = username

        def write(session: Session) -> bool:
            # UPDATE first: a write as the first statement is what SQLite needs to wait on
            # its lock instead of failing, and the common case is an update.
            result = session.execute(
                update(UserRow).where(UserRow.user_id == user_id).values(**fields),
                execution_options=NO_SYNC,
            )
            if result.rowcount:
                return False
            session.add(
                UserRow(
                    user_id=user_id,
                    chat_id=chat_id,
                    first_name=first_name,
                    username=username,
                    timezone=None,
                    created_at=now,
                    last_seen_at=now,
                )
            )
            return True

        return self._db.upsert(write)

    def get_user(self, user_id: int) -> User | None:
        with self._db.transaction() as session:
            row = session.get(UserRow, user_id)
            return _user(row) if row else None

    def user_timezone(self, user_id: int) -> str:
        """The user's time zone name, "UTC" when unknown."""
        with self._db.transaction() as session:
            return stored_timezone(session, user_id)

    def forget_user(self, user_id: int) -> dict[str, int]:
        """Delete every row about `user_id` in every table (including others' votes on this
        user's questions). Returns the number of rows deleted per table."""
        deleted: dict[str, int] = {}
        with self._db.transaction() as session:
            own_questions = select(QuestionLogRow.id).where(QuestionLogRow.user_id == user_id)
            deleted[FeedbackRow.__tablename__] = session.execute(
                delete(FeedbackRow).where(
                    or_(
                        FeedbackRow.user_id == user_id,
                        FeedbackRow.question_log_id.in_(own_questions),
                    )
                ),
                execution_options=NO_SYNC,
            ).rowcount
            for table in USER_TABLES:
                if table is FeedbackRow:
                    continue
                deleted[table.__tablename__] = session.execute(
                    delete(table).where(table.user_id == user_id), execution_options=NO_SYNC
                ).rowcount
        return deleted
