"""/resume, résumé documents and /match: a thin Telegram layer over bot.core.resume.

/resume asks two questions with buttons and answers with the recommended order and cited
tips. Any document in a private chat is reviewed as a résumé; after "Paste my résumé" or
/match the user's next text message is the résumé or the job description (a conversation
state: bot/telegram/flows.py). Résumé text is never logged.
"""

from __future__ import annotations

import asyncio
import logging
from html import escape

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.core.resume import (
    GUIDED_STEPS,
    PASTED_TEXT,
    ResumeInputError,
    advise,
    match_job_description,
    parse_more_projects,
)
from bot.core.resume import session as coach
from bot.core.resume.extract import MAX_FILE_BYTES, too_large_error
from bot.telegram.context import CustomContext
from bot.telegram.handlers import question, send_html
from bot.telegram.render import keyboard, split_message

log = logging.getLogger(__name__)

RESUME_TEXT, JOB_DESCRIPTION = "resume_text", "job_description"  # conversation states
PASTE_BUTTON = ("📋 Paste my résumé as text", "rs:paste")
INTRO = "📄 <b>Résumé coach</b>: two quick questions, then the section order and tips for you."
PASTE_PROMPT = (
    "Paste your résumé as one message (the whole text, with its section "
    "headings). If it is longer than one message, send the file instead."
)
NO_RESUME = (
    "I don't have a résumé from you yet. Send it as a file (PDF, DOCX or TXT), or "
    "use /resume → “Paste my résumé as text”, then /match again."
)
DOWNLOAD_FAILED = "I couldn't download this file from Telegram. Please send it again."
JD_DETAILS = "resume_jd_details"  # user_data: the last match's per-requirement blocks (HTML)
DETAILS_BUTTON = ("📋 Each requirement, with the line that shows it", "rs:jd")


def block_html(block: coach.Block) -> str:
    parts = [f"<b>{escape(block.title)}</b>"] if block.title else []
    parts.extend(escape(line) for line in block.lines)
    if block.source:
        parts.append(f"<i>📖 {escape(block.source)}</i>")
    return "\n".join(parts)


async def send_blocks(
    context: CustomContext, chat_id: int, blocks: list[str], reply_markup=None
) -> None:
    """HTML blocks as messages under Telegram's limit; the keyboard goes on the last one."""
    messages = split_message(blocks)
    for index, html in enumerate(messages):
        last = index == len(messages) - 1
        await send_html(context, chat_id, html, reply_markup=reply_markup if last else None)


def _private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


async def resume_command(update: Update, context: CustomContext) -> None:
    """/resume and the /start menu button: the first guided question (and the paste button)."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    step = GUIDED_STEPS[0]
    rows = [[(choice.label, f"rs:bg:{choice.value}")] for choice in step.choices]
    if _private(update):
        rows.append([PASTE_BUTTON])
    await send_html(
        context,
        update.effective_chat.id,
        f"{INTRO}\n\n<b>{escape(step.question)}</b>",
        reply_markup=keyboard(rows),
    )


async def background_chosen(update: Update, context: CustomContext) -> None:
    """First answer: ask the second question on the same message."""
    query = update.callback_query
    background = query.data.split(":", 2)[2]
    label = coach.choice_label("background", background)
    if label is None:
        await query.answer("This button is out of date: send /resume again.", show_alert=True)
        return
    await query.answer()
    step = GUIDED_STEPS[1]
    rows = [[(c.label, f"rs:mp:{background}:{c.value}") for c in step.choices]]
    await query.edit_message_text(
        f"✅ {escape(label)}\n\n<b>{escape(step.question)}</b>", reply_markup=keyboard(rows)
    )


async def more_chosen(update: Update, context: CustomContext) -> None:
    """Second answer: the recommended order and the tips that apply, each with its source."""
    query = update.callback_query
    parts = query.data.split(":")
    background, more = (parts[2], parts[3]) if len(parts) == 4 else ("", "")
    try:
        advice = advise(background, parse_more_projects(more))
    except ValueError:
        await query.answer("This button is out of date: send /resume again.", show_alert=True)
        return
    await query.answer()
    answers = " · ".join(
        [coach.choice_label("background", background), coach.choice_label("more_projects", more)]
    )
    await query.edit_message_text(f"✅ {escape(answers)}")
    markup = keyboard([[PASTE_BUTTON]]) if _private(update) else None
    await send_blocks(
        context,
        update.effective_chat.id,
        [block_html(b) for b in coach.guided_blocks(advice)],
        markup,
    )


async def paste_pressed(update: Update, context: CustomContext) -> str:
    """The paste button: the user's next text message is their résumé."""
    await update.callback_query.answer()
    await send_html(context, update.effective_chat.id, escape(PASTE_PROMPT))
    return RESUME_TEXT


async def match_command(update: Update, context: CustomContext) -> str | None:
    """/match: compare the stored résumé with a job description (given now or next)."""
    stored = await asyncio.to_thread(
        context.services.store.resumes.get_resume, update.effective_user.id
    )
    if stored is None:
        await update.effective_message.reply_html(escape(NO_RESUME))
        return None
    inline = (update.effective_message.text or "").partition(" ")[2].strip()
    if inline:
        await _reply_match(update, context, stored.text, inline)
        return None
    if not _private(update):
        await update.effective_message.reply_html("Send /match in a private chat with me.")
        return None
    await update.effective_message.reply_html(escape(coach.JD_PROMPT))
    return JOB_DESCRIPTION


async def pasted_resume(update: Update, context: CustomContext) -> None:
    """The text after "Paste my résumé": reviewed, unless it is plainly a question."""
    text = update.effective_message.text or ""
    if coach.looks_like_question(text):
        await question(update, context)  # they moved on: answer it instead
        return
    await _review(update, context, text.encode("utf-8"), PASTED_TEXT, "text/plain")


async def pasted_job_description(update: Update, context: CustomContext) -> None:
    """The text after /match: matched against the stored résumé, unless it is a question."""
    text = update.effective_message.text or ""
    if coach.looks_like_question(text):
        await question(update, context)
        return
    stored = await asyncio.to_thread(
        context.services.store.resumes.get_resume, update.effective_user.id
    )
    if stored is None:  # deleted meanwhile (/forget from another device)
        await update.effective_message.reply_html(escape(NO_RESUME))
        return
    await _reply_match(update, context, stored.text, text)


async def document_received(update: Update, context: CustomContext) -> None:
    """Any document in a private chat is a résumé to review (size checked before download)."""
    document = update.effective_message.document
    if document.file_size and document.file_size > MAX_FILE_BYTES:
        refusal = too_large_error(document.file_size).message
        await update.effective_message.reply_html(f"⚠️ {escape(refusal)}")
        return
    try:
        data = bytes(await (await context.bot.get_file(document.file_id)).download_as_bytearray())
    except TelegramError as error:
        log.warning("resume download failed: %s", type(error).__name__)
        await update.effective_message.reply_html(escape(DOWNLOAD_FAILED))
        return
    await _review(update, context, data, document.file_name or "", document.mime_type)


async def photo_received(update: Update, context: CustomContext) -> None:
    """A résumé sent as a photo: ask for a real document."""
    await update.effective_message.reply_html(f"📷 {escape(coach.PHOTO_REPLY)}")


async def _review(
    update: Update,
    context: CustomContext,
    data: bytes,
    filename: str,
    mime_type: str | None,
) -> None:
    """Extract, review and save off the event loop; reply with the review or the problem."""
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError:
        pass  # only a courtesy
    try:
        text, review = await asyncio.to_thread(coach.read_and_review, data, filename, mime_type)
    except ResumeInputError as error:
        log.info("resume refused: %s", error.code)  # the update line says whose, hashed
        await send_html(context, chat_id, f"⚠️ {escape(error.message)}")
        return
    if review.error is not None:  # not a résumé, or too short: say why, save nothing
        log.info("resume not reviewed: %s", "not a résumé")
        await send_html(context, chat_id, f"⚠️ {escape(review.error)}")
        return
    name = filename if filename != PASTED_TEXT else "your pasted text"
    header = f"📄 <b>Résumé review</b> of {escape(name[:200])}"
    blocks = [header] + [block_html(b) for b in coach.review_blocks(review)]
    await asyncio.to_thread(
        context.services.store.resumes.save_resume, user_id, filename[:256], text
    )
    blocks.append("💾 Saved as your latest résumé. /match compares it with a job description.")
    log.info("resume reviewed: %d sections", len(review.sections))
    await send_blocks(context, chat_id, blocks)


async def _reply_match(
    update: Update, context: CustomContext, resume_text: str, jd_text: str
) -> None:
    """The score and what is missing first; each requirement with its evidence on a button."""
    match = await asyncio.to_thread(match_job_description, resume_text, jd_text)
    summary = [block_html(b) for b in coach.match_blocks(match, details=False)]
    details = [block_html(b) for b in coach.match_detail_blocks(match)] if match.results else []
    markup = None
    if details:
        context.user_data[JD_DETAILS] = details  # the latest match wins
        markup = keyboard([[DETAILS_BUTTON]])
    await send_blocks(context, update.effective_chat.id, summary, markup)


async def details_pressed(update: Update, context: CustomContext) -> None:
    """The details button: each requirement, met with the résumé line, or missing."""
    query = update.callback_query
    details = (context.user_data or {}).get(JD_DETAILS)
    if not details:
        await query.answer("This button is out of date: send /match again.", show_alert=True)
        return
    await query.answer()
    await send_blocks(context, update.effective_chat.id, details)


def register(application: Application) -> None:
    """Add this feature's handlers to the application."""
    private = filters.ChatType.PRIVATE
    application.add_handler(CallbackQueryHandler(resume_command, pattern=r"^menu:resume$"))
    application.add_handler(CallbackQueryHandler(background_chosen, pattern=r"^rs:bg:"))
    application.add_handler(CallbackQueryHandler(more_chosen, pattern=r"^rs:mp:"))
    application.add_handler(CallbackQueryHandler(details_pressed, pattern=r"^rs:jd$"))
    application.add_handler(MessageHandler(private & filters.Document.ALL, document_received))
    application.add_handler(MessageHandler(private & filters.PHOTO, photo_received))
