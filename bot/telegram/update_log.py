"""One log line per update: who (a salted hash, never the id), what kind of reply, how long.

Never the message text, a résumé or the token: only the command name, a callback's prefix or
the kind of answer a handler notes with `note_reply`.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass

from telegram import Update

log = logging.getLogger("bot.telegram.updates")


@dataclass
class UpdateRecord:
    kind: str


_current: contextvars.ContextVar[UpdateRecord | None] = contextvars.ContextVar(
    "careerbot_update", default=None
)


def log_key(salt: str | None, token: str) -> bytes:
    """CAREERBOT_LOG_SALT, or one derived from the token: the same on every replica, and a
    hash nobody can reverse into a user id without the secret."""
    if salt:
        return salt.encode()
    return hashlib.sha256(b"careerbot log salt\0" + token.encode()).digest()


def hashed_user(user_id: int | None, key: bytes) -> str:
    if user_id is None:
        return "-"
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:16]


def update_kind(update: object, commands: frozenset[str] = frozenset()) -> str:
    """What arrived, without its content: `command:/quiz`, `callback:src`, `text`, `document`.

    Only the bot's own commands are named: "/anything-a-user-types" is `command:other`."""
    if not isinstance(update, Update):
        return type(update).__name__
    message = update.effective_message
    if update.callback_query is not None:
        return f"callback:{(update.callback_query.data or '').split(':', 1)[0][:20]}"
    if message is not None and message.text is not None:
        if message.text.startswith("/"):
            name = message.text.split(maxsplit=1)[0].split("@")[0][1:]
            return f"command:/{name}" if name in commands else "command:other"
        return "text"
    if message is not None and message.document is not None:
        return "document"
    if update.poll_answer is not None:
        return "poll_answer"
    if update.my_chat_member is not None:
        return "membership"
    return "other"


def note_reply(kind: str) -> None:
    """A handler says what it replied (e.g. the kind of answer); logged with the update."""
    record = _current.get()
    if record is not None:
        record.kind = kind


@contextmanager
def logged_update(update: object, key: bytes, commands: frozenset[str] = frozenset()):
    """Around one update's processing: the line is written when it is done, even on failure."""
    user = (
        update.effective_user.id if isinstance(update, Update) and update.effective_user else None
    )
    record = UpdateRecord(update_kind(update, commands))
    token = _current.set(record)
    started = time.perf_counter()
    try:
        yield record
    finally:
        _current.reset(token)
        log.info(
            "update user=%s kind=%s latency_ms=%.1f",
            hashed_user(user, key),
            record.kind,
            (time.perf_counter() - started) * 1000,
        )
