"""Knowledge gaps for maintainers: what students asked that the bot declined or answered badly,
most frequent first, so knowledge gets added where it is needed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.store import Store, normalise_question
from bot.core.store.base import as_utc


@dataclass(frozen=True)
class GapQuestion:
    example: str  # the most recent wording
    count: int  # times asked (declined) or voted 👎, wordings folded together
    last_seen: datetime


@dataclass(frozen=True)
class KnowledgeGaps:
    declined: tuple[GapQuestion, ...]
    disliked: tuple[GapQuestion, ...]


def rank_questions(rows: Iterable[tuple[str, datetime]], top: int) -> tuple[GapQuestion, ...]:
    """Fold wordings ("What's a GPU?!" = "whats a gpu"), count them, most frequent first
    (then most recent); rows come newest first."""
    counts: dict[str, int] = {}
    newest: dict[str, tuple[str, datetime]] = {}
    for text, at in rows:
        key = normalise_question(text)
        if not key:
            continue
        counts[key] = counts.get(key, 0) + 1
        if key not in newest or at > newest[key][1]:
            newest[key] = (text, at)
    ranked = sorted(counts, key=lambda k: (-counts[k], -newest[k][1].timestamp(), k))[:top]
    return tuple(GapQuestion(newest[k][0], counts[k], newest[k][1]) for k in ranked)


def knowledge_gaps(
    store: Store, top: int = 10, within: timedelta | None = None, now: datetime | None = None
) -> KnowledgeGaps:
    """The `top` declined and 👎 questions (of the last `within`, or all time)."""
    since = as_utc(now) - within if within is not None else None
    return KnowledgeGaps(
        declined=rank_questions(store.gaps.declined_questions(since), top),
        disliked=rank_questions(store.gaps.disliked_questions(since), top),
    )
