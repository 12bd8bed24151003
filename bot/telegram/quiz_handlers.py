"""Quiz polls, the daily quiz, mock interviews and /stats: translation to and from bot.core."""

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
    ConversationHandler,
    PollAnswerHandler,
)

from bot.core.interview.service import InterviewError
from bot.core.quiz.service import QuizError, render_summary_text
from bot.core.quiz.stats import render_stats_chart, render_stats_text, user_stats
from bot.core.schedule import ScheduleError, format_local_time, parse_local_time
from bot.knowledge.banks import TOPICS
from bot.telegram.context import CustomContext
from bot.telegram.handlers import send_html
from bot.telegram.render import keyboard

log = logging.getLogger(__name__)
INTERVIEW = "interview_question"  # user_data: the id of the question awaiting an answer
ANSWER = "answer"  # conversation state: the next text is the answer
COMMON_TIMES = ("07:30", "08:30", "12:30", "18:00", "21:00")


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


async def interview_command(update: Update, context: CustomContext) -> str:
    """/interview [technical|behavioural]: one open question; the next message is the answer."""
    interview = context.services.interview
    if interview is None:
        await update.effective_message.reply_html(
            "Mock interviews are unavailable right now, sorry."
        )
        return ConversationHandler.END
    kind = " ".join(context.args) or None
    try:
        question = await asyncio.to_thread(
            interview.next_question, update.effective_user.id, _kind(kind)
        )
    except InterviewError as exc:
        await update.effective_message.reply_html(escape(str(exc)))
        return ConversationHandler.END
    context.user_data[INTERVIEW] = question.id
    await update.effective_message.reply_html(
        f"🎤 <b>Interview question</b> ({escape(question.kind)})\n\n{escape(question.question)}\n\n"
        "<i>Answer in your next message, as you would out loud. /interview skips to another.</i>"
    )
    return ANSWER


def _kind(text: str | None) -> str | None:
    from bot.core.interview.service import resolve_kind

    return resolve_kind(text) if text else None


async def interview_answer(update: Update, context: CustomContext) -> None:
    """Grade the answer to the open interview question by meaning, like an interviewer."""
    question_id = context.user_data.pop(INTERVIEW, None)
    interview = context.services.interview
    if question_id is None or interview is None:
        return
    try:
        feedback = await asyncio.to_thread(
            interview.grade,
            update.effective_user.id,
            question_id,
            update.effective_message.text or "",
        )
    except InterviewError as exc:
        await update.effective_message.reply_html(escape(str(exc)))
        return
    total = len(feedback.covered) + len(feedback.missed)
    lines = [
        f"<b>Score: {feedback.score}/100</b> ({len(feedback.covered)} of {total} key points)",
        escape(feedback.message),
    ]
    if feedback.covered:
        lines += ["", "✅ <b>You covered</b>"] + [f"• {escape(p)}" for p in feedback.covered]
    if feedback.missed:
        lines += ["", "➕ <b>Worth adding</b>"] + [f"• {escape(p)}" for p in feedback.missed]
    lines += [
        "",
        "<b>Model answer</b>",
        f"<blockquote>{escape(feedback.model_answer)}</blockquote>",
    ]
    await update.effective_message.reply_html(
        "\n".join(lines), reply_markup=keyboard([[("🎤 Next question", "iv:next")]])
    )


async def interview_button(update: Update, context: CustomContext) -> str:
    """'Next question' under interview feedback."""
    await update.callback_query.answer()
    context.args = []
    return await interview_command(update, context)


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
    """Add this feature's handlers to the application (the daily-quiz clock: daily_delivery)."""
    application.add_handler(CallbackQueryHandler(quiz_button, pattern=r"^(quiz:|menu:quiz$)"))
    application.add_handler(CallbackQueryHandler(daily_button, pattern=r"^(daily:|menu:daily$)"))
    application.add_handler(PollAnswerHandler(poll_answer))
