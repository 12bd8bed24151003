"""Alembic migrations of the user-state database, shipped inside the package."""
