"""Daily-quiz deliveries: a due-time query over subscriptions with compare-and-set claims.

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

from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.schedule import local_date, next_run_at
from bot.core.store.base import NO_SYNC, Database, as_utc
from bot.core.store.models import DailyDeliveryRow, SubscriptionRow
from bot.core.store.records import Delivery, Subscription
from bot.core.store.subscriptions import has_delivery, subscription_record, zone_or_utc

PENDING, SENT = "pending", "sent"
# A run later than this is skipped rather than delivered late.
DEFAULT_GRACE = timedelta(hours=2)
# A claimed delivery is left to its worker this long before another may redeliver it.
DEFAULT_LEASE = timedelta(minutes=5)
CLAIM_BATCH = 500


def _delivery(row: DailyDeliveryRow) -> Delivery:
    return Delivery(
        row.user_id, row.chat_id, row.local_date, row.status, row.created_at, row.sent_at
    )


class DeliveryStore:
    def __init__(self, db: Database) -> None:
        self._db = db

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
        with self._db.transaction() as session:
            return [subscription_record(row) for row in session.scalars(query)]

    def _claim(self, seen: Subscription, now: datetime, grace: timedelta) -> Delivery | None:
        """Compare-and-set on the `next_run_at` value read in `seen`; None if another worker
        got there first, the run is stale, or that local day already had its quiz."""
        zone = zone_or_utc(seen.timezone)
        following = next_run_at(seen.local_time, zone, now)
        day = local_date(seen.next_run_at, zone)
        try:
            with self._db.transaction() as session:
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
                if has_delivery(session, seen.user_id, day):
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
        with self._db.transaction() as session:
            candidates = session.execute(query).all()
        taken: list[Delivery] = []
        for row_id, claimed_at in candidates:
            with self._db.transaction() as session:
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
        with self._db.transaction() as session:
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
        with self._db.transaction() as session:
            row = session.scalar(
                select(DailyDeliveryRow).where(
                    DailyDeliveryRow.user_id == user_id, DailyDeliveryRow.local_date == local_date
                )
            )
            return _delivery(row) if row else None
