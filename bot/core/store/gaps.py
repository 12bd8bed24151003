"""Where the knowledge base falls short: questions it declined and answers users voted 👎."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.core.store.base import Database
from bot.core.store.models import FeedbackRow, QuestionLogRow

GAP_ROWS = 10_000  # the newest rows are plenty to rank; older ones would only cost memory


class GapStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def declined_questions(self, since: datetime | None = None) -> list[tuple[str, datetime]]:
        """(question, asked at) of logged questions the bot declined, newest first."""
        query = select(QuestionLogRow.question, QuestionLogRow.created_at).where(
            QuestionLogRow.in_scope.is_(False)
        )
        if since is not None:
            query = query.where(QuestionLogRow.created_at >= since)
        return self._newest(query)

    def disliked_questions(self, since: datetime | None = None) -> list[tuple[str, datetime]]:
        """(question, voted at) of each 👎 vote on an answer, newest first."""
        query = select(QuestionLogRow.question, FeedbackRow.created_at).join(
            FeedbackRow, FeedbackRow.question_log_id == QuestionLogRow.id
        )
        query = query.where(FeedbackRow.vote == -1)
        if since is not None:
            query = query.where(FeedbackRow.created_at >= since)
        return self._newest(query)

    def _newest(self, query) -> list[tuple[str, datetime]]:
        by_time = query.order_by(query.selected_columns[1].desc()).limit(GAP_ROWS)
        with self._db.transaction() as session:
            return [(text, at) for text, at in session.execute(by_time)]
