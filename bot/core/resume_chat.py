"""Terminal /resume and /match (filled in by the résumé feature)."""
from __future__ import annotations


def resume_terminal_commands(services, user_id: int) -> dict:
    return {}
