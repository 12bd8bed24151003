"""The user-state database: one `Store`, sync methods, any SQLAlchemy URL.

Use it from async code through `asyncio.to_thread(store.method, ...)`: every method runs its
own short transaction and the engine is shared safely between threads and processes.
"""

from __future__ import annotations

from bot.core.store.admin import AdminMixin, normalise_question
from bot.core.store.deliveries import DEFAULT_GRACE, DEFAULT_LEASE, DeliveriesMixin
from bot.core.store.engine import make_engine
from bot.core.store.gaps import GapsMixin
from bot.core.store.models import Base
from bot.core.store.quiz import MAX_BOX, MIN_BOX, QuizMixin
from bot.core.store.records import (
    AdminSummary,
    Card,
    DayActivity,
    Delivery,
    FrequentQuestion,
    InterviewResult,
    QuizSession,
    Resume,
    Subscription,
    TopicAccuracy,
    User,
)
from bot.core.store.users import UsersMixin


class Store(UsersMixin, QuizMixin, DeliveriesMixin, AdminMixin, GapsMixin):
    """`Store(settings.db_url)` or `Store.from_settings(get_settings())`; tables are created
    on start (`metadata.create_all`)."""


__all__ = [
    "AdminSummary",
    "Base",
    "Card",
    "DEFAULT_GRACE",
    "DEFAULT_LEASE",
    "DayActivity",
    "Delivery",
    "FrequentQuestion",
    "InterviewResult",
    "MAX_BOX",
    "MIN_BOX",
    "QuizSession",
    "Resume",
    "Store",
    "Subscription",
    "TopicAccuracy",
    "User",
    "make_engine",
    "normalise_question",
]
