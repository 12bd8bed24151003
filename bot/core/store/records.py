"""Plain immutable records returned by `Store` (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class User:
    user_id: int
    chat_id: int | None
    first_name: str | None
    username: str | None
    timezone: str | None  # None until set; treat as UTC
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class Card:
    """A Leitner spaced-repetition card (box 1..5)."""

    user_id: int
    question_id: str
    box: int
    due_at: datetime
    last_reviewed_at: datetime | None


@dataclass(frozen=True)
class QuizSession:
    session_id: str
    user_id: int
    chat_id: int
    question_ids: tuple[str, ...]
    position: int
    correct_count: int
    is_daily: bool
    current_poll_id: str | None
    started_at: datetime
    finished_at: datetime | None

    @property
    def current_question_id(self) -> str | None:
        """The question at `position`, or None once every question was answered."""
        if self.position < len(self.question_ids):
            return self.question_ids[self.position]
        return None

    @property
    def is_complete(self) -> bool:
        return self.position >= len(self.question_ids)


@dataclass(frozen=True)
class Subscription:
    user_id: int
    chat_id: int
    local_time: str  # "HH:MM"
    timezone: str
    next_run_at: datetime  # UTC
    active: bool


@dataclass(frozen=True)
class Delivery:
    """One daily quiz owed to a user for one local day."""

    user_id: int
    chat_id: int
    local_date: date
    status: str  # "pending" | "sending" (may have reached the user) | "sent"
    created_at: datetime
    sent_at: datetime | None = None


@dataclass(frozen=True)
class Resume:
    user_id: int
    filename: str | None
    text: str
    updated_at: datetime


@dataclass(frozen=True)
class InterviewResult:
    user_id: int
    question_id: str
    score: float
    created_at: datetime


@dataclass(frozen=True)
class TopicAccuracy:
    topic: str
    attempts: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0


@dataclass(frozen=True)
class QuestionAccuracy:
    """How one quiz question fares over every user who answered it."""

    question_id: str
    topic: str
    attempts: int
    correct: int
    users: int  # distinct users who answered it
    users_missed: int  # distinct users who answered it wrongly at least once

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0

    @property
    def missed_share(self) -> float:
        return self.users_missed / self.users if self.users else 0.0


@dataclass(frozen=True)
class DayActivity:
    day: date  # local date in the user's time zone
    attempts: int
    correct: int


@dataclass(frozen=True)
class FrequentQuestion:
    text: str  # normalised form (case, whitespace and punctuation folded)
    count: int
    example: str  # the most recent original wording


@dataclass(frozen=True)
class AdminSummary:
    users: int
    subscribers: int
    questions_today: int
    thumbs_up: int
    thumbs_down: int
    top_out_of_scope: tuple[FrequentQuestion, ...]

    @property
    def like_ratio(self) -> float | None:
        """👍 share of all votes, None before the first vote."""
        votes = self.thumbs_up + self.thumbs_down
        return self.thumbs_up / votes if votes else None
