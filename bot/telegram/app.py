"""All wiring in one place: `build_application(settings)` and `run_bot(settings)`."""

from __future__ import annotations

import logging
from functools import partial

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings
from bot.core.services import Services
from bot.telegram import (
    commands,
    daily_delivery,
    daily_handlers,
    flows,
    handlers,
    quiz_handlers,
    resume_handlers,
)
from bot.telegram.context import CONTEXT_TYPES, SERVICES, attach_services
from bot.telegram.health import (
    DEFAULT_HEALTH_PORT,
    reload_index,
    start_health_server,
    stop_health_server,
)
from bot.telegram.http import AiohttpRequest
from bot.telegram.persistence import DatabasePersistence
from bot.telegram.safety import PerUserOrderedProcessor, install_token_redaction
from bot.telegram.update_log import log_key

log = logging.getLogger(__name__)
HTTP_POOL_SIZE = 8  # connections to the Bot API for sending (getUpdates has its own)
HEALTH_PORT = "health_port"  # bot_data key: where post_init serves /healthz (None: nowhere)


async def post_init(application: Application) -> None:
    """Register the command menu once the bot is connected; serve /healthz if asked to."""
    await application.bot.set_my_commands(commands.menu())
    if application.bot_data.get(HEALTH_PORT):
        settings = application.bot_data[SERVICES].settings
        await start_health_server(
            application, settings.webhook_listen, application.bot_data[HEALTH_PORT]
        )


async def post_shutdown(application: Application) -> None:
    await stop_health_server(application)
    services: Services | None = application.bot_data.get(SERVICES)
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
    processor = PerUserOrderedProcessor(
        log_key=log_key(settings.log_salt.get_secret_value() if settings.log_salt else None, token),
        commands=frozenset(command.name for command in commands.COMMANDS),
    )
    application = (
        ApplicationBuilder()
        .token(token)
        .context_types(CONTEXT_TYPES)
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
        .request(
            AiohttpRequest(
                connection_pool_size=HTTP_POOL_SIZE,
                read_timeout=settings.telegram_timeout,
                write_timeout=settings.telegram_timeout,
                connect_timeout=settings.telegram_timeout,
            )
        )
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .concurrent_updates(processor)
        .persistence(persistence)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    attach_services(application, services)
    processor.around = partial(persistence.around, application)

    application.add_handler(TypeHandler(Update, handlers.flood_guard), group=-100)
    conversations = flows.conversations(settings.conversation_timeout)
    for group, conversation in enumerate(conversations, start=-len(conversations)):
        application.add_handler(conversation, group=group)  # one group each: see flows.py
    commands.register(application, started_by_flows=flows.entry_commands(conversations))
    for register in FEATURES:
        register(application)
    application.add_handler(CallbackQueryHandler(handlers.menu_examples, pattern=r"^menu:ask$"))
    application.add_handler(CallbackQueryHandler(handlers.show_source, pattern=r"^src:"))
    application.add_handler(CallbackQueryHandler(handlers.show_step, pattern=r"^step:\d+$"))
    application.add_handler(CallbackQueryHandler(handlers.feedback, pattern=r"^fb:\d+:-?1$"))
    application.add_handler(CallbackQueryHandler(handlers.forget_expired, pattern=r"^forget:"))
    # A flow's button was answered by its flow (a group before this one): answering twice fails.
    application.add_handler(
        CallbackQueryHandler(handlers.noop, pattern=f"^(?!{flows.OPENS_A_FLOW.strip('^$')}$)")
    )
    application.add_handler(
        ChatMemberHandler(handlers.member_update, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.question))
    # Commands in the list are handled above or by their flow's group.
    unknown = filters.COMMAND & ~commands.known_commands_filter()
    application.add_handler(MessageHandler(unknown, handlers.unknown_command))
    application.add_error_handler(handlers.error_handler)
    if settings.index_check_seconds > 0:
        application.job_queue.run_repeating(
            reload_index, interval=settings.index_check_seconds, name="index-reload"
        )
    return application


# Feature modules add their handlers before the catch-all text and command handlers.
FEATURES = [
    quiz_handlers.register,
    daily_handlers.register,
    resume_handlers.register,
    daily_delivery.schedule,
]


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
    application.bot_data[HEALTH_PORT] = settings.health_port or (
        DEFAULT_HEALTH_PORT if webhook else None
    )
    if webhook:
        application.run_webhook(**webhook_options(settings))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
