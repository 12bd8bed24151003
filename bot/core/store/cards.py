"""Leitner spaced-repetition cards: one per user and question, in box 1..5, due at a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.store.base import NO_SYNC, Database, as_utc
from bot.core.store.models import SrsCardRow
from bot.core.store.records import Card

MIN_BOX, MAX_BOX = 1, 5


def _card(row: SrsCardRow) -> Card:
    return Card(row.user_id, row.question_id, row.box, row.due_at, row.last_reviewed_at)


class CardStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get_card(self, user_id: int, question_id: str) -> Card | None:
        with self._db.transaction() as session:
            row = session.get(SrsCardRow, (user_id, question_id))
            return _card(row) if row else None

    def upsert_card(
        self,
        user_id: int,
        question_id: str,
        box: int,
        due_at: datetime,
        last_reviewed_at: datetime | None = None,
    ) -> Card:
        if not MIN_BOX <= box <= MAX_BOX:
            raise ValueError(f"Leitner box must be {MIN_BOX}..{MAX_BOX}, got {box}")
        due_at = as_utc(due_at, "due_at")
        reviewed = as_utc(last_reviewed_at, "last_reviewed_at") if last_reviewed_at else None

        def write(session: Session) -> Card:
            result = session.execute(
                update(SrsCardRow)
                .where(SrsCardRow.user_id == user_id, SrsCardRow.question_id == question_id)
                .values(box=box, due_at=due_at, last_reviewed_at=reviewed),
                execution_options=NO_SYNC,
            )
            if not result.rowcount:
                session.add(
                    SrsCardRow(
                        user_id=user_id,
                        question_id=question_id,
                        box=box,
                        due_at=due_at,
                        last_reviewed_at=reviewed,
                    )
                )
            return Card(user_id, question_id, box, due_at, reviewed)

        return self._db.upsert(write)

    def due_cards(
        self, user_id: int, now: datetime | None = None, limit: int | None = None
    ) -> list[Card]:
        """Cards due at `now`, most overdue first (lower box first on ties)."""
        query = (
            select(SrsCardRow)
            .where(SrsCardRow.user_id == user_id, SrsCardRow.due_at <= as_utc(now))
            .order_by(SrsCardRow.due_at, SrsCardRow.box, SrsCardRow.question_id)
        )
        if limit is not None:
            query = query.limit(limit)
        with self._db.transaction() as session:
            return [_card(row) for row in session.scalars(query)]
