"""PTB persistence in the user-state database, shared by every replica.

PTB loads persisted data once at start and writes it back now and then: right for one
process, wrong for two, where a user's next message may reach the other replica. So this
persistence is read and written around every update instead (`around`, called by the update
processor inside the per-user lock): before, the user's open conversations and user/chat dicts
are loaded from the `chat_state` table; after, what changed is written back. On PostgreSQL the
user is locked in the database meanwhile, so replicas take one user's updates one at a time.
Values must be JSON (they are: ids, kinds, times). Never put résumé text here.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

from telegram import Update
from telegram.ext import Application, BasePersistence, PersistenceInput
from telegram.ext._utils.trackingdict import TrackingDict

from bot.core.store import ChatStateStore
from bot.core.store.chat_state import CHAT, CONVERSATION, USER

log = logging.getLogger(__name__)
# PTB's own periodic write: what jobs changed (a flow's timeout) reaches the database within
# this; what updates change is written through at once.
FLUSH_SECONDS = 1
# Users locked in the database at once (a pooled connection each): below the engine's pool
# (40), so the stores' own transactions always find a connection.
MAX_LOCKED_USERS = 16


def _fingerprint(data: object) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def _user_of(key: object) -> int | None:
    """Whose a conversation key is: PTB's keys are (chat_id, user_id) or (chat_id,)."""
    if isinstance(key, tuple) and key and isinstance(key[-1], int):
        return key[1] if len(key) >= 2 else key[0]
    return None


class DatabasePersistence(BasePersistence[dict, dict, dict]):
    """Conversations, user_data and chat_data in `chat_state` (no bot_data: it holds the
    services; no callback_data: buttons carry plain strings)."""

    def __init__(self, chat_state: ChatStateStore) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=True, user_data=True, callback_data=False
            ),
            update_interval=FLUSH_SECONDS,
        )
        self._state = chat_state
        self._lock_slots = asyncio.Semaphore(MAX_LOCKED_USERS)
        # What the database holds, as far as this replica knows: unchanged data is not written.
        self._known: dict[tuple[str, object], str] = {}

    # -- loading (at start: conversations only; the dicts are loaded per update) -------------
    async def get_conversations(self, name: str) -> dict:
        return await asyncio.to_thread(self._state.load_kind, CONVERSATION, name)

    async def get_user_data(self) -> dict[int, dict]:
        return {}

    async def get_chat_data(self) -> dict[int, dict]:
        return {}

    async def get_bot_data(self) -> dict:
        return {}

    async def get_callback_data(self) -> None:
        return None

    # -- writing ------------------------------------------------------------------------------
    async def update_conversation(self, name: str, key: tuple, new_state: object | None) -> None:
        if new_state is None:
            await asyncio.to_thread(self._state.delete, CONVERSATION, name, key)
        else:
            await asyncio.to_thread(
                self._state.save, CONVERSATION, name, key, _user_of(key), new_state
            )

    async def update_user_data(self, user_id: int, data: dict) -> None:
        await self._write(USER, user_id, user_id, data)

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        # A private chat's id is its user's id: that is who forgetting deletes it for.
        await self._write(CHAT, chat_id, chat_id if chat_id > 0 else None, data)

    async def _write(self, kind: str, key: int, user_id: int | None, data: dict) -> None:
        fingerprint = _fingerprint(data)
        if self._known.get((kind, key), _fingerprint({})) == fingerprint:
            return
        if data:
            await asyncio.to_thread(self._state.save, kind, "", key, user_id, data)
        else:
            await asyncio.to_thread(self._state.delete, kind, "", key)
        self._known[(kind, key)] = fingerprint

    async def drop_user_data(self, user_id: int) -> None:
        await self._write(USER, user_id, user_id, {})

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._write(CHAT, chat_id, None, {})

    async def update_bot_data(self, data: dict) -> None:
        """Not stored (see the class doc)."""

    async def update_callback_data(self, data: object) -> None:
        """Not stored (see the class doc)."""

    # -- refreshing: done by ReplicaSync.load before the handlers run -------------------------
    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        """Already fresh: loaded before this update's handlers were chosen."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        """Already fresh: loaded before this update's handlers were chosen."""

    async def refresh_bot_data(self, bot_data: dict) -> None:
        """Not stored."""

    async def flush(self) -> None:
        """Nothing buffered: every update is written through."""

    # -- per update ---------------------------------------------------------------------------
    async def load(self, application: Application, update: object) -> None:
        """Replace this replica's copy of the user's state with the database's."""
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            return
        rows = await asyncio.to_thread(self._state.load_user, user.id)
        dicts: dict[tuple[str, object], dict] = {}
        conversations: dict[str, dict] = {}
        for kind, name, key, data in rows:
            if kind == CONVERSATION:
                conversations.setdefault(name, {})[key] = data
            else:
                dicts[(kind, key)] = data
        chat = update.effective_chat
        targets = [(USER, user.id, application.user_data)]
        if chat is not None:
            targets.append((CHAT, chat.id, application.chat_data))
        for kind, key, live in targets:
            fresh = dicts.get((kind, key), {})
            mine = live[key]  # PTB's defaultdict behind the read-only view: the live dict
            mine.clear()
            mine.update(fresh)
            self._known[(kind, key)] = _fingerprint(fresh)
        # PTB keeps each persistent ConversationHandler's states in a TrackingDict by name.
        handlers: dict[str, TrackingDict] = application._conversation_handler_conversations
        for name, states in handlers.items():
            loaded = conversations.get(name, {})
            for key in [k for k in states if _user_of(k) == user.id and k not in loaded]:
                states.data.pop(key, None)  # ended on another replica (or forgotten)
            states.update_no_track(loaded)

    async def save(self, application: Application) -> None:
        """Write what this update changed (PTB's own update, called now rather than later)."""
        await application.update_persistence()

    @asynccontextmanager
    async def around(self, application: Application, update: object) -> AsyncIterator[None]:
        """Load before the handlers, save after, holding the user's lock in the database: the
        reply goes out before the state is saved, and the user's next message, maybe on the
        other replica, must wait for that save."""
        user = update.effective_user if isinstance(update, Update) else None
        async with self._lock_slots:
            lock = await asyncio.to_thread(self._state.hold_user, user.id) if user else None
            try:
                # First this replica's own unsaved changes (a timeout just ended a flow), so
                # the load cannot bring back what they ended.
                await _logged(self.save(application))
                await _logged(self.load(application, update))
                yield
                await _logged(self.save(application))
            finally:
                if lock is not None:
                    await asyncio.to_thread(lock.release)


async def _logged(step: Awaitable[None]) -> None:
    try:
        await step
    except Exception:  # noqa: BLE001 - the update is still served, from this replica's copy
        log.exception("conversation state not synchronised with the database")
