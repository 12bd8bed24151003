"""/interview: a mock interview question; the next message is the answer (a flow: flows.py)."""

from __future__ import annotations

import asyncio
from html import escape

from telegram import Update
from telegram.ext import ConversationHandler

from bot.core.interview.service import InterviewError
from bot.telegram.context import CustomContext
from bot.telegram.render import keyboard

INTERVIEW = "interview_question"  # user_data: the id of the question awaiting an answer
ANSWER = "answer"  # conversation state: the next text is the answer


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
