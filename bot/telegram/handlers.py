"""Conversation handlers: flat `async def handler(update, context) -> None`, one job each."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from html import escape

from telegram import Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError, TimedOut
from telegram.ext import ApplicationHandlerStop

from bot.core.gaps import knowledge_gaps
from bot.core.quiz.question_stats import question_report, report_sections
from bot.telegram.context import CustomContext
from bot.telegram.http import NotSent
from bot.telegram.render import (
    answer_blocks,
    answer_keyboard,
    gaps_html,
    keyboard,
    passage_html,
    split_message,
    step_html,
)
from bot.telegram.safety import redact
from bot.telegram.update_log import note_reply

log = logging.getLogger(__name__)
TYPING_AFTER_SECONDS = 0.5  # a faster answer needs no "typing…" (it would cost a request)
TYPING_LASTS = 4.5
SEND_ATTEMPTS = 3  # only for requests that never left (see send_html)
TYPING_SENT_AT = "typing_sent_at"
CONFIRM = "confirm"  # conversation state of /forget: waiting for its buttons

EXAMPLES = [
    "is Kaggle worth it?",
    "do I need a PhD to get an ML internship?",
    "what goes first on my CV if I have more projects than jobs?",
]


async def send_html(context: CustomContext, chat_id: int, text: str, **kwargs) -> Message:
    """send_message, sent again only when the request surely never reached Telegram (no
    connection could be made). A timeout or a 5xx may hide a delivered message: not repeated,
    so nobody gets an answer twice. 429 is the rate limiter's (it waits retry_after)."""
    for attempt in range(SEND_ATTEMPTS - 1):
        try:
            return await context.bot.send_message(chat_id, text, **kwargs)
        except NotSent as exc:
            log.warning("send failed before reaching Telegram (%s), retrying", exc)
            await asyncio.sleep(0.5 * 2**attempt)
    return await context.bot.send_message(chat_id, text, **kwargs)


async def flood_guard(update: Update, context: CustomContext) -> None:
    """Runs before every handler: a user flooding the bot gets one polite warning, then silence."""
    user = update.effective_user
    if user is None or update.message is None:
        return
    verdict = context.services.flood.check(user.id)
    if verdict == "ok":
        return
    note_reply(f"flood:{verdict}")
    if verdict == "warn":
        await send_html(
            context,
            update.effective_chat.id,
            "🐢 Whoa, that's a lot of messages at once. Give me a few seconds, then ask again.",
        )
    raise ApplicationHandlerStop


async def menu_examples(update: Update, context: CustomContext) -> None:
    """The 'example questions' button of /start."""
    await update.callback_query.answer()
    tries = "\n".join(f"• {escape(q)}" for q in EXAMPLES)
    await send_html(
        context, update.effective_chat.id, f"Just type a question, for example:\n{tries}"
    )


def _addressed_text(update: Update, context: CustomContext) -> str | None:
    """The question text, or None when a group message is not meant for the bot."""
    message = update.effective_message
    text = message.text or ""
    if update.effective_chat.type == ChatType.PRIVATE:
        return text
    username = context.bot.username
    mention = f"@{username}".lower()
    replied = message.reply_to_message
    if mention in text.lower():
        start = text.lower().index(mention)
        return (text[:start] + text[start + len(mention) :]).strip()
    if (
        replied is not None
        and replied.from_user is not None
        and replied.from_user.id == context.bot.id
    ):
        return text
    return None


async def question(update: Update, context: CustomContext) -> None:
    """Any plain text is a question: answer it from the knowledge base, with sources."""
    text = _addressed_text(update, context)
    if text is None:
        return
    chat_id = update.effective_chat.id
    user = update.effective_user
    svc = context.services
    task = asyncio.ensure_future(svc.ask(user.id, text))
    done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER_SECONDS)
    # Telegram shows "typing…" for ~5 s: one action covers a user's queued questions too.
    # Wall-clock time: user_data outlives the process (the chat_state table).
    if not done and time.time() - context.user_data.get(TYPING_SENT_AT, -1e9) > TYPING_LASTS:
        context.user_data[TYPING_SENT_AT] = time.time()
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError:
            pass  # only a courtesy
    result = await task
    note_reply(f"answer:{result.answer.kind}")
    messages = split_message(answer_blocks(result.answer))
    markup = answer_keyboard(result.answer, result.log_id)
    reply_to = (
        update.effective_message.message_id
        if update.effective_chat.type != ChatType.PRIVATE
        else None
    )
    for i, html in enumerate(messages):
        last = i == len(messages) - 1
        await send_html(
            context,
            chat_id,
            html,
            reply_markup=markup if last else None,
            reply_to_message_id=reply_to if i == 0 else None,
        )


async def show_source(update: Update, context: CustomContext) -> None:
    """A source button: send the section it cites, in full."""
    query = update.callback_query
    passages = context.services.answers.cited_section(query.data.split(":", 1)[1])
    if not passages:
        await query.answer(
            "That source has been updated since. Ask again for the current one.", show_alert=True
        )
        return
    await query.answer()
    html = passage_html(passages[0].citation, "\n\n".join(p.text for p in passages))
    for message in split_message([html]):
        await send_html(context, update.effective_chat.id, message)


async def show_step(update: Update, context: CustomContext) -> None:
    """An overview step button: send that part of the guide in full."""
    query = update.callback_query
    step = context.services.answers.overview_step(int(query.data.split(":", 1)[1]))
    if step is None:
        await query.answer("That step is no longer in the guide. Ask again.", show_alert=True)
        return
    await query.answer()
    await send_html(context, update.effective_chat.id, step_html(*step))


async def feedback(update: Update, context: CustomContext) -> None:
    """👍/👎 under an answer: store the vote once, then turn the buttons into a thank-you."""
    query = update.callback_query
    _, log_id, vote = query.data.split(":")
    stored = await asyncio.to_thread(
        context.services.store.questions.record_feedback,
        update.effective_user.id,
        int(log_id),
        int(vote),
    )
    await query.answer("Thanks!" if stored else "You already rated this answer.")
    markup = query.message.reply_markup if query.message else None
    if markup is None:
        return
    rows = [
        list(row)
        for row in markup.inline_keyboard
        if not any((b.callback_data or "").startswith("fb:") for b in row)
    ]
    rows = [[(b.text, b.callback_data) for b in row] for row in rows]
    rows.append([("🙏 Thanks for the feedback!", "noop")])
    try:
        await query.edit_message_reply_markup(keyboard(rows))
    except BadRequest:
        pass  # already edited (a double tap)


async def noop(update: Update, context: CustomContext) -> None:
    """Buttons that only acknowledge."""
    await update.callback_query.answer()


async def forget(update: Update, context: CustomContext) -> str:
    """Ask for confirmation before deleting everything about the user."""
    await update.effective_message.reply_html(
        "This deletes <b>everything</b> I store about you: questions, ratings, quiz history, "
        "streak, daily quiz, résumé. Are you sure?",
        reply_markup=keyboard([[("🗑 Yes, delete it all", "forget:yes"), ("Cancel", "forget:no")]]),
    )
    return CONFIRM


async def forget_confirm(update: Update, context: CustomContext) -> None:
    """The confirm/cancel buttons of /forget."""
    query = update.callback_query
    await query.answer()
    if query.data == "forget:yes":
        await asyncio.to_thread(context.services.store.users.forget_user, update.effective_user.id)
        for key in list(context.user_data):
            context.user_data.pop(key, None)
        await query.edit_message_text("Done: everything I stored about you is deleted. 👋")
    else:
        await query.edit_message_text("Nothing was deleted.")


async def forget_expired(update: Update, context: CustomContext) -> None:
    """A confirm button of a /forget that timed out or was followed by another command."""
    await update.callback_query.answer(
        "This confirmation has expired: send /forget again.", show_alert=True
    )


async def admin(update: Update, context: CustomContext) -> None:
    """Maintainers only: usage, ratings and the questions the knowledge base could not answer."""
    svc = context.services
    if update.effective_user.id not in svc.settings.admin_ids:
        await update.effective_message.reply_html("Sorry, /admin is for the bot's maintainers.")
        return
    summary = await asyncio.to_thread(svc.store.admin.admin_summary, datetime.now(UTC))
    gaps = await asyncio.to_thread(knowledge_gaps, svc.store)
    ratio = f"{summary.like_ratio:.0%} 👍" if summary.like_ratio is not None else "no votes yet"
    numbers = (
        f"<b>Users:</b> {summary.users}\n<b>Questions today:</b> {summary.questions_today}\n"
        f"<b>Feedback:</b> {summary.thumbs_up} 👍 / {summary.thumbs_down} 👎 ({ratio})"
    )
    declined = gaps_html("Questions I declined (most asked first):", gaps.declined, "none yet 🎉")
    disliked = gaps_html("Answers voted 👎 (most first):", gaps.disliked, "none yet 🎉")
    blocks = [numbers, declined, disliked]
    report = await asyncio.to_thread(question_report, svc.store.quiz)
    for title, items in report_sections(report, svc.quiz.bank if svc.quiz else ()):
        blocks.append("\n".join([f"<b>{escape(title)}:</b>", *map(escape, items)]))
    for html in split_message(blocks):
        await update.effective_message.reply_html(html)


async def unknown_command(update: Update, context: CustomContext) -> None:
    """Commands the bot does not know get a hint instead of silence."""
    if update.effective_chat.type != ChatType.PRIVATE:
        command = (update.effective_message.text or "").split()[0]
        if "@" in command and not command.lower().endswith(f"@{context.bot.username}".lower()):
            return  # addressed to another bot
    name = escape((update.effective_message.text or "").split()[0][:40])
    await update.effective_message.reply_html(f"I don't know the command {name}. Try /help.")


async def member_update(update: Update, context: CustomContext) -> None:
    """The user blocked the bot: stop scheduled messages to them."""
    change = update.my_chat_member
    if change and change.new_chat_member.status in ("kicked", "left"):
        await asyncio.to_thread(
            context.services.store.subscriptions.unsubscribe, change.from_user.id
        )


async def error_handler(update: object, context: CustomContext) -> None:
    """Log the failure (token redacted) and tell the user something went wrong."""
    error = context.error
    token = context.bot.token
    note_reply(f"error:{type(error).__name__}")
    if isinstance(error, Forbidden):
        log.info("user unreachable: %s", redact(str(error), token))
        return
    if isinstance(error, TimedOut):
        # Telegram may well have delivered the reply: an apology could follow a good answer.
        log.warning("Bot API call timed out; not repeated, no apology sent")
        return
    log.error(
        "update failed: %s: %s",
        type(error).__name__,
        redact(str(error), token),
        exc_info=not isinstance(error, TelegramError),
    )
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(
                update.effective_chat.id,
                "Sorry, something went wrong on my side. Please try again.",
            )
        except TelegramError:
            pass
