"""The questions of one message that asks several, or asks one after a backstory: each is
embedded and ranked (bot/core/answers/parts.py finds them), and these decide what each brings to
the reply: whether it brings a declined message back in scope, which of them the guide leaves
out (they lend the reply nothing, and the reply says so), and which card each one adds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.core.answers.compose import MAX_REPLY_CHARS, Answer
from bot.core.answers.replies import UNCOVERED_PARTS_LEAD
from bot.core.answers.retrieval import Retrieval, RetrievedPassage
from bot.core.answers.scope import ScopeVerdict, judge_scope
from bot.knowledge.cards import OVERVIEW, CardIndex
from bot.knowledge.scope_anchors import ScopeAnchors
from bot.knowledge.scope_model import in_context

OVERVIEW_FOR_PART = True


@dataclass
class PartQuery:
    """One question of a message that asks several: its vector and its ranking."""

    text: str
    vector: np.ndarray
    retrieval: Retrieval


def merge_rankings(rankings: Sequence[Sequence[RetrievedPassage]]) -> list[RetrievedPassage]:
    """Round robin over rankings (the whole message's first): each question's best passages
    come early, and a passage two rankings share appears once, where it first appears."""
    merged: list[RetrievedPassage] = []
    seen: set[str] = set()
    for rank in range(max((len(r) for r in rankings), default=0)):
        for ranking in rankings:
            if rank < len(ranking) and ranking[rank].passage.id not in seen:
                seen.add(ranking[rank].passage.id)
                merged.append(ranking[rank])
    return merged


def verdict_with_parts(
    verdict: ScopeVerdict, parts: list[PartQuery], vector: np.ndarray, anchors: ScopeAnchors
) -> ScopeVerdict:
    """A message the vote declines is in scope when one of its questions is, read with the
    message around it: "is kaggle good and what do interns earn" averages an answerable
    question with one the guide never addresses. Read alone, a short question loses what
    the backstory says it is about, and more out-of-scope posts got answered (CV in
    docs/retrieval.md). The rules judged the whole message and stand."""
    for part in parts:
        read = judge_scope(
            part.text, in_context(part.vector, vector), part.retrieval.top_dense, anchors
        )
        if read.in_scope:
            return read
    return verdict


def uncovered_parts(
    verdict: ScopeVerdict, parts: list[PartQuery], anchors: ScopeAnchors
) -> list[str]:
    """The questions of an answered message that the guide leaves out, each judged alone
    (none when it leaves them all out: then the message's own vote decided). They lend the
    reply nothing."""
    if not verdict.in_scope or len(parts) < 2:
        return []
    outside = [part.text for part in parts if _declined(part, part.vector, anchors)]
    return [] if len(outside) == len(parts) else outside


def parts_to_name(
    outside: list[str], parts: list[PartQuery], vector: np.ndarray, anchors: ScopeAnchors
) -> list[str]:
    """Of the questions left out, those the reply says the guide doesn't answer: out read
    with the message around it too. "What hard skills do I need to pursue this career" alone
    does not say which career; named, the reply said the guide doesn't answer it while
    quoting its skills checklist."""
    return [
        part.text
        for part in parts
        if part.text in outside and _declined(part, in_context(part.vector, vector), anchors)
    ]


def _declined(part: PartQuery, read_as: np.ndarray, anchors: ScopeAnchors) -> bool:
    return not judge_scope(part.text, read_as, part.retrieval.top_dense, anchors).in_scope


def say_uncovered_parts(answer: Answer, outside: list[str]) -> None:
    """Partly answered: a message whose questions the guide answers only in part says which
    it leaves out ("The guide covers X, not Y"), before what it says on the rest, when the
    line fits the reply's budget."""
    if not outside:
        return
    lead = UNCOVERED_PARTS_LEAD.format(parts="; ".join(f"“{p.rstrip('?!. ')}”" for p in outside))
    if len(lead) + 2 + len(answer.text) <= MAX_REPLY_CHARS:
        answer.text = f"{lead}\n\n{answer.text}"
        answer.kind = "partial"


def cards_with_parts(
    close: list[int],
    best_score: float,
    part_scores: list[np.ndarray],
    cards: CardIndex,
    min_similarity: float,
) -> tuple[list[int], float]:
    """The whole message's cards, then each of its questions' nearest card (when at least
    `min_similarity` close). The overview answers a message whose questions ask specific things
    only when one of them asks for it: otherwise the backstory ("I feel lost about
    internships…") drew it. Questions no card is close to ("Could you give me some
    guidance?") leave the whole message's overview standing."""
    chosen = list(close)
    score = best_score
    asked_overview = asked_specific = False
    for scores in part_scores:
        if not scores.size:
            continue
        nearest = int(np.argmax(scores))
        if scores[nearest] < min_similarity:
            continue
        if cards.cards[nearest].kind == OVERVIEW:
            asked_overview = True
            if OVERVIEW_FOR_PART and nearest not in chosen:
                chosen.insert(0, nearest)  # the path first, then the other questions' cards
            continue
        asked_specific = True
        if nearest not in chosen:
            chosen.append(nearest)
            score = max(score, float(scores[nearest]))
    if asked_specific and not asked_overview:
        chosen = [i for i in chosen if cards.cards[i].kind != OVERVIEW]
    return chosen, score
