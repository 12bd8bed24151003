"""The user-state database: small stores per aggregate over one shared engine.

`Store(url)` opens the database once and hands out one store per aggregate: `users`,
`questions` (the question log and 👍/👎), `resumes`, `interviews`, `quiz` (sessions and
attempts), `cards` (spaced repetition), `subscriptions`, `deliveries` (the daily-quiz claims),
`admin`, `gaps` (declined and 👎 questions, for maintainers) and `chat_state` (the Telegram
adapter's open conversations). Every method is sync and runs its own short transaction: call it
from async code through `asyncio.to_thread(store.users.touch_user, ...)`. No ORM session leaves
this package.
"""

from __future__ import annotations

from sqlalchemy import Engine

from bot.core.store import schema
from bot.core.store.admin import AdminStore, normalise_question
from bot.core.store.base import Database
from bot.core.store.cards import MAX_BOX, MIN_BOX, CardStore
from bot.core.store.chat_state import ChatStateStore
from bot.core.store.deliveries import DEFAULT_GRACE, DEFAULT_LEASE, DeliveryStore
from bot.core.store.engine import make_engine
from bot.core.store.gaps import GapStore
from bot.core.store.models import Base
from bot.core.store.profile import InterviewStore, ResumeStore
from bot.core.store.questions import QuestionStore
from bot.core.store.quiz import QuizStore
from bot.core.store.records import (
    AdminSummary,
    Card,
    DayActivity,
    Delivery,
    FrequentQuestion,
    InterviewResult,
    QuestionAccuracy,
    QuizSession,
    Resume,
    Subscription,
    TopicAccuracy,
    User,
)
from bot.core.store.subscriptions import SubscriptionStore
from bot.core.store.users import UserStore


class Store:
    """`Store(settings.db_url)` or `Store.from_settings(get_settings())`. Opening it applies
    any pending migration (`schema.upgrade`); `migrate=False` opens the database as it is."""

    def __init__(self, url_or_engine: str | Engine, *, migrate: bool = True) -> None:
        self.db = Database(url_or_engine)
        self.engine = self.db.engine
        if migrate:
            schema.upgrade(self.engine)
        self.users = UserStore(self.db)
        self.questions = QuestionStore(self.db)
        self.resumes = ResumeStore(self.db)
        self.interviews = InterviewStore(self.db)
        self.quiz = QuizStore(self.db)
        self.cards = CardStore(self.db)
        self.subscriptions = SubscriptionStore(self.db)
        self.deliveries = DeliveryStore(self.db)
        self.admin = AdminStore(self.db)
        self.gaps = GapStore(self.db)
        self.chat_state = ChatStateStore(self.db)

    @classmethod
    def from_settings(cls, settings) -> Store:
        """A store on `Settings.db_url` (SQLite under CAREERBOT_DATA_DIR unless overridden)."""
        return cls(settings.db_url)

    def close(self) -> None:
        self.db.close()


__all__ = [
    "AdminStore",
    "AdminSummary",
    "Base",
    "Card",
    "CardStore",
    "ChatStateStore",
    "DEFAULT_GRACE",
    "DEFAULT_LEASE",
    "DayActivity",
    "Delivery",
    "DeliveryStore",
    "FrequentQuestion",
    "GapStore",
    "InterviewResult",
    "InterviewStore",
    "MAX_BOX",
    "MIN_BOX",
    "QuestionAccuracy",
    "QuestionStore",
    "QuizSession",
    "QuizStore",
    "Resume",
    "ResumeStore",
    "Store",
    "Subscription",
    "SubscriptionStore",
    "TopicAccuracy",
    "User",
    "UserStore",
    "make_engine",
    "normalise_question",
]
