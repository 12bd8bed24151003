"""All wiring in one place: `build_application(settings)` and `run_bot(settings)`."""

from __future__ import annotations

import logging
from functools import partial

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.core.services import Services
from bot.telegram import daily_delivery, handlers, quiz_handlers, resume_handlers
from bot.telegram.http import AiohttpRequest
from bot.telegram.persistence import DatabasePersistence
from bot.telegram.safety import PerUserOrderedProcessor, install_token_redaction

log = logging.getLogger(__name__)
HTTP_POOL_SIZE = 8  # connections to the Bot API for sending (getUpdates has its own)

COMMANDS = [
    ("start", "what I can do"),
    ("help", "commands"),
    ("quiz", "interview-style quiz: /quiz [topic]"),
    ("daily", "daily quiz at a time: /daily 08:30 or /daily off"),
    ("timezone", "your time zone: /timezone Europe/Berlin"),
    ("interview", "a mock interview question"),
    ("resume", "résumé tips for your background"),
    ("match", "match your résumé to a job description"),
    ("stats", "your progress"),
    ("forget", "delete everything I know about you"),
]


async def post_init(application: Application) -> None:
    """Register the command menu once the bot is connected."""
    await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])


async def post_shutdown(application: Application) -> None:
    services: Services | None = application.bot_data.get("services")
    if services is not None:
        services.close()


def rate_limiter(settings: Settings) -> AIORateLimiter:
    """Telegram's ~30 msg/s by default; 0 lifts our own cap but still honours 429 retry_after."""
    rate = settings.rate_limit
    if rate <= 0:
        return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
    return AIORateLimiter(overall_max_rate=rate, overall_time_period=1, max_retries=3)


def build_application(settings: Settings, services: Services | None = None) -> Application:
    """The whole bot: endpoint, limiter, defaults, handlers, error handler, command menu."""
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    install_token_redaction(token)
    services = services or Services.open(settings)
    # Open conversations live in the database, so any replica can take a user's next message.
    persistence = DatabasePersistence(services.store.chat_state)
    processor = PerUserOrderedProcessor()
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        .rate_limiter(rate_limiter(settings))
        # aiohttp, not PTB's httpx: a fraction of the CPU per Bot API call (docs/performance.md).
        # Waiting for a pooled connection is fine, failing is not: hence the long pool timeout.
        .request(AiohttpRequest(connection_pool_size=HTTP_POOL_SIZE))
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .concurrent_updates(processor)
        .persistence(persistence)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data["services"] = services
    processor.before = partial(persistence.load, application)
    processor.after = lambda _update: persistence.save(application)

    application.add_handler(TypeHandler(Update, handlers.flood_guard), group=-100)
    application.add_handler(CommandHandler("start", handlers.start))
    application.add_handler(CommandHandler("help", handlers.help_command))
    application.add_handler(CommandHandler("forget", handlers.forget))
    application.add_handler(CommandHandler("admin", handlers.admin))
    for register in FEATURES:
        register(application)
    application.add_handler(CallbackQueryHandler(handlers.menu_examples, pattern=r"^menu:ask$"))
    application.add_handler(CallbackQueryHandler(handlers.show_source, pattern=r"^src:"))
    application.add_handler(CallbackQueryHandler(handlers.feedback, pattern=r"^fb:\d+:-?1$"))
    application.add_handler(CallbackQueryHandler(handlers.forget_confirm, pattern=r"^forget:"))
    application.add_handler(CallbackQueryHandler(handlers.noop))
    application.add_handler(
        ChatMemberHandler(handlers.member_update, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.question))
    application.add_handler(MessageHandler(filters.COMMAND, handlers.unknown_command))
    application.add_error_handler(handlers.error_handler)
    return application


# Feature modules add their handlers before the catch-all text and command handlers.
FEATURES = [quiz_handlers.register, resume_handlers.register, daily_delivery.schedule]


def webhook_options(settings: Settings) -> dict:
    """Where the webhook server listens and what Telegram is told (shared by run and tests)."""
    if not settings.webhook_url:
        raise ValueError("CAREERBOT_WEBHOOK_URL is required for --webhook")
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": "telegram",
        "webhook_url": settings.webhook_url.rstrip("/") + "/telegram",
        "secret_token": secret,
        "allowed_updates": Update.ALL_TYPES,
    }


def run_bot(settings: Settings, webhook: bool = False) -> int:
    """Long polling by default; a webhook server for production."""
    application = build_application(settings)
    if webhook:
        application.run_webhook(**webhook_options(settings))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
