"""Terminal /quiz, /interview and /stats (filled in by the quiz feature)."""
from __future__ import annotations


def quiz_terminal_commands(services, user_id: int) -> dict:
    return {}
