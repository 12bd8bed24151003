"""Shared plumbing of the `Store` mixins: engine, sessions, clock and time zone helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.store.engine import make_engine
from bot.core.store.models import Base, UserRow

UTC = UTC
# ORM bulk UPDATE/DELETE without a pre-SELECT to sync the identity map: every write
# statement stays a single statement (the claim's compare-and-set depends on that).
NO_SYNC = {"synchronize_session": False}


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None, name: str = "now") -> datetime:
    """`moment` (aware) in UTC, or the current time when None."""
    if moment is None:
        return utc_now()
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got naive {moment!r})")
    return moment.astimezone(UTC)


class StoreBase:
    """Owns the engine; every public method runs in its own short transaction, so one
    `Store` may be used from many threads at once (e.g. through `asyncio.to_thread`)."""

    def __init__(self, url_or_engine: str | Engine, *, create: bool = True) -> None:
        self.engine = (
            make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
        )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if create:
            self.create_tables()

    @classmethod
    def from_settings(cls, settings) -> StoreBase:
        """A store on `Settings.db_url` (SQLite under CAREERBOT_DATA_DIR unless overridden)."""
        return cls(settings.db_url)

    def create_tables(self) -> None:
        try:
            Base.metadata.create_all(self.engine)
        except (OperationalError, ProgrammingError):
            # Another process created the same tables between our check and CREATE.
            Base.metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def _user_timezone(self, session: Session, user_id: int) -> str:
        stored = session.scalar(select(UserRow.timezone).where(UserRow.user_id == user_id))
        return stored or "UTC"
