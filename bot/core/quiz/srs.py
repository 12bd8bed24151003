"""Leitner spaced repetition: which quiz questions come next, and when a card comes back.

Every question a user has answered has a card in one of five boxes. A correct answer moves
the card up one box (an unseen question counts as box 0, so its first correct answer puts it
in box 1); a wrong answer sends it back to box 1, due at once, so it returns at the start of
the user's next session. A card in box `b` is next due `INTERVALS[b]` after its review.
Box 5 is "mastered".
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from bot.core.store import MAX_BOX, MIN_BOX, Card
from bot.knowledge.banks import QuizQuestion

INTERVALS: dict[int, timedelta] = {
    1: timedelta(days=1),
    2: timedelta(days=2),
    3: timedelta(days=4),
    4: timedelta(days=8),
    5: timedelta(days=16),
}
# A missed card is due again straight away: the next session starts with it.
RELEARN_DELAY = timedelta(0)
MASTERED_BOX = MAX_BOX


def review(card: Card | None, correct: bool, now: datetime) -> tuple[int, datetime]:
    """The (box, due_at) a card moves to after an answer at `now`."""
    if not correct:
        return MIN_BOX, now + RELEARN_DELAY
    box = min((card.box if card is not None else MIN_BOX - 1) + 1, MAX_BOX)
    return box, now + INTERVALS[box]


def is_due(card: Card, now: datetime) -> bool:
    return card.due_at <= now


def is_mastered(card: Card, now: datetime) -> bool:
    """In the top box and not due yet: shown only when nothing else is left."""
    return card.box >= MASTERED_BOX and not is_due(card, now)


def _spread_over_topics(questions: list[QuizQuestion], rng: random.Random) -> list[QuizQuestion]:
    """Unseen questions, easiest first within each topic, taken one topic at a time so a
    five-question quiz touches five topics. Topic order and ties are shuffled by `rng`."""
    by_topic: dict[str, list[QuizQuestion]] = defaultdict(list)
    for question in questions:
        by_topic[question.topic].append(question)
    queues = []
    for topic in sorted(by_topic):
        group = by_topic[topic]
        rng.shuffle(group)
        group.sort(key=lambda q: q.difficulty)  # stable: shuffled within a difficulty
        queues.append(group)
    rng.shuffle(queues)
    ordered: list[QuizQuestion] = []
    depth = 0
    while len(ordered) < len(questions):
        # Round `depth` takes each topic's depth-th question, easiest rounds first; within a
        # round, easier questions lead so a newcomer's first answers are the gentlest.
        layer = [queue[depth] for queue in queues if depth < len(queue)]
        layer.sort(key=lambda q: q.difficulty)
        ordered.extend(layer)
        depth += 1
    return ordered


def choose_questions(
    bank: Iterable[QuizQuestion],
    cards_by_qid: Mapping[str, Card],
    now: datetime,
    n: int = 5,
    topic: str | None = None,
    rng: random.Random | None = None,
) -> list[QuizQuestion]:
    """Up to `n` distinct questions in the order they should be asked:

    1. due cards, lowest box first, then most overdue (missed questions are box 1, due now);
    2. never-seen questions, spread over topics (when `topic` is None), easiest first;
    3. cards not yet due, soonest due first;
    4. mastered cards (box 5, not due) only when nothing else is left.

    `topic` limits every group to that topic slug. Deterministic for a seeded `rng`.
    """
    rng = rng if rng is not None else random.Random()
    pool: dict[str, QuizQuestion] = {}
    for question in bank:
        if topic is None or question.topic == topic:
            pool.setdefault(question.id, question)  # first wins: never a repeated id
    due, waiting, mastered, unseen = [], [], [], []
    for qid in sorted(pool):
        card = cards_by_qid.get(qid)
        if card is None:
            unseen.append(pool[qid])
        elif is_due(card, now):
            due.append((card.box, card.due_at, rng.random(), pool[qid]))
        elif is_mastered(card, now):
            mastered.append((card.due_at, rng.random(), pool[qid]))
        else:
            waiting.append((card.due_at, card.box, rng.random(), pool[qid]))
    ordered = [entry[-1] for entry in sorted(due, key=lambda e: e[:-1])]
    ordered += _spread_over_topics(unseen, rng)
    ordered += [entry[-1] for entry in sorted(waiting, key=lambda e: e[:-1])]
    ordered += [entry[-1] for entry in sorted(mastered, key=lambda e: e[:-1])]
    return ordered[: max(n, 0)]
