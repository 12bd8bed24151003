"""/resume, résumé documents and /match (filled in by the résumé feature)."""
from __future__ import annotations

from telegram.ext import Application


def register(application: Application) -> None:
    """Add this feature's handlers to the application."""
