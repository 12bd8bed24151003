"""Adapter state kept between messages (open conversations, per-user and per-chat dicts), so
that a user's next message may reach any replica. Values are JSON; keys are JSON texts."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, delete, select, text, update
from sqlalchemy.orm import Session

from bot.core.store.base import NO_SYNC, Database, as_utc
from bot.core.store.models import ChatStateRow

CONVERSATION, USER, CHAT = "conversation", "user", "chat"


def encode_key(key: object) -> str:
    """A stable text for an int or a tuple of ints/strings (PTB's conversation keys)."""
    return json.dumps(list(key) if isinstance(key, tuple) else key, separators=(",", ":"))


def decode_key(text: str) -> object:
    value = json.loads(text)
    return tuple(value) if isinstance(value, list) else value


class UserLock:
    """A PostgreSQL session-level advisory lock on one user, held on its own connection."""

    def __init__(self, connection: Connection, user_id: int) -> None:
        self._connection, self._user_id = connection, user_id

    def release(self) -> None:
        try:
            self._connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": self._user_id})
            self._connection.commit()
            self._connection.close()
        except Exception:
            # Never back to the pool still locked: closing the connection frees the lock.
            self._connection.invalidate()
            raise


class ChatStateStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def hold_user(self, user_id: int) -> UserLock | None:
        """Wait for, then hold, the user's lock (PostgreSQL; None elsewhere: SQLite serves one
        process, whose update processor already takes a user's updates one at a time)."""
        if self._db.engine.dialect.name != "postgresql":
            return None
        connection = self._db.engine.connect()
        try:
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": user_id})
            connection.commit()  # the lock outlives the transaction; no idle transaction
        except Exception:
            connection.invalidate()
            raise
        return UserLock(connection, user_id)

    def load_kind(self, kind: str, name: str = "") -> dict[object, object]:
        """Every entry of one kind (and conversation name): {key: data}."""
        query = select(ChatStateRow.key, ChatStateRow.data).where(
            ChatStateRow.kind == kind, ChatStateRow.name == name
        )
        with self._db.transaction() as session:
            return {decode_key(key): data for key, data in session.execute(query)}

    def load_user(self, user_id: int) -> list[tuple[str, str, object, object]]:
        """Everything kept about one user: (kind, name, key, data) rows."""
        query = select(
            ChatStateRow.kind, ChatStateRow.name, ChatStateRow.key, ChatStateRow.data
        ).where(ChatStateRow.user_id == user_id)
        with self._db.transaction() as session:
            return [
                (kind, name, decode_key(key), data)
                for kind, name, key, data in session.execute(query)
            ]

    def save(
        self,
        kind: str,
        name: str,
        key: object,
        user_id: int | None,
        data: object,
        now: datetime | None = None,
    ) -> None:
        """Insert or replace one entry."""
        now, text = as_utc(now), encode_key(key)
        where = (ChatStateRow.kind == kind, ChatStateRow.name == name, ChatStateRow.key == text)

        def write(session: Session) -> None:
            result = session.execute(
                update(ChatStateRow)
                .where(*where)
                .values(data=data, user_id=user_id, updated_at=now),
                execution_options=NO_SYNC,
            )
            if not result.rowcount:
                session.add(
                    ChatStateRow(
                        kind=kind, name=name, key=text, user_id=user_id, data=data, updated_at=now
                    )
                )

        self._db.upsert(write)

    def delete(self, kind: str, name: str, key: object) -> None:
        with self._db.transaction() as session:
            session.execute(
                delete(ChatStateRow).where(
                    ChatStateRow.kind == kind,
                    ChatStateRow.name == name,
                    ChatStateRow.key == encode_key(key),
                ),
                execution_options=NO_SYNC,
            )
