"""Quiz polls and /stats: translation to and from bot.core."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from html import escape

from telegram import Update
from telegram.constants import PollType
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    PollAnswerHandler,
)

from bot.core.quiz.service import QuizError
from bot.core.quiz.stats import render_stats_chart, render_stats_text, user_stats
from bot.core.quiz.texts import render_summary_text
from bot.knowledge.banks import TOPICS
from bot.telegram.context import CustomContext
from bot.telegram.handlers import send_html
from bot.telegram.render import keyboard

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


def topic_picker() -> list[list[tuple[str, str]]]:
    rows = [[(title.split(" (")[0], f"quiz:{slug}")] for slug, title in TOPICS.items()]
    return rows + [[("🎲 A mix of everything", "quiz:all")]]


async def send_current_poll(context: CustomContext, session) -> None:
    """Send the session's current question as a native, non-anonymous quiz poll."""
    quiz = context.services.quiz
    question = quiz.current_question(session)
    number = session.position + 1
    message = await context.bot.send_poll(
        session.chat_id,
        f"[{number}/{len(session.question_ids)}] {question.question}"[:300],
        list(question.options),
        type=PollType.QUIZ,
        is_anonymous=False,
        correct_option_ids=[question.correct],
        explanation=question.explanation[:200],
    )
    await asyncio.to_thread(quiz.attach_poll, session.session_id, message.poll.id)


async def start_quiz(
    context: CustomContext,
    user_id: int,
    chat_id: int,
    topic: str | None,
    is_daily: bool = False,
) -> None:
    """Open a 5-question session and send its first poll (or explain what went wrong)."""
    quiz = context.services.quiz
    if quiz is None:
        await send_html(context, chat_id, "The quiz is unavailable right now, sorry.")
        return
    try:
        session = await asyncio.to_thread(quiz.start_session, user_id, chat_id, topic, is_daily)
    except QuizError as exc:
        await send_html(context, chat_id, escape(str(exc)), reply_markup=keyboard(topic_picker()))
        return
    await send_current_poll(context, session)


async def quiz_command(update: Update, context: CustomContext) -> None:
    """/quiz [topic]: five questions; without a topic, a topic picker."""
    if not context.args:
        await update.effective_message.reply_html(
            "<b>Pick a topic</b> for 5 interview-style questions:",
            reply_markup=keyboard(topic_picker()),
        )
        return
    await start_quiz(
        context, update.effective_user.id, update.effective_chat.id, " ".join(context.args)
    )


async def quiz_button(update: Update, context: CustomContext) -> None:
    """Topic picker, 'another round' and the /start menu's quiz button."""
    query = update.callback_query
    await query.answer()
    if query.data == "menu:quiz":
        await send_html(
            context,
            update.effective_chat.id,
            "<b>Pick a topic</b>:",
            reply_markup=keyboard(topic_picker()),
        )
        return
    topic = query.data.split(":", 1)[1]
    await start_quiz(context, update.effective_user.id, update.effective_chat.id, topic)


async def poll_answer(update: Update, context: CustomContext) -> None:
    """An answer to one of our quiz polls: record it, then the next poll or the score."""
    answer = update.poll_answer
    quiz = context.services.quiz
    if quiz is None or not answer.option_ids:
        return
    user_id = answer.user.id if answer.user else None
    try:
        outcome = await asyncio.to_thread(
            quiz.record_answer, answer.poll_id, answer.option_ids[0], None, user_id
        )
    except QuizError:
        return
    if outcome is None:  # a duplicate or a poll that is no longer current
        return
    if not outcome.finished:
        await send_current_poll(context, outcome.session)
        return
    summary = outcome.summary
    text = escape(render_summary_text(summary))
    if summary.milestone:
        text += f"\n\n🎉 <b>{summary.streak}-day streak!</b> Keep it going."
    again = "quiz:all"
    await send_html(
        context,
        outcome.session.chat_id,
        text,
        reply_markup=keyboard([[("🔁 Another round", again)]]),
    )


async def stats_command(update: Update, context: CustomContext) -> None:
    """/stats: accuracy per topic, streak, questions due, and a 30-day chart."""
    store = context.services.store
    stats = await asyncio.to_thread(user_stats, store, update.effective_user.id, _now())
    text = escape(render_stats_text(stats))
    if stats.total_answered == 0:
        await update.effective_message.reply_html(text + "\n\nTry /quiz to get started!")
        return
    png = await asyncio.to_thread(render_stats_chart, stats)
    await context.bot.send_photo(update.effective_chat.id, png, caption=text[:1024])


def register(application: Application) -> None:
    """Add this feature's handlers to the application."""
    application.add_handler(CallbackQueryHandler(quiz_button, pattern=r"^(quiz:|menu:quiz$)"))
    application.add_handler(PollAnswerHandler(poll_answer))
