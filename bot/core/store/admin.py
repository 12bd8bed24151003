"""The admin dashboard numbers."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func, select

from bot.core.schedule import local_date, local_day_bounds, parse_timezone
from bot.core.store.base import Database, as_utc
from bot.core.store.models import FeedbackRow, QuestionLogRow, SubscriptionRow, UserRow
from bot.core.store.records import AdminSummary, FrequentQuestion

_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
_SPACES = re.compile(r"\s+")


def normalise_question(text: str) -> str:
    """Fold case, punctuation, symbols (emoji included) and whitespace, so "What's  a GPU?!"
    and "whats a gpu" count as the same question."""
    folded = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())
    kept = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in folded)
    return _SPACES.sub(" ", kept).strip()


class AdminStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def admin_summary(
        self,
        now: datetime | None = None,
        tz: str | tzinfo = "UTC",
        top: int = 10,
        since: timedelta | None = None,
    ) -> AdminSummary:
        """Users, active subscribers, questions asked today (local day in `tz`), all-time 👍/👎,
        and the `top` most frequent out-of-scope questions (within `since`, if given)."""
        now = as_utc(now)
        zone = parse_timezone(tz)
        day_start, day_end = local_day_bounds(local_date(now, zone), zone)
        out_of_scope = (
            select(QuestionLogRow.question)
            .where(QuestionLogRow.in_scope.is_(False))
            .order_by(QuestionLogRow.created_at, QuestionLogRow.id)
        )
        if since is not None:
            out_of_scope = out_of_scope.where(QuestionLogRow.created_at >= now - since)
        with self._db.transaction() as session:
            users = session.scalar(select(func.count()).select_from(UserRow)) or 0
            subscribers = (
                session.scalar(
                    select(func.count())
                    .select_from(SubscriptionRow)
                    .where(SubscriptionRow.active.is_(True))
                )
                or 0
            )
            questions_today = (
                session.scalar(
                    select(func.count())
                    .select_from(QuestionLogRow)
                    .where(
                        QuestionLogRow.created_at >= day_start, QuestionLogRow.created_at < day_end
                    )
                )
                or 0
            )
            votes = dict(
                session.execute(
                    select(FeedbackRow.vote, func.count()).group_by(FeedbackRow.vote)
                ).all()
            )
            texts = list(session.scalars(out_of_scope))
        # Normalising in Python keeps the SQL portable (no regex functions per backend).
        counts: Counter[str] = Counter()
        latest: dict[str, str] = {}
        for text in texts:
            key = normalise_question(text)
            if key:
                counts[key] += 1
                latest[key] = text
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
        return AdminSummary(
            users=users,
            subscribers=subscribers,
            questions_today=questions_today,
            thumbs_up=votes.get(1, 0),
            thumbs_down=votes.get(-1, 0),
            top_out_of_scope=tuple(FrequentQuestion(key, n, latest[key]) for key, n in ranked),
        )
