"""Quiz attempts, Leitner cards, quiz sessions and per-user learning statistics."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.quiz import streaks
from bot.core.schedule import local_day_bounds, parse_timezone
from bot.core.store.base import NO_SYNC, StoreBase, as_utc
from bot.core.store.models import QuizAttemptRow, QuizSessionRow, SrsCardRow
from bot.core.store.records import Card, DayActivity, QuizSession, TopicAccuracy

MIN_BOX, MAX_BOX = 1, 5


def _card(row: SrsCardRow) -> Card:
    return Card(row.user_id, row.question_id, row.box, row.due_at, row.last_reviewed_at)


def _session(row: QuizSessionRow) -> QuizSession:
    return QuizSession(
        row.session_id,
        row.user_id,
        row.chat_id,
        tuple(row.question_ids),
        row.position,
        row.correct_count,
        row.is_daily,
        row.current_poll_id,
        row.started_at,
        row.finished_at,
    )


class QuizMixin(StoreBase):
    # -- attempts ---------------------------------------------------------------------------
    def record_attempt(
        self,
        user_id: int,
        question_id: str,
        topic: str,
        correct: bool,
        is_daily: bool = False,
        session_id: str | None = None,
        now: datetime | None = None,
    ) -> int:
        row = QuizAttemptRow(
            user_id=user_id,
            question_id=question_id,
            topic=topic,
            correct=bool(correct),
            is_daily=bool(is_daily),
            session_id=session_id,
            answered_at=as_utc(now),
        )
        with self._transaction() as session:
            session.add(row)
            session.flush()
            return row.id

    def accuracy_by_topic(self, user_id: int) -> list[TopicAccuracy]:
        """Attempts and correct answers per topic, sorted by topic."""
        correct = func.sum(case((QuizAttemptRow.correct.is_(True), 1), else_=0))
        query = (
            select(QuizAttemptRow.topic, func.count(), correct)
            .where(QuizAttemptRow.user_id == user_id)
            .group_by(QuizAttemptRow.topic)
            .order_by(QuizAttemptRow.topic)
        )
        with self._transaction() as session:
            return [
                TopicAccuracy(topic, int(n), int(ok or 0))
                for topic, n, ok in session.execute(query)
            ]

    def daily_activity(
        self,
        user_id: int,
        days: int = 30,
        tz: str | tzinfo | None = None,
        now: datetime | None = None,
    ) -> list[DayActivity]:
        """Attempts and correct answers for each of the last `days` local days (oldest first,
        today last, zero-filled), in `tz` or else the user's time zone."""
        if days < 1:
            raise ValueError("days must be >= 1")
        now = as_utc(now)
        with self._transaction() as session:
            zone = parse_timezone(tz if tz is not None else self._user_timezone(session, user_id))
            today = now.astimezone(zone).date()
            first_day = today - timedelta(days=days - 1)
            start, _ = local_day_bounds(first_day, zone)
            _, end = local_day_bounds(today, zone)
            rows = session.execute(
                select(QuizAttemptRow.answered_at, QuizAttemptRow.correct).where(
                    QuizAttemptRow.user_id == user_id,
                    QuizAttemptRow.answered_at >= start,
                    QuizAttemptRow.answered_at < end,
                )
            ).all()
        # Grouping by local day happens here: SQL date functions differ per backend.
        totals: dict[date, list[int]] = {first_day + timedelta(days=i): [0, 0] for i in range(days)}
        for answered_at, was_correct in rows:
            bucket = totals.get(answered_at.astimezone(zone).date())
            if bucket is not None:
                bucket[0] += 1
                bucket[1] += int(bool(was_correct))
        return [DayActivity(day, n, ok) for day, (n, ok) in totals.items()]

    def daily_answer_times(self, user_id: int) -> list[datetime]:
        """When the user answered daily-quiz questions (UTC), oldest first."""
        query = (
            select(QuizAttemptRow.answered_at)
            .where(QuizAttemptRow.user_id == user_id, QuizAttemptRow.is_daily.is_(True))
            .order_by(QuizAttemptRow.answered_at)
        )
        with self._transaction() as session:
            return list(session.scalars(query))

    def daily_streak(
        self, user_id: int, now: datetime | None = None, tz: str | tzinfo | None = None
    ) -> int:
        """Current daily-quiz streak in the user's (or the given) time zone."""
        now = as_utc(now)
        with self._transaction() as session:
            zone = tz if tz is not None else self._user_timezone(session, user_id)
        return streaks.streak_at(self.daily_answer_times(user_id), zone, now)

    # -- Leitner cards ----------------------------------------------------------------------
    def get_card(self, user_id: int, question_id: str) -> Card | None:
        with self._transaction() as session:
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
        for attempt in range(3):
            try:
                with self._transaction() as session:
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
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

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
        with self._transaction() as session:
            return [_card(row) for row in session.scalars(query)]

    # -- quiz sessions ----------------------------------------------------------------------
    def create_session(
        self,
        user_id: int,
        chat_id: int,
        question_ids: Sequence[str],
        is_daily: bool = False,
        now: datetime | None = None,
    ) -> QuizSession:
        if not question_ids:
            raise ValueError("a quiz session needs at least one question")
        row = QuizSessionRow(
            session_id=uuid.uuid4().hex,
            user_id=user_id,
            chat_id=chat_id,
            question_ids=[str(q) for q in question_ids],
            position=0,
            correct_count=0,
            is_daily=bool(is_daily),
            current_poll_id=None,
            started_at=as_utc(now),
            finished_at=None,
        )
        with self._transaction() as session:
            session.add(row)
            session.flush()
            return _session(row)

    def get_session(self, session_id: str) -> QuizSession | None:
        with self._transaction() as session:
            row = session.get(QuizSessionRow, session_id)
            return _session(row) if row else None

    def get_session_by_poll(self, poll_id: str) -> QuizSession | None:
        with self._transaction() as session:
            row = session.scalar(
                select(QuizSessionRow).where(QuizSessionRow.current_poll_id == poll_id)
            )
            return _session(row) if row else None

    def active_session(self, user_id: int) -> QuizSession | None:
        """The user's most recent unfinished session, if any."""
        query = (
            select(QuizSessionRow)
            .where(QuizSessionRow.user_id == user_id, QuizSessionRow.finished_at.is_(None))
            .order_by(QuizSessionRow.started_at.desc())
            .limit(1)
        )
        with self._transaction() as session:
            row = session.scalar(query)
            return _session(row) if row else None

    def set_session_poll(self, session_id: str, poll_id: str | None) -> bool:
        """Remember the poll currently shown for this session (answers are matched by it)."""
        with self._transaction() as session:
            return bool(
                session.execute(
                    update(QuizSessionRow)
                    .where(QuizSessionRow.session_id == session_id)
                    .values(current_poll_id=poll_id),
                    execution_options=NO_SYNC,
                ).rowcount
            )

    def advance_session(self, session_id: str, poll_id: str, correct: bool) -> QuizSession | None:
        """Count the answer to `poll_id` and move to the next question, once: a repeated or
        stale answer (poll no longer current) changes nothing and returns None."""
        with self._transaction() as session:
            changed = session.execute(
                update(QuizSessionRow)
                .where(
                    QuizSessionRow.session_id == session_id,
                    QuizSessionRow.current_poll_id == poll_id,
                    QuizSessionRow.finished_at.is_(None),
                )
                .values(
                    position=QuizSessionRow.position + 1,
                    correct_count=QuizSessionRow.correct_count + (1 if correct else 0),
                    current_poll_id=None,
                ),
                execution_options=NO_SYNC,
            ).rowcount
            if not changed:
                return None
            return _session(session.get(QuizSessionRow, session_id))

    def finish_session(self, session_id: str, now: datetime | None = None) -> bool:
        """Mark the session finished; False if it was already finished or does not exist."""
        with self._transaction() as session:
            return bool(
                session.execute(
                    update(QuizSessionRow)
                    .where(
                        QuizSessionRow.session_id == session_id,
                        QuizSessionRow.finished_at.is_(None),
                    )
                    .values(finished_at=as_utc(now), current_poll_id=None),
                    execution_options=NO_SYNC,
                ).rowcount
            )
