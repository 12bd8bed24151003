"""Alembic environment: migrate the connection `bot.core.store.schema` hands over."""

from __future__ import annotations

from alembic import context

from bot.core.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things: batch mode copies the table (a no-op on PostgreSQL).
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
