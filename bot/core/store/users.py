"""Users, the question log, 👍/👎 feedback, résumés, interview scores, and forgetting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.store.base import NO_SYNC, StoreBase, as_utc
from bot.core.store.models import (
    USER_TABLES,
    FeedbackRow,
    InterviewResultRow,
    QuestionLogRow,
    ResumeRow,
    UserRow,
)
from bot.core.store.records import InterviewResult, Resume, User

_RETRIES = 3


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


class UsersMixin(StoreBase):
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
        for attempt in range(_RETRIES):
            try:
                with self._transaction() as session:
                    # UPDATE first: a write as the first statement is what SQLite needs to
                    # wait on its lock instead of failing, and the common case is an update.
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
            except IntegrityError:
                if attempt == _RETRIES - 1:
                    raise
        return False  # pragma: no cover

    def get_user(self, user_id: int) -> User | None:
        with self._transaction() as session:
            row = session.get(UserRow, user_id)
            return _user(row) if row else None

    def log_question(
        self,
        user_id: int,
        question: str,
        in_scope: bool,
        top_score: float | None = None,
        latency_ms: int | None = None,
        now: datetime | None = None,
    ) -> int:
        """Remember an asked question; returns its id (used by feedback buttons)."""
        row = QuestionLogRow(
            user_id=user_id,
            question=question,
            in_scope=bool(in_scope),
            top_score=top_score,
            latency_ms=latency_ms,
            created_at=as_utc(now),
        )
        with self._transaction() as session:
            session.add(row)
            session.flush()
            return row.id

    def log_questions(self, entries: list[dict]) -> list[int]:
        """Many `log_question` calls in one transaction (keyword dicts); ids in order."""
        rows = [
            QuestionLogRow(
                user_id=e["user_id"],
                question=e["question"],
                in_scope=bool(e["in_scope"]),
                top_score=e.get("top_score"),
                latency_ms=e.get("latency_ms"),
                created_at=as_utc(e.get("now")),
            )
            for e in entries
        ]
        with self._transaction() as session:
            session.add_all(rows)
            session.flush()
            return [row.id for row in rows]

    def record_feedback(
        self, user_id: int, question_log_id: int, vote: int, now: datetime | None = None
    ) -> bool:
        """Store a +1/-1 vote. False (and nothing changes) if this user already voted on this
        answer or the answer does not exist."""
        if vote not in (1, -1):
            raise ValueError("vote must be +1 or -1")
        now = as_utc(now)
        try:
            with self._transaction() as session:
                if session.get(QuestionLogRow, question_log_id) is None:
                    return False
                session.add(
                    FeedbackRow(
                        user_id=user_id, question_log_id=question_log_id, vote=vote, created_at=now
                    )
                )
                session.flush()
                return True
        except IntegrityError:
            # The unique (user_id, question_log_id) constraint decides, even across processes.
            return False

    def save_resume(
        self, user_id: int, filename: str | None, text: str, now: datetime | None = None
    ) -> None:
        """Keep the user's latest résumé (one per user)."""
        now = as_utc(now)
        for attempt in range(_RETRIES):
            try:
                with self._transaction() as session:
                    result = session.execute(
                        update(ResumeRow)
                        .where(ResumeRow.user_id == user_id)
                        .values(filename=filename, text=text, updated_at=now),
                        execution_options=NO_SYNC,
                    )
                    if not result.rowcount:
                        session.add(
                            ResumeRow(user_id=user_id, filename=filename, text=text, updated_at=now)
                        )
                    return
            except IntegrityError:
                if attempt == _RETRIES - 1:
                    raise

    def get_resume(self, user_id: int) -> Resume | None:
        with self._transaction() as session:
            row = session.get(ResumeRow, user_id)
            return Resume(row.user_id, row.filename, row.text, row.updated_at) if row else None

    def record_interview(
        self, user_id: int, question_id: str, score: float, now: datetime | None = None
    ) -> int:
        row = InterviewResultRow(
            user_id=user_id, question_id=question_id, score=float(score), created_at=as_utc(now)
        )
        with self._transaction() as session:
            session.add(row)
            session.flush()
            return row.id

    def interview_results(self, user_id: int, limit: int | None = None) -> list[InterviewResult]:
        """Newest first."""
        query = (
            select(InterviewResultRow)
            .where(InterviewResultRow.user_id == user_id)
            .order_by(InterviewResultRow.created_at.desc(), InterviewResultRow.id.desc())
        )
        if limit is not None:
            query = query.limit(limit)
        with self._transaction() as session:
            return [
                InterviewResult(r.user_id, r.question_id, r.score, r.created_at)
                for r in session.scalars(query)
            ]

    def forget_user(self, user_id: int) -> dict[str, int]:
        """Delete every row about `user_id` in every table (including others' votes on this
        user's questions). Returns the number of rows deleted per table."""
        deleted: dict[str, int] = {}
        with self._transaction() as session:
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

    def count_users(self) -> int:
        with self._transaction() as session:
            return session.scalar(select(func.count()).select_from(UserRow)) or 0
