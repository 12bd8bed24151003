"""Is a question within what the knowledge base can answer?

Similarity to the corpus alone does not separate the two on this corpus (an off-topic
"best laptop for deep learning" scores higher than some good paraphrases), so the judge
stacks two signals:
1. rules for what the bot must never answer: instructions aimed at the bot itself, and the
   advice the article expressly disclaims (tax, legal, investment);
2. a logistic regression over the question's neighbours among labelled questions (nearest and
   top-3 in-scope and out-of-scope, nearest card phrasing, best corpus cosine), fitted at ingest
   with a threshold per length (short / long posts) that declines at most 3% of in-scope
   questions under grouped cross-validation (bot/knowledge/scope_model.py; candidates
   compared in docs/retrieval.md).
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
    question: str,
    vector: np.ndarray,
    top_similarity: float,
    anchors: ScopeAnchors,
    nearest_card: float = -1.0,
) -> ScopeVerdict:
    """Decide in/out of scope for a question, its vector, its best corpus similarity and its
    nearest card phrasing's (-1 when there are no cards). `margin` is the model's log-odds
    above its threshold."""
    ruled = rule_verdict(question)
    if ruled is not None:
        return ruled
    if anchors.model is None:  # no labelled questions: whatever the corpus matches is answered
        gap = top_similarity - MIN_CORPUS_SIMILARITY
    else:
        card = nearest_card if nearest_card > -0.5 else None
        threshold = anchors.threshold(len(question.split()))
        gap = anchors.log_odds(vector, top_similarity, card) - threshold
    if top_similarity < MIN_CORPUS_SIMILARITY:
        return ScopeVerdict(False, "no_match", gap)
    if gap <= 0:
        return ScopeVerdict(False, "off_topic", gap)
    return ScopeVerdict(True, "answerable", gap)
