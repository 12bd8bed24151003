"""The daily quiz's clock: claim due subscriptions, send each quiz at most once, and keep
this replica's claims alive (see bot/core/store/deliveries.py for the claim protocol)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot.core.store import Delivery
from bot.core.store.deliveries import SENDING
from bot.telegram.context import SERVICES, CustomContext
from bot.telegram.handlers import send_html
from bot.telegram.http import NotSent
from bot.telegram.quiz_handlers import start_quiz

log = logging.getLogger(__name__)
REPLICA = "replica_id"  # bot_data key: this application's name in daily-quiz claims
LEASE_TICKS = 4
MIN_LEASE = timedelta(seconds=10)


def _now() -> datetime:
    return datetime.now(UTC)


def claim_lease(tick_seconds: float) -> timedelta:
    """How long a replica's claims outlive its last renewal: several ticks, never under a
    floor that a busy event loop could miss (another replica would then send a duplicate)."""
    return max(timedelta(seconds=LEASE_TICKS * tick_seconds), MIN_LEASE)


async def deliver_daily_quizzes(context: CustomContext) -> None:
    """Scheduler tick: claim due subscriptions (and dead replicas' claims) and send them."""
    svc = context.services
    deliveries, replica = svc.store.deliveries, context.bot_data[REPLICA]
    now = _now()
    lease = claim_lease(svc.settings.tick_seconds)
    claimed = await asyncio.to_thread(deliveries.claim_due_deliveries, now, worker=replica)
    for delivery in claimed:
        await send_daily_quiz(context, delivery, intro=True)
    taken_over = await asyncio.to_thread(
        deliveries.pending_deliveries, now, lease=lease, worker=replica
    )
    for delivery in taken_over:
        if delivery.status == SENDING:
            # Its replica died while sending: the user may have it. Never twice.
            await asyncio.to_thread(
                deliveries.mark_delivered, delivery.user_id, delivery.local_date
            )
            continue
        # Its replica died before sending (maybe after the intro): the quiz alone.
        await send_daily_quiz(context, delivery, intro=False)


async def send_daily_quiz(context: CustomContext, delivery: Delivery, intro: bool) -> None:
    """One user's daily quiz: at most once, even if this replica dies halfway."""
    svc = context.services
    deliveries, replica = svc.store.deliveries, context.bot_data[REPLICA]
    user_id, chat_id, day = delivery.user_id, delivery.chat_id, delivery.local_date
    try:
        if intro:
            if not await asyncio.to_thread(deliveries.holds_claim, replica, user_id, day):
                return  # re-leased meanwhile (this replica was too slow): the other one sends it
            await send_html(
                context,
                chat_id,
                "☀️ <b>Your daily quiz</b> — 5 questions, picked for what you need to practise.",
            )
        if not await asyncio.to_thread(deliveries.start_sending, replica, user_id, day):
            return
        try:
            await start_quiz(context, user_id, chat_id, None, is_daily=True)
        except (NotSent, BadRequest, Forbidden):
            # Surely not delivered: pending again. A timeout or a 5xx may hide a delivered
            # quiz: it stays "sending", so it is never sent twice.
            await asyncio.to_thread(deliveries.send_failed, replica, user_id, day)
            raise
    except Forbidden:
        log.info("daily quiz recipient blocked the bot: unsubscribing")
        await asyncio.to_thread(svc.store.subscriptions.unsubscribe, user_id)
    except TelegramError as exc:
        log.warning("daily quiz not delivered (%s); it stays pending", type(exc).__name__)
        return
    await asyncio.to_thread(deliveries.mark_delivered, user_id, day)


async def renew_daily_claims(context: CustomContext) -> None:
    """This replica is alive: keep the leases of the deliveries it is still sending."""
    deliveries = context.services.store.deliveries
    await asyncio.to_thread(deliveries.renew_claims, context.bot_data[REPLICA], _now())


def schedule(application: Application) -> None:
    """Name this replica and start its two jobs: delivery ticks and lease renewals."""
    tick = application.bot_data[SERVICES].settings.tick_seconds
    application.bot_data[REPLICA] = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    application.job_queue.run_repeating(
        deliver_daily_quizzes, interval=tick, first=min(tick, 1.0), name="daily-quiz"
    )
    # A separate job: a long delivery run holds up the next tick, never the renewals.
    application.job_queue.run_repeating(
        renew_daily_claims, interval=tick, first=tick, name="daily-quiz-leases"
    )
