"""Is a question within what the knowledge base can answer?

Similarity to the corpus alone does not separate the two on this corpus (an off-topic
"best laptop for deep learning" scores higher than some good paraphrases), so the judge
stacks two signals:
1. rules for what the bot must never answer: instructions aimed at the bot itself, and the
   advice the article expressly disclaims (tax, legal, investment);
2. a nearest-neighbour vote between questions: the closest in-scope question (an example from
   knowledge/scope/examples.yaml or an answer card's phrasing) against the closest out-of-scope
   example. In scope only when the in-scope side is nearer by MARGIN. A corpus sentence is not
   a question: near-domain questions the article never answers ("when do applications open")
   resemble its sentences, so the corpus only votes when there are no cards.
The margin is calibrated on the development sets (docs/retrieval.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.knowledge.scope_anchors import ScopeAnchors

INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules|guidelines|"
    r"prompt|knowledge base|restrictions|filters)\b|system prompt|developer mode|jailbreak|"
    r"\bDAN\b|no restrictions|hidden rules|pretend (you|to be)|act as (an?|my) |"
    r"repeat the (text|words) above|api keys?\b",
    re.IGNORECASE,
)
DISCLAIMED = re.compile(
    r"\b(tax|taxes|taxed|irs|legal|legally|illegal|lawyer|attorney|lawsuit|sue|suing|visa|"
    r"immigration|green card|work permit|stocks?|shares|invest(ing|ment|or)?|crypto|bitcoin|"
    r"securities|dividends?)\b",
    re.IGNORECASE,
)
SMALLTALK = re.compile(
    r"^\s*(hi|hii+|hello|hey( there)?|yo|good (morning|afternoon|evening)|thanks|thank you|thx|"
    r"ty|ok(ay)?|cool|great|nice|bye|goodbye|help|what can you do|who are you|start)\s*[!.?]*\s*$",
    re.IGNORECASE,
)

MARGIN = 0.02  # calibrated on dev + legacy (236 questions): 3 wrongly declined, 4 answered
MIN_CORPUS_SIMILARITY = 0.2


@dataclass(frozen=True)
class ScopeVerdict:
    in_scope: bool
    reason: str  # "answerable", "smalltalk", "injection", "disclaimed", "off_topic", "no_match"
    margin: float


def rule_verdict(question: str) -> ScopeVerdict | None:
    """The rules' decline (small talk, instructions to the bot, disclaimed advice), if any."""
    if SMALLTALK.match(question):
        return ScopeVerdict(False, "smalltalk", 0.0)
    if INJECTION.search(question):
        return ScopeVerdict(False, "injection", 0.0)
    if DISCLAIMED.search(question):
        return ScopeVerdict(False, "disclaimed", 0.0)
    return None


def judge_scope(
    question: str,
    vector: np.ndarray,
    top_similarity: float,
    anchors: ScopeAnchors,
    margin: float = MARGIN,
    nearest_card: float = -1.0,
) -> ScopeVerdict:
    """Decide in/out of scope for a question, its vector and its best corpus similarity."""
    ruled = rule_verdict(question)
    if ruled is not None:
        return ruled
    corpus = top_similarity if nearest_card < -0.5 else -1.0  # cards, when present, speak for it
    nearest_in = max([corpus, nearest_card, *(anchors.in_scope @ vector).tolist()])
    nearest_out = max([-1.0, *(anchors.out_of_scope @ vector).tolist()])
    gap = nearest_in - nearest_out
    if top_similarity < MIN_CORPUS_SIMILARITY:
        return ScopeVerdict(False, "no_match", gap)
    if gap <= margin:
        return ScopeVerdict(False, "off_topic", gap)
    return ScopeVerdict(True, "answerable", gap)
