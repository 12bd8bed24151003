"""What a user handed us to work on: the latest résumé and mock-interview scores."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.store.base import NO_SYNC, Database, as_utc
from bot.core.store.models import InterviewResultRow, ResumeRow
from bot.core.store.records import InterviewResult, Resume


class ResumeStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def save_resume(
        self, user_id: int, filename: str | None, text: str, now: datetime | None = None
    ) -> None:
        """Keep the user's latest résumé (one per user)."""
        now = as_utc(now)

        def write(session: Session) -> None:
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

        self._db.upsert(write)

    def get_resume(self, user_id: int) -> Resume | None:
        with self._db.transaction() as session:
            row = session.get(ResumeRow, user_id)
            return Resume(row.user_id, row.filename, row.text, row.updated_at) if row else None


class InterviewStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record_interview(
        self, user_id: int, question_id: str, score: float, now: datetime | None = None
    ) -> int:
        row = InterviewResultRow(
            user_id=user_id, question_id=question_id, score=float(score), created_at=as_utc(now)
        )
        with self._db.transaction() as session:
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
        with self._db.transaction() as session:
            return [
                InterviewResult(r.user_id, r.question_id, r.score, r.created_at)
                for r in session.scalars(query)
            ]
