"""Answers from answer cards: a matched card's verbatim quotes, and the guide's overview."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.answers.compose import Answer, AnswerPoint, Source, join_blocks
from bot.knowledge.cards import Card
from bot.knowledge.passages import Passage

OVERVIEW_LEAD = "The guide's path, step by step:"


def _sources_and_points(
    cards: list[Card], passages: Mapping[str, Passage], score: float
) -> tuple[list[Source], list[AnswerPoint]]:
    sources: list[Source] = []
    number: dict[str, int] = {}
    points: list[AnswerPoint] = []
    seen: set[str] = set()
    for quote in (q for card in cards for q in card.quotes):
        passage = passages.get(quote.passage_id)
        if passage is None or quote.text in seen:  # stale card index, or quoted already
            continue
        seen.add(quote.text)
        if quote.passage_id not in number:
            number[quote.passage_id] = len(sources)
            sources.append(Source(passage.citation, passage.text, score, passage.id))
        points.append(AnswerPoint(quote.text, number[quote.passage_id], quote.is_item))
    return sources, points


def card_answer(
    question: str, cards: list[Card], passages: Mapping[str, Passage], score: float
) -> Answer | None:
    """The cards' quotes in order, grouped by the passage each comes from, each cited."""
    sources, points = _sources_and_points(cards, passages, score)
    if not points:
        return None
    return Answer(
        question=question,
        text=join_blocks(points, len(sources)),
        in_scope=True,
        kind="answer",
        sources=sources,
        points=points,
        top_score=score,
    )


def overview_answer(
    question: str, card: Card, passages: Mapping[str, Passage], score: float
) -> Answer | None:
    """The guide's path in order: one line per step in the article's words, each cited."""
    sources, points = _sources_and_points([card], passages, score)
    if not points:
        return None
    steps = [q.label for q in card.quotes if q.passage_id in passages]
    lines = [OVERVIEW_LEAD]
    for n, (step, point) in enumerate(zip(steps, points, strict=True), start=1):
        lines.append(f"{n}. {step}: {point.text} [{point.source + 1}]")
    return Answer(
        question=question,
        text="\n".join(lines),
        in_scope=True,
        kind="overview",
        sources=sources,
        points=points,
        steps=steps,
        top_score=score,
    )


def section_passages(passages: Mapping[str, Passage], section: str) -> list[Passage]:
    """The passages under a heading (its subsections included), in reading order."""
    return [p for p in passages.values() if section in (p.section, *p.heading_path.split(" › "))]
