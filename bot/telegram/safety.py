"""Secrets out of logs, and per-user ordering of concurrent updates."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.telegram.update_log import logged_update

REDACTED = "<redacted-token>"


def install_token_redaction(token: str) -> None:
    """Every log record, from any library, has the bot token replaced before it is formatted."""
    if not token:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        message = record.getMessage()
        if token in message:
            record.msg, record.args = message.replace(token, REDACTED), None
        if record.exc_info and record.exc_info[0] is not None:
            # Exception texts quote the token too (PTB's InvalidToken does): format them now,
            # redacted; formatters use this text instead of formatting the exception again.
            text = logging.Formatter().formatException(record.exc_info)
            if token in text:
                record.exc_text = text.replace(token, REDACTED)
        return record

    logging.setLogRecordFactory(factory)
    # httpx logs every request URL, and Bot API URLs carry the token: keep it quiet anyway.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def redact(text: str, token: str) -> str:
    return text.replace(token, REDACTED) if token else text


class PerUserOrderedProcessor(BaseUpdateProcessor):
    """Different users' updates run concurrently; one user's updates run one at a time, in order."""

    def __init__(
        self,
        max_concurrent_updates: int = 512,
        log_key: bytes = b"",
        commands: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        # The per-update log line: the key of its user-id hash, the command names it may name.
        self._log_key, self._commands = log_key, commands
        # Set by build_application: loads the user's state before an update, saves it after.
        self.around: Callable[[object], AbstractAsyncContextManager[None]] | None = None

    @staticmethod
    def _key(update: object) -> int:
        if isinstance(update, Update):
            if update.effective_user is not None:
                return update.effective_user.id
            if update.effective_chat is not None:
                return update.effective_chat.id
        return 0

    async def do_process_update(self, update: object, coroutine: Awaitable) -> None:
        key = self._key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            # The latency logged includes the wait behind the user's earlier updates.
            with logged_update(update, self._log_key, self._commands):
                async with lock:  # asyncio.Lock is FIFO: arrival order is kept
                    if self.around is None:
                        await coroutine
                    else:
                        async with self.around(update):
                            await coroutine
        finally:
            if (
                not lock.locked()
                and self._locks.get(key) is lock
                and not getattr(lock, "_waiters", None)
            ):
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
