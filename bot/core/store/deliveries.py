"""Daily-quiz subscriptions and deliveries: a due-time query with compare-and-set claims.

Flow for a scheduler tick (any number of workers or processes may run it at once):

1. `claim_due_deliveries(now)` — for each active subscription with `next_run_at <= now`, an
   UPDATE that only succeeds if `next_run_at` still holds the value that was read moves it to
   the next local day; the one worker whose UPDATE succeeds inserts a `pending` row in
   `daily_deliveries` (unique per user and local date) in the same transaction. A run more than
   `grace` in the past is advanced without a delivery (no burst after downtime).
2. Send each returned `Delivery`, then `mark_delivered(user_id, local_date)`.
3. `pending_deliveries(now)` — rows still `pending` (the process died between claim and send)
   whose lease has expired; each is re-leased with a compare-and-set, so it is handed to one
   caller only. Call it every tick as well.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import and_, exists, select, update
from sqlalchemy.exc import IntegrityError
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
from bot.core.store.base import NO_SYNC, StoreBase, as_utc
from bot.core.store.models import DailyDeliveryRow, SubscriptionRow, UserRow
from bot.core.store.records import Delivery, Subscription

PENDING, SENT = "pending", "sent"
# A run later than this is skipped rather than delivered late.
DEFAULT_GRACE = timedelta(hours=2)
# A claimed delivery is left to its worker this long before another may redeliver it.
DEFAULT_LEASE = timedelta(minutes=5)
CLAIM_BATCH = 500


def _subscription(row: SubscriptionRow) -> Subscription:
    return Subscription(
        row.user_id, row.chat_id, row.local_time, row.timezone, row.next_run_at, row.active
    )


def _delivery(row: DailyDeliveryRow) -> Delivery:
    return Delivery(
        row.user_id, row.chat_id, row.local_date, row.status, row.created_at, row.sent_at
    )


def _zone(name: str) -> tzinfo:
    try:
        return parse_timezone(name)
    except ScheduleError:
        return UTC  # stored names were validated; tzdata may have dropped one since


class DeliveriesMixin(StoreBase):
    # -- subscriptions ----------------------------------------------------------------------
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
        for attempt in range(3):
            try:
                with self._transaction() as session:
                    self._write_user_timezone(session, user_id, tz_name, now)
                    run = self._first_free_run(session, user_id, wall, tz_name, now)
                    values = dict(
                        chat_id=chat_id,
                        local_time=wall,
                        timezone=tz_name,
                        next_run_at=run,
                        active=True,
                    )
                    result = session.execute(
                        update(SubscriptionRow)
                        .where(SubscriptionRow.user_id == user_id)
                        .values(**values),
                        execution_options=NO_SYNC,
                    )
                    if not result.rowcount:
                        session.add(SubscriptionRow(user_id=user_id, **values))
                    return Subscription(user_id, chat_id, wall, tz_name, run, True)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def unsubscribe(self, user_id: int) -> bool:
        """Stop the daily quiz. False if there was no active subscription."""
        with self._transaction() as session:
            return bool(
                session.execute(
                    update(SubscriptionRow)
                    .where(SubscriptionRow.user_id == user_id, SubscriptionRow.active.is_(True))
                    .values(active=False),
                    execution_options=NO_SYNC,
                ).rowcount
            )

    def get_subscription(self, user_id: int) -> Subscription | None:
        with self._transaction() as session:
            row = session.get(SubscriptionRow, user_id)
            return _subscription(row) if row else None

    def set_timezone(self, user_id: int, tz: str | tzinfo, now: datetime | None = None) -> str:
        """Store the user's time zone (validated; returns its canonical name) and move an
        existing subscription's next run to the same wall-clock time in the new zone."""
        tz_name = timezone_name(tz)
        now = as_utc(now)
        with self._transaction() as session:
            self._write_user_timezone(session, user_id, tz_name, now)
            row = session.get(SubscriptionRow, user_id)
            if row is not None:
                row.timezone = tz_name
                row.next_run_at = self._first_free_run(
                    session, user_id, row.local_time, tz_name, now
                )
        return tz_name

    def user_timezone(self, user_id: int) -> str:
        """The user's time zone name, "UTC" when unknown."""
        with self._transaction() as session:
            return self._user_timezone(session, user_id)

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
        zone = _zone(tz_name)
        run = next_run_at(wall, zone, now)
        for _ in range(3):
            if not self._has_delivery(session, user_id, local_date(run, zone)):
                break
            run = next_run_at(wall, zone, run)
        return run

    @staticmethod
    def _has_delivery(session: Session, user_id: int, day: date) -> bool:
        return bool(
            session.scalar(
                select(
                    exists().where(
                        DailyDeliveryRow.user_id == user_id, DailyDeliveryRow.local_date == day
                    )
                )
            )
        )

    # -- claiming ---------------------------------------------------------------------------
    def claim_due_deliveries(
        self,
        now: datetime | None = None,
        grace: timedelta = DEFAULT_GRACE,
        limit: int = CLAIM_BATCH,
    ) -> list[Delivery]:
        """Claim every due subscription (see the module doc). Safe to run concurrently: each
        (user, run) is won by exactly one caller."""
        now = as_utc(now)
        return [
            delivery
            for candidate in self._due_subscriptions(now, limit)
            if (delivery := self._claim(candidate, now, grace)) is not None
        ]

    def _due_subscriptions(self, now: datetime, limit: int) -> list[Subscription]:
        query = (
            select(SubscriptionRow)
            .where(SubscriptionRow.active.is_(True), SubscriptionRow.next_run_at <= now)
            .order_by(SubscriptionRow.next_run_at)
            .limit(limit)
        )
        with self._transaction() as session:
            return [_subscription(row) for row in session.scalars(query)]

    def _claim(self, seen: Subscription, now: datetime, grace: timedelta) -> Delivery | None:
        """Compare-and-set on the `next_run_at` value read in `seen`; None if another worker
        got there first, the run is stale, or that local day already had its quiz."""
        zone = _zone(seen.timezone)
        following = next_run_at(seen.local_time, zone, now)
        day = local_date(seen.next_run_at, zone)
        try:
            with self._transaction() as session:
                won = (
                    session.execute(
                        update(SubscriptionRow)
                        .where(
                            SubscriptionRow.user_id == seen.user_id,
                            SubscriptionRow.active.is_(True),
                            SubscriptionRow.next_run_at == seen.next_run_at,
                        )
                        .values(next_run_at=following),
                        execution_options=NO_SYNC,
                    ).rowcount
                    == 1
                )
                if not won or now - seen.next_run_at > grace:
                    return None
                if self._has_delivery(session, seen.user_id, day):
                    return None
                session.add(
                    DailyDeliveryRow(
                        user_id=seen.user_id,
                        chat_id=seen.chat_id,
                        local_date=day,
                        status=PENDING,
                        created_at=now,
                        claimed_at=now,
                        sent_at=None,
                    )
                )
                return Delivery(seen.user_id, seen.chat_id, day, PENDING, now, None)
        except IntegrityError:
            # Same (user, day) inserted concurrently: the whole claim rolled back; the next
            # tick advances next_run_at and finds that day's row.
            return None

    def pending_deliveries(
        self,
        now: datetime | None = None,
        max_age: timedelta = DEFAULT_GRACE,
        lease: timedelta = DEFAULT_LEASE,
    ) -> list[Delivery]:
        """Deliveries claimed but never marked sent (e.g. the process was killed before
        sending), not older than `max_age`, of still-active subscribers, whose last claim is
        at least `lease` old. Each is re-leased atomically: one caller gets it."""
        now = as_utc(now)
        active = exists().where(
            SubscriptionRow.user_id == DailyDeliveryRow.user_id, SubscriptionRow.active.is_(True)
        )
        query = (
            select(DailyDeliveryRow.id, DailyDeliveryRow.claimed_at)
            .where(
                DailyDeliveryRow.status == PENDING,
                DailyDeliveryRow.created_at >= now - max_age,
                DailyDeliveryRow.claimed_at <= now - lease,
                active,
            )
            .order_by(DailyDeliveryRow.created_at)
        )
        with self._transaction() as session:
            candidates = session.execute(query).all()
        taken: list[Delivery] = []
        for row_id, claimed_at in candidates:
            with self._transaction() as session:
                won = (
                    session.execute(
                        update(DailyDeliveryRow)
                        .where(
                            DailyDeliveryRow.id == row_id,
                            DailyDeliveryRow.status == PENDING,
                            DailyDeliveryRow.claimed_at == claimed_at,
                        )
                        .values(claimed_at=now),
                        execution_options=NO_SYNC,
                    ).rowcount
                    == 1
                )
                if won:
                    taken.append(_delivery(session.get(DailyDeliveryRow, row_id)))
        return taken

    def mark_delivered(self, user_id: int, local_date: date, now: datetime | None = None) -> bool:
        """Record that the day's quiz was sent. False if it was not pending."""
        with self._transaction() as session:
            return bool(
                session.execute(
                    update(DailyDeliveryRow)
                    .where(
                        and_(
                            DailyDeliveryRow.user_id == user_id,
                            DailyDeliveryRow.local_date == local_date,
                            DailyDeliveryRow.status == PENDING,
                        )
                    )
                    .values(status=SENT, sent_at=as_utc(now)),
                    execution_options=NO_SYNC,
                ).rowcount
            )

    def get_delivery(self, user_id: int, local_date: date) -> Delivery | None:
        with self._transaction() as session:
            row = session.scalar(
                select(DailyDeliveryRow).where(
                    DailyDeliveryRow.user_id == user_id, DailyDeliveryRow.local_date == local_date
                )
            )
            return _delivery(row) if row else None
