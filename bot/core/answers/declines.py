"""What the bot says instead of an answer: the early replies (empty, no letters, gibberish,
another language: with the guide's path in English), and declines that say what the guide does
cover and suggest the in-scope questions nearest to what was asked."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from bot.core.answers.cards import answer_from_cards
from bot.core.answers.compose import Answer, without_citations
from bot.core.answers.replies import LANGUAGE_OVERVIEW_LEAD, OTHER_REPLIES, decline_text
from bot.core.answers.retrieval import Retrieval
from bot.core.answers.scope import ScopeVerdict
from bot.knowledge.cards import CardIndex
from bot.knowledge.passages import Passage
from bot.knowledge.scope_anchors import ScopeAnchors

SUGGESTION_WORDS = 14  # the scope examples' long forum-style posts are no 'try asking' line


def guide_topics(passages: Mapping[str, Passage]) -> list[str]:
    """The top-level sections of the indexed articles, in reading order."""
    seen: list[str] = []
    for passage in passages.values():
        top = passage.heading_path.split(" › ")[0] if passage.heading_path else ""
        if top and top not in seen:
            seen.append(top)
    return seen


class Declines:
    """The replies that are not answers, for one loaded knowledge base."""

    def __init__(
        self,
        cards: CardIndex,
        passages: Mapping[str, Passage],
        anchors: ScopeAnchors,
        anchor_questions: list[str],
    ) -> None:
        self.cards = cards
        self.passages = passages
        self.anchors = anchors
        self.anchor_questions = anchor_questions
        self.topics = guide_topics(passages)

    def reply(self, question: str, kind: str) -> Answer:
        """The fixed reply of a kind (OTHER_REPLIES), with suggestions of what to ask."""
        reply = Answer(
            question=question,
            text=OTHER_REPLIES[kind],
            in_scope=False,
            kind=kind,
            suggestions=self.default_suggestions(),
        )
        overview = self.cards.overview
        if kind == "language" and overview is not None:
            # The model reads English only; the guide's path (in English) is still more use to a
            # reader who wrote in another language than a bare "ask in English".
            path = answer_from_cards(question, [overview], self.passages, 1.0)
            if path is not None:
                steps = path.text.split("\n", 1)[-1]  # without its own "The guide's path" line
                reply.text = f"{reply.text} {LANGUAGE_OVERVIEW_LEAD}\n" + without_citations(steps)
                reply.steps = path.steps
                reply.suggestions = []  # the steps are what to ask next (buttons, /more)
        return reply

    def default_suggestions(self) -> list[str]:
        return self.anchor_questions[:3]

    def decline(
        self, question: str, verdict: ScopeVerdict, vector: np.ndarray, retrieval: Retrieval
    ) -> Answer:
        """Not covered: say so, say what the guide covers, name the nearest sections."""
        kind = verdict.reason
        if kind == "smalltalk":
            return self.reply(question, "smalltalk")
        suggestions = self.nearest_examples(vector) if kind in ("off_topic", "no_match") else []
        headings = [r.passage.heading_path for r in retrieval.passages]
        return Answer(
            question=question,
            text=decline_text(kind, self.topics, headings),
            in_scope=False,
            kind=kind,
            suggestions=suggestions or self.default_suggestions(),
        )

    def nearest_examples(self, vector: np.ndarray, n: int = 3) -> list[str]:
        """In-scope example questions closest to what was asked: 'try asking…' suggestions."""
        if not self.anchor_questions or vector.size == 0:
            return []
        order = np.argsort(-(self.anchors.in_scope @ vector)).tolist()
        short = [i for i in order if len(self.anchor_questions[i].split()) <= SUGGESTION_WORDS]
        return [self.anchor_questions[i] for i in short[:n]]
