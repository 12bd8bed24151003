"""/daily and /timezone: the daily quiz's time and time zone (its clock: daily_delivery)."""

from __future__ import annotations

import asyncio
from html import escape

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.core.schedule import ScheduleError, format_local_time, parse_local_time
from bot.telegram.context import CustomContext
from bot.telegram.handlers import send_html
from bot.telegram.render import keyboard

COMMON_TIMES = ("07:30", "08:30", "12:30", "18:00", "21:00")


async def daily_command(update: Update, context: CustomContext) -> None:
    """/daily HH:MM subscribes, /daily off unsubscribes, /daily alone shows times to pick."""
    store = context.services.store
    user = update.effective_user
    arg = " ".join(context.args).strip().lower()
    if arg in ("off", "stop", "no", "none"):
        removed = await asyncio.to_thread(store.subscriptions.unsubscribe, user.id)
        await update.effective_message.reply_html(
            "Daily quiz stopped."
            if removed
            else "You had no daily quiz. Start one with /daily 08:30."
        )
        return
    if not arg:
        current = await asyncio.to_thread(store.subscriptions.get_subscription, user.id)
        status = (
            f"Your daily quiz comes at {current.local_time} ({escape(current.timezone)})."
            if current and current.active
            else "Get 5 questions every day at a time you pick."
        )
        rows = [[(t, f"daily:{t}") for t in COMMON_TIMES], [("Stop the daily quiz", "daily:off")]]
        await update.effective_message.reply_html(
            f"{status}\nPick a time, or send e.g. <code>/daily 08:30</code>. "
            "Set your time zone with <code>/timezone Europe/Berlin</code>.",
            reply_markup=keyboard(rows),
        )
        return
    await _subscribe(
        context, user.id, update.effective_chat.id, arg, update.effective_message.reply_html
    )


async def _subscribe(context, user_id: int, chat_id: int, when: str, reply) -> None:
    store = context.services.store
    try:
        local = format_local_time(parse_local_time(when))
    except ScheduleError as exc:
        await reply(escape(str(exc)))
        return
    await asyncio.to_thread(store.users.touch_user, user_id, chat_id)
    tz = await asyncio.to_thread(store.users.user_timezone, user_id)
    sub = await asyncio.to_thread(store.subscriptions.subscribe, user_id, chat_id, local, tz)
    await reply(
        f"⏰ Daily quiz set for {sub.local_time} ({escape(sub.timezone)}). "
        "Change the zone with /timezone, stop with /daily off."
    )


async def daily_button(update: Update, context: CustomContext) -> None:
    """Buttons of /daily and the /start menu."""
    query = update.callback_query
    await query.answer()
    chat_id = update.effective_chat.id

    async def reply(text: str) -> None:
        await send_html(context, chat_id, text)

    choice = query.data.split(":", 1)[1]
    if choice == "daily":  # the /start menu button
        rows = [[(t, f"daily:{t}") for t in COMMON_TIMES]]
        await send_html(
            context, chat_id, "When should your daily quiz come?", reply_markup=keyboard(rows)
        )
    elif choice == "off":
        await asyncio.to_thread(
            context.services.store.subscriptions.unsubscribe, update.effective_user.id
        )
        await reply("Daily quiz stopped.")
    else:
        await _subscribe(context, update.effective_user.id, chat_id, choice, reply)


async def timezone_command(update: Update, context: CustomContext) -> None:
    """/timezone Europe/Berlin or a UTC offset like UTC+5:30."""
    store = context.services.store
    user = update.effective_user
    if not context.args:
        current = await asyncio.to_thread(store.users.user_timezone, user.id)
        await update.effective_message.reply_html(
            f"Your time zone is {escape(current)}. Change it with e.g. "
            "<code>/timezone Europe/Berlin</code> or <code>/timezone UTC+5:30</code>."
        )
        return
    await asyncio.to_thread(store.users.touch_user, user.id, update.effective_chat.id)
    try:
        name = await asyncio.to_thread(
            store.subscriptions.set_timezone, user.id, " ".join(context.args)
        )
    except ScheduleError as exc:
        await update.effective_message.reply_html(escape(str(exc)))
        return
    await update.effective_message.reply_html(f"🌍 Time zone set to {escape(name)}.")


def register(application: Application) -> None:
    """Add this feature's handlers to the application."""
    application.add_handler(CallbackQueryHandler(daily_button, pattern=r"^(daily:|menu:daily$)"))
