"""The `context` every handler gets: PTB's CallbackContext plus the bot's typed services."""

from __future__ import annotations

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.core.services import Services

SERVICES = "services"  # bot_data key; never persisted (store_data has bot_data=False)


class CustomContext(CallbackContext[ExtBot, dict, dict, dict]):
    """`context.services` instead of `context.application.bot_data["services"]` (PTB's
    contexttypesbot.py pattern)."""

    @property
    def services(self) -> Services:
        """Answers, store, quiz, interview: opened once per process by `build_application`."""
        return self.bot_data[SERVICES]


CONTEXT_TYPES = ContextTypes(context=CustomContext)


def attach_services(application: Application, services: Services) -> None:
    application.bot_data[SERVICES] = services
