"""The schema's version: Alembic migrations applied at start and by `careerbot db upgrade`.

A database made before migrations existed (tables, no `alembic_version`) is recognised by its
tables and stamped with the first revision, which is exactly that schema, then upgraded.
Replicas starting together take turns: PostgreSQL through an advisory lock, SQLite through
its write lock.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The revision whose tables the release before migrations created with `create_all`.
BASELINE = "0001"
BASELINE_TABLES = frozenset(
    {
        "users",
        "question_log",
        "feedback",
        "quiz_attempts",
        "srs_cards",
        "quiz_sessions",
        "subscriptions",
        "daily_deliveries",
        "resumes",
        "interview_results",
    }
)
# Any fixed 64-bit key: the PostgreSQL advisory lock that serialises migrations.
_MIGRATION_LOCK = 0x6361_7265_6572_6264  # "careerbd"


class SchemaError(RuntimeError):
    """The database holds something this version cannot migrate (a user-facing message)."""


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the database to `revision` (default the newest); returns the revision reached."""
    return _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> str:
    """Undo migrations down to `revision` (a rollback, run with the release that made them)."""
    return _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step, revision: str) -> str:
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK})
            connection.commit()
        try:
            _refuse_unknown_revision(connection)
            _stamp_pre_migration_schema(connection)
            step(_config(connection), revision)
            connection.commit()
            return MigrationContext.configure(connection).get_current_revision()
        finally:
            if connection.dialect.name == "postgresql":
                connection.rollback()
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK}
                )
                connection.commit()


def _refuse_unknown_revision(connection: Connection) -> None:
    """A database migrated by a newer release (a rollback): say so, instead of Alembic's
    "Can't locate revision"."""
    current = MigrationContext.configure(connection).get_current_revision()
    known = {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
    if current is not None and current not in known:
        head = head_revision()
        raise SchemaError(
            f"the database is at revision {current}, newer than this careerbot knows (up to "
            f"{head}): run the release that migrated it, or first undo its migrations with "
            f"that release: `careerbot db downgrade {head}`"
        )


def _stamp_pre_migration_schema(connection: Connection) -> None:
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables or not tables & BASELINE_TABLES:
        return
    missing = BASELINE_TABLES - tables
    if missing:
        raise SchemaError(
            f"the database has some careerbot tables but not {', '.join(sorted(missing))}: "
            "it was not made by careerbot, or a table was dropped by hand. Point "
            "CAREERBOT_DATABASE_URL at careerbot's database or at an empty one."
        )
    command.stamp(_config(connection), BASELINE)
    connection.commit()
