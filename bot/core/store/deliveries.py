"""Daily-quiz deliveries: due subscriptions claimed by exactly one replica, never lost.

A scheduler tick (any number of replicas may run it at once):

1. `claim_due_deliveries(now, worker)` — every active subscription with `next_run_at <= now`
   moves to its next local day, and a `pending` row in `daily_deliveries` (unique per user and
   local date) is inserted in the same transaction, leased to `worker`. PostgreSQL hands each
   replica different rows (`FOR UPDATE SKIP LOCKED`); SQLite, one writer at a time, uses a
   compare-and-set on the `next_run_at` value read. A run more than `grace` in the past is
   advanced without a delivery (no burst after downtime).
2. For each returned `Delivery`: `start_sending` (pending → sending, only while the claim is
   still this replica's), send the quiz, then `mark_delivered`.
3. `renew_claims(worker, now)` — a live replica keeps its pending claims' leases fresh.
4. `pending_deliveries(now, worker)` — claims still `pending` whose lease expired (their
   replica died between claim and send) are re-leased, each to one caller only. One found
   `sending` may have reached the user before the replica died: it is marked sent, never sent
   twice (at most once; the window is one Bot API call).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.schedule import local_date, next_run_at
from bot.core.store.base import NO_SYNC, Database, as_utc
from bot.core.store.models import DailyDeliveryRow, SubscriptionRow
from bot.core.store.records import Delivery, Subscription
from bot.core.store.subscriptions import has_delivery, subscription_record, zone_or_utc

PENDING, SENDING, SENT = "pending", "sending", "sent"
UNSENT = (PENDING, SENDING)
# A run later than this is skipped rather than delivered late.
DEFAULT_GRACE = timedelta(hours=2)
# A claim not renewed for this long is taken to belong to a dead replica.
DEFAULT_LEASE = timedelta(minutes=5)
CLAIM_BATCH = 500


def _delivery(row: DailyDeliveryRow) -> Delivery:
    return Delivery(
        row.user_id, row.chat_id, row.local_date, row.status, row.created_at, row.sent_at
    )


class DeliveryStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._skip_locked = db.engine.dialect.name == "postgresql"

    def claim_due_deliveries(
        self,
        now: datetime | None = None,
        grace: timedelta = DEFAULT_GRACE,
        limit: int = CLAIM_BATCH,
        worker: str | None = None,
    ) -> list[Delivery]:
        """Claim every due subscription (see the module doc). Safe to run concurrently: each
        (user, run) is won by exactly one caller."""
        now = as_utc(now)
        if self._skip_locked:
            return self._claim_locked(now, grace, limit, worker)
        return [
            delivery
            for candidate in self._due_subscriptions(now, limit)
            if (delivery := self._claim(candidate, now, grace, worker)) is not None
        ]

    def _due_query(self, now: datetime, limit: int):
        return (
            select(SubscriptionRow)
            .where(SubscriptionRow.active.is_(True), SubscriptionRow.next_run_at <= now)
            .order_by(SubscriptionRow.next_run_at)
            .limit(limit)
        )

    def _claim_locked(
        self, now: datetime, grace: timedelta, limit: int, worker: str | None
    ) -> list[Delivery]:
        """PostgreSQL: lock the due rows no other replica holds, advance them, insert claims."""
        claimed: list[Delivery] = []
        with self._db.transaction() as session:
            rows = session.scalars(
                self._due_query(now, limit).with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                seen = subscription_record(row)
                row.next_run_at = next_run_at(seen.local_time, zone_or_utc(seen.timezone), now)
                delivery = self._insert_claim(session, seen, now, grace, worker)
                if delivery is not None:
                    claimed.append(delivery)
        return claimed

    def _insert_claim(
        self,
        session: Session,
        seen: Subscription,
        now: datetime,
        grace: timedelta,
        worker: str | None,
    ) -> Delivery | None:
        """The pending row for the run `seen` was due at; None when that run is stale or its
        local day already had its quiz."""
        day = local_date(seen.next_run_at, zone_or_utc(seen.timezone))
        if now - seen.next_run_at > grace or has_delivery(session, seen.user_id, day):
            return None
        session.add(
            DailyDeliveryRow(
                user_id=seen.user_id,
                chat_id=seen.chat_id,
                local_date=day,
                status=PENDING,
                created_at=now,
                claimed_at=now,
                claimed_by=worker,
                sent_at=None,
            )
        )
        session.flush()
        return Delivery(seen.user_id, seen.chat_id, day, PENDING, now, None)

    def _due_subscriptions(self, now: datetime, limit: int) -> list[Subscription]:
        with self._db.transaction() as session:
            return [
                subscription_record(row) for row in session.scalars(self._due_query(now, limit))
            ]

    def _claim(
        self, seen: Subscription, now: datetime, grace: timedelta, worker: str | None
    ) -> Delivery | None:
        """SQLite: compare-and-set on the `next_run_at` value read in `seen`; None if another
        worker got there first, the run is stale, or that local day already had its quiz."""
        following = next_run_at(seen.local_time, zone_or_utc(seen.timezone), now)
        try:
            with self._db.transaction() as session:
                won = session.execute(
                    update(SubscriptionRow)
                    .where(
                        SubscriptionRow.user_id == seen.user_id,
                        SubscriptionRow.active.is_(True),
                        SubscriptionRow.next_run_at == seen.next_run_at,
                    )
                    .values(next_run_at=following),
                    execution_options=NO_SYNC,
                ).rowcount
                if won != 1:
                    return None
                return self._insert_claim(session, seen, now, grace, worker)
        except IntegrityError:
            # Same (user, day) inserted concurrently: the whole claim rolled back; the next
            # tick advances next_run_at and finds that day's row.
            return None

    def renew_claims(self, worker: str, now: datetime | None = None) -> int:
        """Refresh the lease of every pending claim `worker` holds (it is alive)."""
        with self._db.transaction() as session:
            return session.execute(
                update(DailyDeliveryRow)
                .where(DailyDeliveryRow.claimed_by == worker, DailyDeliveryRow.status.in_(UNSENT))
                .values(claimed_at=as_utc(now)),
                execution_options=NO_SYNC,
            ).rowcount

    def holds_claim(self, worker: str, user_id: int, local_date: date) -> bool:
        """Whether `worker` still holds that day's pending delivery (nobody re-leased it)."""
        query = select(
            exists().where(
                DailyDeliveryRow.user_id == user_id,
                DailyDeliveryRow.local_date == local_date,
                DailyDeliveryRow.status == PENDING,
                DailyDeliveryRow.claimed_by == worker,
            )
        )
        with self._db.transaction() as session:
            return bool(session.scalar(query))

    def start_sending(self, worker: str, user_id: int, local_date: date) -> bool:
        """pending → sending, if `worker` still holds the claim: from here on the quiz may
        have reached the user, so no replica sends it again. False when the claim was lost."""
        return self._move(user_id, local_date, PENDING, SENDING, worker)

    def send_failed(self, worker: str, user_id: int, local_date: date) -> bool:
        """sending → pending: Telegram refused the send, so it surely did not arrive."""
        return self._move(user_id, local_date, SENDING, PENDING, worker)

    def _move(self, user_id: int, day: date, before: str, after: str, worker: str) -> bool:
        with self._db.transaction() as session:
            return bool(
                session.execute(
                    update(DailyDeliveryRow)
                    .where(
                        DailyDeliveryRow.user_id == user_id,
                        DailyDeliveryRow.local_date == day,
                        DailyDeliveryRow.status == before,
                        DailyDeliveryRow.claimed_by == worker,
                    )
                    .values(status=after),
                    execution_options=NO_SYNC,
                ).rowcount
            )

    def pending_deliveries(
        self,
        now: datetime | None = None,
        max_age: timedelta = DEFAULT_GRACE,
        lease: timedelta = DEFAULT_LEASE,
        worker: str | None = None,
    ) -> list[Delivery]:
        """Deliveries claimed but never marked sent (their replica died before or while sending), not
        older than `max_age`, of still-active subscribers, whose lease is at least `lease` old.
        Each is re-leased to `worker` atomically: one caller gets it."""
        now = as_utc(now)
        active = exists().where(
            SubscriptionRow.user_id == DailyDeliveryRow.user_id, SubscriptionRow.active.is_(True)
        )
        query = (
            select(DailyDeliveryRow)
            .where(
                DailyDeliveryRow.status.in_(UNSENT),
                DailyDeliveryRow.created_at >= now - max_age,
                DailyDeliveryRow.claimed_at <= now - lease,
                active,
            )
            .order_by(DailyDeliveryRow.created_at)
        )
        if self._skip_locked:
            with self._db.transaction() as session:
                rows = session.scalars(query.with_for_update(skip_locked=True, of=DailyDeliveryRow))
                taken = []
                for row in rows:
                    row.claimed_at, row.claimed_by = now, worker
                    taken.append(_delivery(row))
                return taken
        with self._db.transaction() as session:
            candidates = [(row.id, row.claimed_at) for row in session.scalars(query)]
        taken = []
        for row_id, claimed_at in candidates:
            with self._db.transaction() as session:
                won = session.execute(
                    update(DailyDeliveryRow)
                    .where(
                        DailyDeliveryRow.id == row_id,
                        DailyDeliveryRow.status.in_(UNSENT),
                        DailyDeliveryRow.claimed_at == claimed_at,
                    )
                    .values(claimed_at=now, claimed_by=worker),
                    execution_options=NO_SYNC,
                ).rowcount
                if won == 1:
                    taken.append(_delivery(session.get(DailyDeliveryRow, row_id)))
        return taken

    def mark_delivered(self, user_id: int, local_date: date, now: datetime | None = None) -> bool:
        """Record that the day's quiz was sent. False if it was already marked sent."""
        with self._db.transaction() as session:
            return bool(
                session.execute(
                    update(DailyDeliveryRow)
                    .where(
                        DailyDeliveryRow.user_id == user_id,
                        DailyDeliveryRow.local_date == local_date,
                        DailyDeliveryRow.status.in_(UNSENT),
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
