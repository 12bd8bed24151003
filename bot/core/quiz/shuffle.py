"""Options in a new order at each delivery, so a key's position carries nothing.

The order is derived from (session id, position, question id), so it needs no stored state:
the poll and the answer to it see the same order, and spaced repetition brings a question
back in another session with its options in another order.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from collections.abc import Sequence

from bot.knowledge.banks import QuizQuestion


def option_order(session_id: str, position: int, question_id: str, count: int) -> tuple[int, ...]:
    """A permutation of range(count): entry i is the bank index of the option shown i-th."""
    seed = hashlib.sha256(f"{session_id}:{position}:{question_id}".encode()).digest()
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return tuple(order)


def reorder(question: QuizQuestion, order: Sequence[int]) -> QuizQuestion:
    """`question` with its options shown in `order`, `correct` pointing at the same key."""
    if sorted(order) != list(range(len(question.options))):
        raise ValueError(f"{list(order)} is not an order of {len(question.options)} options")
    return dataclasses.replace(
        question,
        options=tuple(question.options[i] for i in order),
        correct=list(order).index(question.correct),
    )


def as_delivered(question: QuizQuestion, session_id: str, position: int) -> QuizQuestion:
    """The question as session `session_id` shows it at `position`."""
    order = option_order(session_id, position, question.id, len(question.options))
    return reorder(question, order)
