"""Daily-quiz subscriptions: a local time in a time zone, and the next run in UTC.

`next_run_at` is the claim key of the scheduler (see `deliveries`): a first run never falls on
a local day that already had its quiz.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from bot.core.schedule import (
    UTC,
    ScheduleError,
    format_local_time,
    local_date,
    next_run_at,
    parse_timezone,
    timezone_name,
)
from bot.core.store.base import NO_SYNC, Database, as_utc
from bot.core.store.models import DailyDeliveryRow, SubscriptionRow, UserRow
from bot.core.store.records import Subscription


def subscription_record(row: SubscriptionRow) -> Subscription:
    return Subscription(
        row.user_id, row.chat_id, row.local_time, row.timezone, row.next_run_at, row.active
    )


def zone_or_utc(name: str) -> tzinfo:
    try:
        return parse_timezone(name)
    except ScheduleError:
        return UTC  # stored names were validated; tzdata may have dropped one since


def has_delivery(session: Session, user_id: int, day: date) -> bool:
    """Whether that local day already has its daily quiz (pending or sent)."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    DailyDeliveryRow.user_id == user_id, DailyDeliveryRow.local_date == day
                )
            )
        )
    )


class SubscriptionStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def subscribe(
        self,
        user_id: int,
        chat_id: int,
        local_time: str,
        tz: str | tzinfo,
        now: datetime | None = None,
    ) -> Subscription:
        """(Re)subscribe to the daily quiz at `local_time` ("HH:MM") in `tz`; also sets the
        user's time zone. Raises `ScheduleError` with a user-facing message on bad input.
        The first run skips any local day that already had a quiz."""
        wall = format_local_time(local_time)
        tz_name = timezone_name(tz)
        now = as_utc(now)

        def write(session: Session) -> Subscription:
            self._write_user_timezone(session, user_id, tz_name, now)
            run = self._first_free_run(session, user_id, wall, tz_name, now)
            values = dict(
                chat_id=chat_id, local_time=wall, timezone=tz_name, next_run_at=run, active=True
            )
            result = session.execute(
                update(SubscriptionRow).where(SubscriptionRow.user_id == user_id).values(**values),
                execution_options=NO_SYNC,
            )
            if not result.rowcount:
                session.add(SubscriptionRow(user_id=user_id, **values))
            return Subscription(user_id, chat_id, wall, tz_name, run, True)

        return self._db.upsert(write)

    def unsubscribe(self, user_id: int) -> bool:
        """Stop the daily quiz. False if there was no active subscription."""
        with self._db.transaction() as session:
            return bool(
                session.execute(
                    update(SubscriptionRow)
                    .where(SubscriptionRow.user_id == user_id, SubscriptionRow.active.is_(True))
                    .values(active=False),
                    execution_options=NO_SYNC,
                ).rowcount
            )

    def get_subscription(self, user_id: int) -> Subscription | None:
        with self._db.transaction() as session:
            row = session.get(SubscriptionRow, user_id)
            return subscription_record(row) if row else None

    def set_timezone(self, user_id: int, tz: str | tzinfo, now: datetime | None = None) -> str:
        """Store the user's time zone (validated; returns its canonical name) and move an
        existing subscription's next run to the same wall-clock time in the new zone."""
        tz_name = timezone_name(tz)
        now = as_utc(now)
        with self._db.transaction() as session:
            self._write_user_timezone(session, user_id, tz_name, now)
            row = session.get(SubscriptionRow, user_id)
            if row is not None:
                row.timezone = tz_name
                row.next_run_at = self._first_free_run(
                    session, user_id, row.local_time, tz_name, now
                )
        return tz_name

    def _write_user_timezone(
        self, session: Session, user_id: int, tz_name: str, now: datetime
    ) -> None:
        # A write as the transaction's first statement: SQLite then waits for its lock.
        result = session.execute(
            update(UserRow).where(UserRow.user_id == user_id).values(timezone=tz_name),
            execution_options=NO_SYNC,
        )
        if not result.rowcount:
            session.add(
                UserRow(user_id=user_id, timezone=tz_name, created_at=now, last_seen_at=now)
            )
            session.flush()

    def _first_free_run(
        self, session: Session, user_id: int, wall: str, tz_name: str, now: datetime
    ) -> datetime:
        """The next run after `now` on a local day without a delivery yet."""
        zone = zone_or_utc(tz_name)
        run = next_run_at(wall, zone, now)
        for _ in range(3):
            if not has_delivery(session, user_id, local_date(run, zone)):
                break
            run = next_run_at(wall, zone, run)
        return run
