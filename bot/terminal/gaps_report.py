"""The knowledge-gaps section of `careerbot eval`: what real users asked that the bot declined
or answered badly (from the bot's own database), so knowledge gets added where it is needed."""

from __future__ import annotations

from bot.config import Settings
from bot.core.gaps import GapQuestion, knowledge_gaps
from bot.core.store import Store

EXAMPLE_CHARS = 100


def gap_lines(title: str, questions: tuple[GapQuestion, ...]) -> list[str]:
    lines = [title]
    for q in questions:
        example = q.example if len(q.example) <= EXAMPLE_CHARS else q.example[:99] + "…"
        lines.append(f"  {q.count:>4}×  last {q.last_seen:%Y-%m-%d %H:%M}  {example}")
    return lines if questions else [*lines, "  none yet"]


def print_knowledge_gaps(settings: Settings, top: int = 10) -> None:
    """Print the declined and 👎 questions of the bot's database, most frequent first."""
    store = Store.from_settings(settings)
    try:
        gaps = knowledge_gaps(store, top)
    finally:
        store.close()
    print(f"\nknowledge gaps: questions users asked ({settings.db_url.split('://')[0]} database)")
    print("\n".join(gap_lines("declined, most asked first:", gaps.declined)))
    print("\n".join(gap_lines("answers voted 👎, most first:", gaps.disliked)))
