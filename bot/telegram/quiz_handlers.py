"""Quiz polls, the daily quiz, mock interviews and /stats (filled in by the quiz feature)."""
from __future__ import annotations

from telegram.ext import Application


def register(application: Application) -> None:
    """Add this feature's handlers to the application."""
