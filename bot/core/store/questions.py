"""The question log and the 👍/👎 votes on its answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from bot.core.store.base import Database, as_utc
from bot.core.store.models import FeedbackRow, QuestionLogRow


class QuestionStore:
    def __init__(self, db: Database) -> None:
        self._db = db

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
        [row_id] = self.log_questions(
            [
                {
                    "user_id": user_id,
                    "question": question,
                    "in_scope": in_scope,
                    "top_score": top_score,
                    "latency_ms": latency_ms,
                    "now": now,
                }
            ]
        )
        return row_id

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
        with self._db.transaction() as session:
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
            with self._db.transaction() as session:
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
