"""Quiz sessions: five questions chosen by spaced repetition, answered once each, summarised.

`QuizService` is what both adapters call. Telegram shows each question as a quiz poll and
answers arrive by poll id (`attach_poll` first); the terminal chat answers by session id.
Answers by poll id are exactly-once even when Telegram delivers an update twice: the store's
compare-and-set on the current poll decides, and only the winner records anything.

Its messages are plain text, as are those of texts.py; the Telegram adapter escapes them for HTML.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.core.quiz import srs, streaks
from bot.core.quiz.shuffle import as_delivered
from bot.core.quiz.topics import is_all_topics, resolve_topic, topic_choices_text
from bot.core.store import Card, CardStore, QuizSession, QuizStore, TopicAccuracy
from bot.core.store.base import as_utc
from bot.knowledge.banks import QuizQuestion

SESSION_SIZE = 5
# `due_cards` at this instant returns every card the user has: all of them were due by then.
_END_OF_TIME = datetime(9999, 1, 1, tzinfo=UTC)


class QuizError(ValueError):
    """A user-facing problem (unknown topic, bad option, finished session)."""


@dataclass(frozen=True)
class QuizSummary:
    score: int
    total: int
    text: str  # "4/5"
    weakest_topic: str | None  # None when nothing was missed
    per_topic: dict[str, TopicAccuracy] = field(default_factory=dict)  # this session only
    streak: int | None = None  # daily sessions only
    milestone: bool = False


@dataclass(frozen=True)
class AnswerOutcome:
    correct: bool
    question: QuizQuestion
    explanation: str
    session: QuizSession  # after this answer
    finished: bool
    summary: QuizSummary | None = None  # set when `finished`


class QuizService:
    def __init__(self, sessions: QuizStore, cards: CardStore, bank: Iterable[QuizQuestion]) -> None:
        self.sessions = sessions
        self.card_store = cards
        self.bank = list(bank)
        self._by_id = {q.id: q for q in self.bank}

    # -- sessions -------------------------------------------------------------------------
    def start_session(
        self,
        user_id: int,
        chat_id: int,
        topic: str | None = None,
        is_daily: bool = False,
        now: datetime | None = None,
        rng: random.Random | None = None,
    ) -> QuizSession:
        """A new session of up to five questions. `topic` may be a slug, an alias or "all".
        Raises `QuizError` (with the valid topics) for an unknown topic."""
        now = as_utc(now)
        slug = None
        if not is_all_topics(topic):
            slug = resolve_topic(topic)
            if slug is None:
                raise QuizError(
                    f'I don\'t know the topic "{(topic or "").strip()}". '
                    f"Try one of: {topic_choices_text()} (or leave it out for a mix)."
                )
        cards = self.cards(user_id)
        questions = srs.choose_questions(self.bank, cards, now, SESSION_SIZE, slug, rng)
        if not questions:
            raise QuizError(
                "There are no quiz questions for that topic yet. "
                f"Try one of: {topic_choices_text()}."
            )
        return self.sessions.create_session(
            user_id, chat_id, [q.id for q in questions], is_daily=is_daily, now=now
        )

    def cards(self, user_id: int) -> dict[str, Card]:
        """Every Leitner card of the user, by question id."""
        return {c.question_id: c for c in self.card_store.due_cards(user_id, now=_END_OF_TIME)}

    def active_session(self, user_id: int) -> QuizSession | None:
        return self.sessions.active_session(user_id)

    def question(self, question_id: str) -> QuizQuestion:
        try:
            return self._by_id[question_id]
        except KeyError:
            raise QuizError("That question is no longer in the quiz bank.") from None

    def current_question(self, session: QuizSession) -> QuizQuestion:
        """The session's current question as delivered: its options in this session's order
        for this position (see `shuffle`), so an answer's option index means what was shown."""
        qid = session.current_question_id
        if qid is None or session.finished_at is not None:
            raise QuizError("This quiz is already finished. Start a new one with /quiz.")
        return as_delivered(self.question(qid), session.session_id, session.position)

    def attach_poll(self, session_id: str, poll_id: str) -> None:
        """Remember the poll that shows the session's current question (Telegram)."""
        self.sessions.set_session_poll(session_id, poll_id)

    # -- answers --------------------------------------------------------------------------
    def record_answer(
        self,
        key: str,
        option_index: int,
        now: datetime | None = None,
        user_id: int | None = None,
    ) -> AnswerOutcome | None:
        """Answer the current question of the session found by poll id or session id, with
        `option_index` counted in the order delivered (`current_question`).

        Returns None, changing nothing, for a duplicate or stale answer (the poll is no longer
        current, the session is finished or unknown, or `user_id` is not its owner). Raises
        `QuizError` for an option index that is out of range."""
        now = as_utc(now)
        session = self.sessions.get_session_by_poll(key)
        by_poll = session is not None
        if session is None:
            session = self.sessions.get_session(key)
        if session is None or session.finished_at is not None or session.is_complete:
            return None
        if user_id is not None and user_id != session.user_id:
            return None
        question = self.current_question(session)
        if not isinstance(option_index, int) or not 0 <= option_index < len(question.options):
            raise QuizError(f"Choose one of the options 1-{len(question.options)}.")
        correct = option_index == question.correct
        poll_id = key if by_poll else session.current_poll_id
        if poll_id is None:
            # The terminal shows no poll: a per-position token plays its part.
            poll_id = f"local:{session.session_id}:{session.position}"
            self.sessions.set_session_poll(session.session_id, poll_id)
        after = self.sessions.advance_session(session.session_id, poll_id, correct)
        if after is None:
            return None
        self.sessions.record_attempt(
            session.user_id,
            question.id,
            question.topic,
            correct,
            is_daily=session.is_daily,
            session_id=session.session_id,
            now=now,
        )
        box, due_at = srs.review(
            self.card_store.get_card(session.user_id, question.id), correct, now
        )
        self.card_store.upsert_card(session.user_id, question.id, box, due_at, now)
        summary = None
        if after.is_complete:
            self.sessions.finish_session(after.session_id, now)
            after = self.sessions.get_session(after.session_id) or after
            summary = self.summary(after, now)
        return AnswerOutcome(
            correct, question, question.explanation, after, summary is not None, summary
        )

    # -- summaries ------------------------------------------------------------------------
    def summary(self, session: QuizSession, now: datetime | None = None) -> QuizSummary:
        per_topic = self.sessions.session_accuracy(session.session_id)
        weakest = None
        if any(t.correct < t.attempts for t in per_topic.values()):
            overall = {
                t.topic: t.accuracy for t in self.sessions.accuracy_by_topic(session.user_id)
            }
            weakest = min(
                per_topic.values(), key=lambda t: (t.accuracy, overall.get(t.topic, 0.0), t.topic)
            ).topic
        streak, milestone = None, False
        if session.is_daily and session.is_complete:
            streak = self.sessions.daily_streak(session.user_id, now=as_utc(now))
            milestone = streaks.is_milestone(streak)
        total = len(session.question_ids)
        return QuizSummary(
            session.correct_count,
            total,
            f"{session.correct_count}/{total}",
            weakest,
            per_topic,
            streak,
            milestone,
        )
