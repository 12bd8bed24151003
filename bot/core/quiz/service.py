"""Quiz sessions: five questions chosen by spaced repetition, answered once each, summarised.

`QuizService` is what both adapters call. Telegram shows each question as a quiz poll and
answers arrive by poll id (`attach_poll` first); the terminal chat answers by session id.
Answers by poll id are exactly-once even when Telegram delivers an update twice: the store's
compare-and-set on the current poll decides, and only the winner records anything.

Texts returned here are plain text; the Telegram adapter escapes them for HTML.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.core.quiz import srs, streaks
from bot.core.quiz.shuffle import as_delivered
from bot.core.store import Card, CardStore, QuizSession, QuizStore, TopicAccuracy
from bot.core.store.base import as_utc
from bot.knowledge.banks import TOPICS, QuizQuestion

SESSION_SIZE = 5
# `due_cards` at this instant returns every card the user has: all of them were due by then.
_END_OF_TIME = datetime(9999, 1, 1, tzinfo=UTC)
_ALL_TOPICS_WORDS = frozenset({"", "all", "any", "mixed", "mix", "random", "everything"})

TOPIC_ALIASES: dict[str, str] = {
    # probability
    "stats": "probability",
    "stat": "probability",
    "statistics": "probability",
    "prob": "probability",
    "probabilities": "probability",
    "maths": "probability",
    "math": "probability",
    "probability and statistics": "probability",
    "probability statistics": "probability",
    # ml
    "machine learning": "ml",
    "algorithms ml": "ml",
    "ml algorithms": "ml",
    "libraries": "ml",
    "deep learning": "ml",
    "dl": "ml",
    "sklearn": "ml",
    "pytorch": "ml",
    "ai": "ml",
    # modeling
    "modelling": "modeling",
    "models": "modeling",
    "model": "modeling",
    "evaluation": "modeling",
    "data modeling": "modeling",
    "data modelling": "modeling",
    "metrics": "modeling",
    # programming
    "coding": "programming",
    "code": "programming",
    "python": "programming",
    "dsa": "programming",
    "algorithms": "programming",
    "data structures": "programming",
    "cs": "programming",
    "data structures algorithms": "programming",
    # engineering
    "software engineering": "engineering",
    "swe": "engineering",
    "system design": "engineering",
    "systems": "engineering",
    "software": "engineering",
    "eng": "engineering",
    # career
    "careers": "career",
    "internship": "career",
    "internships": "career",
    "resume": "career",
    "résumé": "career",
    "cv": "career",
    "portfolio": "career",
    "jobs": "career",
    "job": "career",
}


class QuizError(ValueError):
    """A user-facing problem (unknown topic, bad option, finished session)."""


def topic_choices_text() -> str:
    return ", ".join(TOPICS)


def resolve_topic(text: str | None) -> str | None:
    """The topic slug `text` names ("stats", "Statistics", "ML", "machine-learning" ...), or
    None when it names none. Blank or "all" is not a topic: check with `is_all_topics`."""
    key = re.sub(r"[\s_\-/&]+", " ", (text or "").casefold()).strip(" .!?")
    for candidate in (key, key.replace(" and ", " ")):
        if candidate in TOPICS:
            return candidate
        if candidate in TOPIC_ALIASES:
            return TOPIC_ALIASES[candidate]
    return None


def is_all_topics(text: str | None) -> bool:
    return (text or "").strip().casefold() in _ALL_TOPICS_WORDS


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


def render_question_text(
    question: QuizQuestion, number: int | None = None, total: int | None = None
) -> str:
    """The question and its options numbered "1) ... 2) ..." for the terminal."""
    head = f"Question {number}/{total}: " if number is not None and total is not None else ""
    lines = [f"{head}{question.question}"]
    lines += [f"{i}) {option}" for i, option in enumerate(question.options, start=1)]
    return "\n".join(lines)


def parse_option(text: str, question: QuizQuestion) -> int | None:
    """The 0-based option a typed reply picks: "2", "b", or the option's own text."""
    reply = text.strip().rstrip(").").strip().casefold()
    if reply.isdigit() and 1 <= int(reply) <= len(question.options):
        return int(reply) - 1
    if len(reply) == 1 and "a" <= reply <= "z" and ord(reply) - ord("a") < len(question.options):
        return ord(reply) - ord("a")
    folded = [option.casefold() for option in question.options]
    return folded.index(reply) if reply in folded else None


def render_outcome_text(outcome: AnswerOutcome) -> str:
    verdict = (
        "✅ Correct!"
        if outcome.correct
        else (f"❌ Not quite — the answer is: {outcome.question.correct_option}")
    )
    lines = [verdict, outcome.explanation]
    if outcome.summary is not None:
        lines += ["", render_summary_text(outcome.summary)]
    return "\n".join(lines)


def render_summary_text(summary: QuizSummary) -> str:
    lines = [f"Quiz finished: {summary.text}."]
    if summary.weakest_topic:
        lines.append(
            f"Worth revising: {TOPICS.get(summary.weakest_topic, summary.weakest_topic)}"
            f" (/quiz {summary.weakest_topic})."
        )
    elif summary.total:
        lines.append("A perfect round. 🎉")
    if summary.streak:
        days = "day" if summary.streak == 1 else "days"
        lines.append(
            f"🔥 Daily streak: {summary.streak} {days}"
            + (" — a milestone, well done!" if summary.milestone else ".")
        )
    return "\n".join(lines)
