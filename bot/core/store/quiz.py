"""Quiz sessions, the attempts answered in them, and per-user learning statistics."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import ColumnElement, case, func, select, update

from bot.core.quiz import streaks
from bot.core.schedule import local_day_bounds, parse_timezone
from bot.core.store.base import NO_SYNC, Database, as_utc, stored_timezone
from bot.core.store.models import QuizAttemptRow, QuizSessionRow
from bot.core.store.records import DayActivity, QuestionAccuracy, QuizSession, TopicAccuracy


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


class QuizStore:
    def __init__(self, db: Database) -> None:
        self._db = db

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
        with self._db.transaction() as session:
            session.add(row)
            session.flush()
            return row.id

    def accuracy_by_topic(self, user_id: int) -> list[TopicAccuracy]:
        """Attempts and correct answers per topic, sorted by topic."""
        return self._accuracy(QuizAttemptRow.user_id == user_id)

    def session_accuracy(self, session_id: str) -> dict[str, TopicAccuracy]:
        """Attempts and correct answers per topic within one quiz session, by topic."""
        return {t.topic: t for t in self._accuracy(QuizAttemptRow.session_id == session_id)}

    def question_accuracy(self, min_users: int = 1) -> list[QuestionAccuracy]:
        """Per quiz question over all users: attempts, correct answers, users who answered it
        and users who missed it at least once; only questions `min_users` users answered.
        Most-missed first (share of users who missed it), then most answered, then by id."""
        wrong = QuizAttemptRow.correct.is_(False)
        users = func.count(func.distinct(QuizAttemptRow.user_id))
        query = (
            select(
                QuizAttemptRow.question_id,
                func.max(QuizAttemptRow.topic),
                func.count(),
                func.sum(case((QuizAttemptRow.correct.is_(True), 1), else_=0)),
                users,
                func.count(func.distinct(case((wrong, QuizAttemptRow.user_id)))),
            )
            .group_by(QuizAttemptRow.question_id)
            .having(users >= min_users)
        )
        with self._db.transaction() as session:
            rows = [
                QuestionAccuracy(qid, topic, int(n), int(ok or 0), int(u), int(missed))
                for qid, topic, n, ok, u, missed in session.execute(query)
            ]
        return sorted(rows, key=lambda r: (-r.missed_share, -r.attempts, r.question_id))

    def _accuracy(self, which: ColumnElement[bool]) -> list[TopicAccuracy]:
        correct = func.sum(case((QuizAttemptRow.correct.is_(True), 1), else_=0))
        query = (
            select(QuizAttemptRow.topic, func.count(), correct)
            .where(which)
            .group_by(QuizAttemptRow.topic)
            .order_by(QuizAttemptRow.topic)
        )
        with self._db.transaction() as session:
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
        with self._db.transaction() as session:
            zone = parse_timezone(tz if tz is not None else stored_timezone(session, user_id))
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
        with self._db.transaction() as session:
            return list(session.scalars(query))

    def daily_streak(
        self, user_id: int, now: datetime | None = None, tz: str | tzinfo | None = None
    ) -> int:
        """Current daily-quiz streak in the user's (or the given) time zone."""
        now = as_utc(now)
        with self._db.transaction() as session:
            zone = tz if tz is not None else stored_timezone(session, user_id)
        return streaks.streak_at(self.daily_answer_times(user_id), zone, now)

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
        with self._db.transaction() as session:
            session.add(row)
            session.flush()
            return _session(row)

    def get_session(self, session_id: str) -> QuizSession | None:
        with self._db.transaction() as session:
            row = session.get(QuizSessionRow, session_id)
            return _session(row) if row else None

    def get_session_by_poll(self, poll_id: str) -> QuizSession | None:
        with self._db.transaction() as session:
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
        with self._db.transaction() as session:
            row = session.scalar(query)
            return _session(row) if row else None

    def set_session_poll(self, session_id: str, poll_id: str | None) -> bool:
        """Remember the poll currently shown for this session (answers are matched by it)."""
        with self._db.transaction() as session:
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
        with self._db.transaction() as session:
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
        with self._db.transaction() as session:
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
