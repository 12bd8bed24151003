"""Answers from answer cards: a matched card's verbatim quotes, and the guide's overview."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.answers.compose import MAX_REPLY_CHARS, Answer, AnswerPoint, Source
from bot.core.answers.retrieval import RetrievedPassage
from bot.knowledge.cards import OVERVIEW, Card
from bot.knowledge.passages import Passage
from bot.knowledge.text import normalise

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


def _card_text(points: list[AnswerPoint], sources: list[Source]) -> str:
    """Quotes in the card's order; consecutive quotes from one section read as one block (a
    lead-in and its list stay together even when the list spans passages), cited [1, 2]."""
    blocks: list[tuple[str, list[AnswerPoint]]] = []
    for point in points:
        title = sources[point.source].title
        if blocks and blocks[-1][0] == title:
            blocks[-1][1].append(point)
        else:
            blocks.append((title, [point]))
    rendered = []
    for _, own in blocks:
        if any(p.is_item for p in own):
            body = "\n".join(f"• {p.text}" if p.is_item else p.text for p in own)
        else:
            body = " ".join(p.text for p in own)
        numbers = ", ".join(str(n + 1) for n in dict.fromkeys(p.source for p in own))
        rendered.append(f"{body} [{numbers}]")
    return "\n\n".join(rendered)


def card_answer(
    question: str, cards: list[Card], passages: Mapping[str, Passage], score: float
) -> Answer | None:
    """The cards' quotes in order, grouped by the passage each comes from, each cited."""
    sources, points = _sources_and_points(cards, passages, score)
    if not points:
        return None
    return Answer(
        question=question,
        text=_card_text(points, sources),
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


def overview_with_cards(
    question: str, overview: Card, others: list[Card], passages: Mapping[str, Passage], score: float
) -> Answer | None:
    """The overview, then each other card's quotes that still fit: "How do I get an ML
    internship? Also, is Kaggle worth it?" asks for the path and for one step of it."""
    answer = overview_answer(question, overview, passages, score)
    if answer is None:
        return None
    kept: list[Card] = []
    for card in (c for c in others if c.kind != OVERVIEW):
        sources, points = _sources_and_points([overview, *kept, card], passages, score)
        text = f"{answer.text}\n\n{_card_text(points[len(answer.points) :], sources)}"
        if len(text) <= MAX_REPLY_CHARS:
            kept.append(card)
            final = (text, sources, points)
    if kept:
        answer.text, answer.sources, answer.points = final
    return answer


def answer_from_cards(
    question: str, cards: list[Card], passages: Mapping[str, Passage], score: float
) -> Answer | None:
    """The overview, or the cards' quotes together: the first card, then each next one whose
    quotes still fit in MAX_REPLY_CHARS."""
    if cards[0].kind == OVERVIEW:
        return overview_with_cards(question, cards[0], cards[1:], passages, score)
    cards = [c for c in cards if c.kind != OVERVIEW]
    answer = card_answer(question, cards[:1], passages, score)
    kept = cards[:1]
    for card in cards[1:]:
        joined = card_answer(question, [*kept, card], passages, score)
        if joined is not None and len(joined.text) <= MAX_REPLY_CHARS:
            answer, kept = joined, [*kept, card]
    return answer


def add_sentence(answer: Answer, item: RetrievedPassage, index: int) -> None:
    """Append a passage's sentence (a list item with its lead-in) as a last cited block, unless
    the answer quotes it already or the reply would grow past MAX_REPLY_CHARS.

    A card is one reading of the question, the passage ranking another: a reply carrying the
    ranking's best sentence too misses less."""
    passage = item.passage
    sentence = passage.sentences[index]
    lines = [f"• {sentence[2:]}" if sentence.startswith("- ") else sentence]
    if sentence.startswith("- "):
        lead = index
        while lead > 0 and passage.sentences[lead].startswith("- "):
            lead -= 1
        if not passage.sentences[lead].startswith("- "):
            lines.insert(0, passage.sentences[lead])
    if normalise(lines[-1].lstrip("• ")).lower() in normalise(answer.text).lower():
        return
    known = [n for n, src in enumerate(answer.sources) if src.passage_id == passage.id]
    number = known[0] if known else len(answer.sources)
    text = f"{answer.text}\n\n" + "\n".join(lines) + f" [{number + 1}]"
    if len(text) > MAX_REPLY_CHARS:
        return
    if not known:
        answer.sources.append(Source(passage.citation, passage.text, item.score, passage.id))
    answer.text = text
    for line in lines:
        answer.points.append(AnswerPoint(line.lstrip("• "), number, line.startswith("• ")))


def section_passages(passages: Mapping[str, Passage], section: str) -> list[Passage]:
    """The passages under a heading (its subsections included), in reading order."""
    return [p for p in passages.values() if section in (p.section, *p.heading_path.split(" › "))]
