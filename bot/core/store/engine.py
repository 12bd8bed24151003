"""Engine construction: any SQLAlchemy URL; SQLite gets WAL, a busy timeout and thread use."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

DEFAULT_BUSY_TIMEOUT_MS = 15_000


def _is_memory_sqlite(database: str | None, query: dict) -> bool:
    return not database or database == ":memory:" or query.get("mode") == "memory"


def make_engine(
    url: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, echo: bool = False
) -> Engine:
    """An engine safe to share between threads (e.g. calls from `asyncio.to_thread`)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # Room for the Telegram adapter's per-user locks (one connection each, at most
        # MAX_LOCKED_USERS of them) beside the stores' short transactions.
        return create_engine(parsed, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=30)

    memory = _is_memory_sqlite(parsed.database, dict(parsed.query))
    kwargs: dict = {
        # Connections hop between worker threads; the pool hands each to one thread at a time.
        "connect_args": {"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
    }
    if memory:
        # One shared connection, or every pooled connection would see its own empty database.
        kwargs["poolclass"] = StaticPool
    else:
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, echo=echo, **kwargs)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        try:
            # busy_timeout first, so switching to WAL waits for a concurrent opener.
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    return engine
