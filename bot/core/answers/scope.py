"""Is a question within what the knowledge base can answer?

Similarity to the corpus alone does not separate the two on this corpus (an off-topic
"best laptop for deep learning" scores higher than some good paraphrases), so the judge
stacks two signals:
1. rules for what the bot must never answer: instructions aimed at the bot itself, and the
   advice the article expressly disclaims (tax, legal, investment);
2. a distance-weighted vote of the question's 20 nearest labelled questions (scope examples,
   card phrasings, the development sets), with a threshold per length (short questions, long
   posts) that declines at most 3% of in-scope questions under grouped cross-validation,
   computed at ingest (bot/knowledge/scope_model.py; candidates compared in docs/retrieval.md).
   It replaced a 1-nearest-neighbour vote with a 0.02 margin, where one close anchor decided.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.knowledge.scope_anchors import ScopeAnchors
from bot.knowledge.scope_rules import rule_reason

MIN_CORPUS_SIMILARITY = 0.2


@dataclass(frozen=True)
class ScopeVerdict:
    in_scope: bool
    reason: str  # "answerable", "smalltalk", "injection", "disclaimed", "off_topic", "no_match"
    margin: float


def rule_verdict(question: str) -> ScopeVerdict | None:
    """The rules' decline (small talk, instructions to the bot, disclaimed advice), if any."""
    reason = rule_reason(question)
    return None if reason is None else ScopeVerdict(False, reason, 0.0)


def judge_scope(
    question: str, vector: np.ndarray, top_similarity: float, anchors: ScopeAnchors
) -> ScopeVerdict:
    """Decide in/out of scope for a question, its vector and its best corpus similarity.
    `margin` is the vote of its nearest labelled questions above the threshold for its length."""
    ruled = rule_verdict(question)
    if ruled is not None:
        return ruled
    if anchors.thresholds is None:  # nothing labelled: whatever the corpus matches is answered
        gap = top_similarity - MIN_CORPUS_SIMILARITY
    else:
        gap = anchors.score(vector, len(question.split()))
    if top_similarity < MIN_CORPUS_SIMILARITY:
        return ScopeVerdict(False, "no_match", gap)
    if gap <= 0:
        return ScopeVerdict(False, "off_topic", gap)
    return ScopeVerdict(True, "answerable", gap)
