"""The multi-step flows as PTB ConversationHandlers: what opens each, what it waits for, and what
ends it. Their states are persisted (the application's persistence), so a restart mid-flow keeps
the flow; `conversation_timeout` ends a forgotten one.

Each flow sits in its own handler group before the default one (0): a flow's awaited message
ends the flow and stops there (`ApplicationHandlerStop`), so the question handler never sees it.
Anything that opens another flow or runs a command ends this one without stopping, and then does
its own job: the latest prompt wins, and /forget (a command) ends every open flow.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from typing import NoReturn

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.telegram import handlers, interview_handlers, resume_handlers
from bot.telegram.commands import command
from bot.telegram.context import CustomContext
from bot.telegram.handlers import send_html

END = ConversationHandler.END
OPENS_A_FLOW = r"^(iv:next|rs:paste)$"  # buttons that start a flow: they end any other one
AWAITED_TEXT = filters.TEXT & ~filters.COMMAND
Step = Callable[[Update, CustomContext], Awaitable[object]]


def last_step(step: Step) -> Step:
    """The step that takes the awaited input: it ends the flow, and no later handler group (the
    question handler) sees the update."""

    async def run(update: Update, context: CustomContext) -> NoReturn:
        await step(update, context)
        raise ApplicationHandlerStop(END)

    run.__name__ = run.__qualname__ = step.__name__
    run.__doc__ = step.__doc__
    return run


async def end_flow(update: Update, context: CustomContext) -> int:
    """Another command, button or file: this flow ends and the update goes on to its handler."""
    return END


def expired(text: str) -> Step:
    """Tell the user the bot stopped waiting (the flow's timeout)."""

    async def tell(update: Update, context: CustomContext) -> None:
        """The flow's TIMEOUT step: one short notice in the chat the flow was in."""
        if update.effective_chat is not None:
            await send_html(context, update.effective_chat.id, text)

    return tell


def flow(
    name: str,
    entry_points: list[BaseHandler],
    states: dict[str, list[BaseHandler]],
    timeout: float,
    timed_out: str | None = None,
    also_ends_it: list[BaseHandler] | None = None,
) -> ConversationHandler:
    fallbacks = [
        MessageHandler(filters.COMMAND, end_flow),
        CallbackQueryHandler(end_flow, pattern=OPENS_A_FLOW),
        *(also_ends_it or []),
    ]
    if timed_out:
        states = {**states, ConversationHandler.TIMEOUT: [TypeHandler(Update, expired(timed_out))]}
    with warnings.catch_warnings():
        # per_message=False is meant: a flow belongs to the user in a chat, not to one message.
        warnings.filterwarnings("ignore", "If 'per_message=False'", PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points,
            states=states,
            fallbacks=fallbacks,
            allow_reentry=True,
            conversation_timeout=timeout,
            name=name,
            persistent=True,
        )


def conversations(timeout: float) -> list[ConversationHandler]:
    """The interview answer, the résumé paste, /match's job description, /forget's confirmation."""
    private = filters.ChatType.PRIVATE
    interview = command("interview")
    match = command("match")
    forget = command("forget")
    return [
        flow(
            "interview",
            [
                CommandHandler(interview.name, interview.handler),
                CallbackQueryHandler(interview_handlers.interview_button, pattern=r"^iv:next$"),
            ],
            {
                interview_handlers.ANSWER: [
                    MessageHandler(AWAITED_TEXT, last_step(interview_handlers.interview_answer))
                ]
            },
            timeout,
            "⏰ I stopped waiting for your interview answer. Send /interview for a new question.",
        ),
        flow(
            "resume_paste",
            [CallbackQueryHandler(resume_handlers.paste_pressed, pattern=r"^rs:paste$")],
            {
                resume_handlers.RESUME_TEXT: [
                    MessageHandler(private & AWAITED_TEXT, last_step(resume_handlers.pasted_resume))
                ]
            },
            timeout,
            "⏰ I stopped waiting for your résumé text. Send the file, or /resume to paste it.",
            also_ends_it=[MessageHandler(filters.Document.ALL, end_flow)],
        ),
        flow(
            "match",
            [CommandHandler(match.name, match.handler)],
            {
                resume_handlers.JOB_DESCRIPTION: [
                    MessageHandler(
                        private & AWAITED_TEXT, last_step(resume_handlers.pasted_job_description)
                    )
                ]
            },
            timeout,
            "⏰ I stopped waiting for the job description. Send /match when you have it.",
        ),
        flow(
            "forget",
            [CommandHandler(forget.name, forget.handler)],
            {
                handlers.CONFIRM: [
                    CallbackQueryHandler(last_step(handlers.forget_confirm), pattern=r"^forget:")
                ]
            },
            timeout,
        ),
    ]


def entry_commands(flows: list[ConversationHandler]) -> set[str]:
    """The commands that open a flow (their CommandHandler is the flow's entry point)."""
    return {
        name
        for conversation in flows
        for handler in conversation.entry_points
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    }
