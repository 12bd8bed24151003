"""What every aggregate store shares: one `Database` (engine, transactions) and the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.store.engine import make_engine
from bot.core.store.models import UserRow

UTC = UTC
# ORM bulk UPDATE/DELETE without a pre-SELECT to sync the identity map: every write
# statement stays a single statement (the claim's compare-and-set depends on that).
NO_SYNC = {"synchronize_session": False}
# An upsert races another process inserting the same key at most this many times.
UPSERT_ATTEMPTS = 3
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None, name: str = "now") -> datetime:
    """`moment` (aware) in UTC, or the current time when None."""
    if moment is None:
        return utc_now()
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got naive {moment!r})")
    return moment.astimezone(UTC)


class Database:
    """One engine shared by every aggregate store; each store method runs its own short
    transaction, so the stores may be used from many threads at once (`asyncio.to_thread`)."""

    def __init__(self, url_or_engine: str | Engine) -> None:
        self.engine = (
            make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
        )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def upsert(self, write: Callable[[Session], T]) -> T:
        """Run `write` (UPDATE, then INSERT when nothing matched) in a transaction, again
        when another process inserted the same key between our UPDATE and INSERT."""
        for attempt in range(UPSERT_ATTEMPTS):
            try:
                with self.transaction() as session:
                    return write(session)
            except IntegrityError:
                if attempt == UPSERT_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self.engine.dispose()


def stored_timezone(session: Session, user_id: int) -> str:
    """The user's time zone name, "UTC" when unknown."""
    stored = session.scalar(select(UserRow.timezone).where(UserRow.user_id == user_id))
    return stored or "UTC"
