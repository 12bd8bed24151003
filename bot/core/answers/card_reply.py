"""What an in-scope reply is made of: the answer cards a message and its questions are close to,
a card answer with retrieval's best sentence as its complement, or, when no card is close, the
top passages' sentences composed as a partial answer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.core.answers.cards import add_sentence, answer_from_cards
from bot.core.answers.compose import Answer, compose_answer, ranked_sentences
from bot.core.answers.message_parts import PartQuery, cards_with_parts
from bot.core.answers.replies import PARTIAL_LEAD
from bot.core.answers.retrieval import Retrieval, RetrievedPassage, Retriever
from bot.knowledge.cards import CardIndex
from bot.knowledge.glossary import Glossary
from bot.knowledge.text import keyword_terms

CARD_MIN_SIMILARITY = 0.55  # a card answers when a phrasing is this close (dev: 0.5–0.6 swept)
SECOND_CARD_SLACK = 0.06  # a second card nearly as close joins the answer (two-part questions)
COMPLEMENT_MIN = 0.5  # retrieval's best sentence joins a card answer it is missing from


@dataclass(frozen=True)
class CardReplies:
    """Cards and passages turned into the text of an in-scope reply."""

    cards: CardIndex
    retriever: Retriever
    glossary: Glossary
    lede: frozenset[str]

    def close_cards(
        self, vector: np.ndarray, parts: list[PartQuery], whole_counts: bool
    ) -> tuple[list[int], float]:
        """The cards that answer: the whole message's nearest (and a second nearly as close),
        unless part of the message is one the guide leaves out (`whole_counts` false), then
        each of its questions' nearest; with the best similarity among them."""
        scores = self.cards.scores(vector) if whole_counts else np.empty(0)
        ranked = np.argsort(-scores)[:2].tolist() if scores.size else []
        best_score = float(scores[ranked[0]]) if ranked else -1.0
        close: list[int] = []
        if best_score >= CARD_MIN_SIMILARITY:
            floor = max(CARD_MIN_SIMILARITY, best_score - SECOND_CARD_SLACK)
            close = [i for i in ranked if scores[i] >= floor]
        part_scores = [self.cards.scores(p.vector) for p in parts]
        return cards_with_parts(close, best_score, part_scores, self.cards, CARD_MIN_SIMILARITY)

    def card_answer(self, question: str, indexes: list[int], score: float) -> Answer | None:
        """The nearest card's answer; a second card as close adds its quotes if they fit."""
        cards = [self.cards.cards[i] for i in indexes]
        return answer_from_cards(question, cards, self.retriever.passages, score)

    def complement(
        self, answer: Answer, retrieval: Retrieval, vectors: list[np.ndarray], keyword_query: str
    ) -> None:
        """Retrieval's best sentence joins a card answer that does not quote it: the card and
        the ranking are two readings of the question, and a reply carrying both misses less."""
        scores = self.sentence_scores(retrieval.passages, vectors)
        ranked = ranked_sentences(
            retrieval.passages,
            scores,
            self.term_weights(keyword_query),
            self.glossary.expand,
            self.lede,
        )
        if ranked and ranked[0][0] >= COMPLEMENT_MIN:
            add_sentence(answer, retrieval.passages[ranked[0][1]], ranked[0][2])

    def composed_answer(
        self, question: str, retrieval: Retrieval, vectors: list[np.ndarray], keyword_query: str
    ) -> Answer:
        """No card is close: the top passages' most relevant sentences, with their context; with
        cards in the knowledge base that makes it a partial answer, which says so."""
        scores = self.sentence_scores(retrieval.passages, vectors)
        # The glossary applies to sentences too: "MLE" in the article is "machine learning engineer".
        answer = compose_answer(
            question,
            retrieval.passages,
            scores,
            self.term_weights(keyword_query),
            self.glossary.expand,
            self.lede,
        )
        if self.cards.cards and answer.sources:
            # In scope, yet no card is close: the guide touches the subject, not the question.
            answer.kind = "partial"
            section = answer.sources[0].title.rsplit(" › ", 1)[-1]
            answer.text = f"{PARTIAL_LEAD.format(section=section)}\n\n{answer.text}"
        return answer

    def sentence_scores(
        self, passages: list[RetrievedPassage], vectors: list[np.ndarray]
    ) -> dict[str, dict[int, float]]:
        """Each sentence's cosine to the nearest of the vectors (a message and its questions)."""
        scores = self.retriever.sentence_similarities(passages, vectors[0])
        for vector in vectors[1:]:
            for pid, own in self.retriever.sentence_similarities(passages, vector).items():
                for index, value in own.items():
                    scores[pid][index] = max(scores[pid].get(index, -1.0), value)
        return scores

    def term_weights(self, keyword_query: str) -> dict[str, float]:
        """The query's keyword terms, each weighted by its rarity in the corpus (idf)."""
        return {t: self.retriever.keywords.idf(t) for t in keyword_terms(keyword_query)}
