"""The schema's version: Alembic migrations applied at start and by `careerbot db upgrade`.

A database made before migrations existed (tables, no `alembic_version`) is recognised by its
tables and stamped with the first revision, which is exactly that schema, then upgraded.
Replicas starting together take turns: PostgreSQL through an advisory lock, SQLite through
its write lock. A database already at the newest revision (every start but the first after a
release) is recognised without importing Alembic: ~12 MiB less resident in the bot.
"""

from __future__ import annotations

import ast
from pathlib import Path

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


def _config(connection: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _scripts():
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR))


def _revision_of(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return _scripts().get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return _revision_of(connection)


def newest_revision() -> str | None:
    """The one head of the migration chain, read from the scripts' `revision = ...` and
    `down_revision = ...` lines without Alembic; None unless that is plain (one head, string
    revisions), and then Alembic decides."""
    revisions: dict[str, str | None] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        if path.name.startswith("__"):  # the package's __init__.py: Alembic skips it too
            continue
        values = {
            node.targets[0].id: node.value.value
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
        }
        revision, down = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str) or not isinstance(down, str | None):
            return None
        revisions[revision] = down
    heads = set(revisions) - set(revisions.values())
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(engine: Engine) -> str | None:
    """The revision in `alembic_version` if it holds exactly one, read with plain SQL."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return rows[0][0] if len(rows) == 1 else None


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the database to `revision` (default the newest); returns the revision reached."""
    if revision == "head":
        newest = newest_revision()
        if newest is not None and _stored_revision(engine) == newest:
            return newest  # nothing to migrate: Alembic is not even imported
    from alembic import command

    return _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> str:
    """Undo migrations down to `revision` (a rollback, run with the release that made them)."""
    from alembic import command

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
            return _revision_of(connection)
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
    current = _revision_of(connection)
    known = {script.revision for script in _scripts().walk_revisions()}
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
    from alembic import command

    command.stamp(_config(connection), BASELINE)
    connection.commit()
