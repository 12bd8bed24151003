"""Question in, Answer out: validation, glossary, embedding, retrieval, scope, composition."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from bot.config import Settings
from bot.core.answers.bridge import with_lead
from bot.core.answers.card_reply import CardReplies
from bot.core.answers.cards import section_passages
from bot.core.answers.compose import Answer, lede_sentences, merge_sources_by_citation
from bot.core.answers.declines import Declines
from bot.core.answers.gibberish import words_of
from bot.core.answers.knowledge_base import KnowledgeBase
from bot.core.answers.message_parts import (
    PartQuery,
    merge_rankings,
    parts_to_name,
    say_uncovered_parts,
    uncovered_parts,
    verdict_with_parts,
)
from bot.core.answers.more import MORE_MAX_CHARS, add_more_passages, continued_lead_ins
from bot.core.answers.prepare import PreparedQuestion, prepare_question
from bot.core.answers.retrieval import Retrieval, RetrievedPassage
from bot.core.answers.scope import judge_scope
from bot.core.answers.vector_cache import VectorCache
from bot.knowledge.cards import CardIndex
from bot.knowledge.embedder import Embedder, model_words
from bot.knowledge.glossary import Glossary
from bot.knowledge.index import REBUILD, IndexProblem, check_manifest
from bot.knowledge.passages import Passage
from bot.knowledge.scope_anchors import ScopeAnchors
from bot.knowledge.scope_model import LONG_WORDS
from bot.knowledge.term_bridge import TERMS, TermBridge
from bot.knowledge.yaml_io import read_yaml

TOP_PASSAGES = 3
RANKED_PASSAGES = 5  # what 'more from the guide' may draw on
SIMILARITY_VERDICTS = ("off_topic", "no_match")  # declines a question of the message may undo


def open_answer_service(settings: Settings) -> AnswerService:
    """The answer service on the fastest query embedder available (ONNX, else torch).

    The manifest is checked first, so a missing or foreign index is refused before any model
    loads."""
    from bot.knowledge.onnx_embedder import load_query_embedder

    check_manifest(settings, onnx_backend=False)
    return AnswerService.open(settings, load_query_embedder(settings.index_dir, settings.embedder))


class AnswerService:
    """Everything an adapter needs to answer questions; open once per process."""

    def __init__(
        self,
        kb: KnowledgeBase,
        glossary: Glossary,
        anchors: ScopeAnchors,
        anchor_questions: list[str],
        cards: CardIndex | None = None,
        bridge: TermBridge | None = None,
    ) -> None:
        self.kb = kb
        self.cards = cards or CardIndex.empty()
        self.bridge = bridge or TermBridge.empty()
        self.known_words = model_words()
        lede = frozenset(lede_sentences(list(kb.retriever.passages.values())))
        self.replies = CardReplies(self.cards, kb.retriever, glossary, lede)
        self.lead_ins = continued_lead_ins(kb.retriever.passages.values())
        self.glossary = glossary
        self.anchors = anchors
        self.declines = Declines(self.cards, kb.retriever.passages, anchors, anchor_questions)
        # Words of the knowledge base itself ("kaggle", "leetcode") are never gibberish.
        self.kb_words = words_of([p.text for p in kb.retriever.passages.values()])
        self._vector_cache = VectorCache()

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder, mode: str = "hybrid") -> AnswerService:
        kb = KnowledgeBase.open(settings, embedder, mode)
        glossary = Glossary.load(settings.knowledge_dir / "glossary.yaml")
        scope_path = settings.index_dir / "scope.npz"
        try:
            anchors = ScopeAnchors.load(scope_path) if scope_path.exists() else ScopeAnchors.empty()
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise IndexProblem(
                f"the scope model {scope_path} is unreadable ({exc}): {REBUILD}"
            ) from None
        examples_path = settings.knowledge_dir / "scope" / "examples.yaml"
        questions: list[str] = []
        if examples_path.exists():
            questions = (read_yaml(examples_path) or {}).get("in_scope", [])
        if len(questions) != len(anchors.in_scope):
            questions = []  # anchors from another version of the file: no suggestions from them
        try:
            cards = CardIndex.load(settings.index_dir)
        except (OSError, ValueError, TypeError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise IndexProblem(
                f"the answer cards under {settings.index_dir} are unreadable ({exc}): {REBUILD}"
            ) from None
        bridge = TermBridge.load(settings.knowledge_dir / TERMS)  # broken entries: skipped
        return cls(kb, glossary, anchors, questions, cards, bridge)

    def cited_section(self, passage_id: str) -> list[Passage]:
        """What a source button shows: its passage's whole section in reading order (an answer
        cites a section once, whichever of its passages it quotes); none once re-ingest
        replaced the passage."""
        passages = self.kb.retriever.passages
        cited = passages.get(passage_id)
        return [p for p in passages.values() if cited and p.citation == cited.citation]

    # -- steps -------------------------------------------------------------------------------
    def prepare(self, question: str) -> PreparedQuestion:
        """The question checked and cut, its questions found; an early reply when it needs no
        retrieval (empty, no letters, gibberish, another language the bridge cannot read)."""
        return prepare_question(question, self.kb_words, self.bridge, self.declines.reply)

    def embedding_text(self, prepared: PreparedQuestion) -> str:
        """What gets embedded: spelling snapped to the corpus, then the glossary's rewrite."""
        return self._embedding_text(prepared.text)

    def _embedding_text(self, text: str) -> str:
        keywords = self.kb.retriever.keywords
        return self.glossary.annotate(keywords.correct_spelling(text, self.known_words))

    def part_queries(self, prepared: list[PreparedQuestion]) -> list[list[PartQuery]]:
        """Each message's questions embedded and ranked, when it asks several (one embedding
        call and one search for all of them; a part is short, so it costs less than its
        message)."""
        texts = [part for p in prepared for part in p.parts]
        if not texts:
            return [[] for _ in prepared]
        vectors = self.embed([self._embedding_text(t) for t in texts])
        retrievals = self.kb.retriever.retrieve_many(
            texts, vectors, RANKED_PASSAGES, [self.glossary.expand(t) for t in texts]
        )
        queries = iter(zip(texts, vectors, retrievals, strict=True))
        return [[PartQuery(*next(queries)) for _ in p.parts] for p in prepared]

    def answer_prepared(
        self,
        prepared: PreparedQuestion,
        vector: np.ndarray,
        started: float,
        retrieval: Retrieval | None = None,
        parts: list[PartQuery] | None = None,
    ) -> Answer:
        """Retrieval, scope and composition for an embedded question (CPU only, no I/O wait)."""
        if prepared.early is not None:
            prepared.early.latency_ms = (time.perf_counter() - started) * 1000
            return prepared.early
        keyword_query = self.glossary.expand(prepared.text)
        if retrieval is None:
            retrieval = self.kb.retriever.retrieve(
                prepared.text, vector, k=RANKED_PASSAGES, keyword_query=keyword_query
            )
        full_ranking = retrieval.passages
        if parts is None:
            parts = self.part_queries([prepared])[0]
        retrieval = replace(retrieval, passages=retrieval.passages[:TOP_PASSAGES])
        verdict = judge_scope(prepared.text, vector, retrieval.top_dense, self.anchors)
        if not verdict.in_scope and verdict.reason in SIMILARITY_VERDICTS:
            verdict = verdict_with_parts(verdict, parts, vector, self.anchors)
        # A question the guide leaves out lends the answer nothing, nor does the whole message
        # that holds it: their nearest cards and passages would be loosely related lines ("what
        # do interns earn" drew the résumé's tangential-experience advice).
        outside = uncovered_parts(verdict, parts, self.anchors)
        named = parts_to_name(outside, parts, vector, self.anchors)
        parts = [part for part in parts if part.text not in outside]
        rankings = [p.retrieval.passages for p in parts]
        vectors = [p.vector for p in parts]
        if not outside:
            rankings.insert(0, full_ranking)
            vectors.insert(0, vector)
        # The answer is composed from the top passages; 'more from the guide' may go further,
        # through each question's ranking in turn when the message asks several.
        more_ranking = merge_rankings(rankings)
        # What the answer quotes from: each question's best passages, each sentence as relevant
        # as it is to the whole message or to the question nearest it.
        top = replace(retrieval, passages=more_ranking[:TOP_PASSAGES]) if parts else retrieval
        close, card_score = self.replies.close_cards(vector, parts, whole_counts=not outside)
        # 'More from the guide' leaves room for a bridged question's lead.
        room = MORE_MAX_CHARS - (prepared.bridged.lead_chars if prepared.bridged else 0)

        def add_more(answer: Answer) -> None:
            add_more_passages(answer, more_ranking, max_chars=room, lead_ins=self.lead_ins)

        answer = None
        if not verdict.in_scope:
            answer = self.declines.decline(prepared.original, verdict, vector, retrieval)
        elif close:
            answer = self.replies.card_answer(prepared.original, close, card_score)
            if answer is not None and answer.kind == "answer":
                say_uncovered_parts(answer, named)
                self.replies.complement(answer, top, vectors, keyword_query)
                add_more(answer)
            elif answer is not None and len(prepared.text.split()) > LONG_WORDS:
                # The path answers "what are my next steps"; a post's backstory ("math PhD,
                # should I learn SWE?") still asks about its own case: what the guide says on it.
                add_more(answer)
        if answer is None:
            retrieval = top
            answer = self.replies.composed_answer(
                prepared.original, retrieval, vectors, keyword_query
            )
            if answer.kind == "partial":
                say_uncovered_parts(answer, named)
                add_more(answer)
        if prepared.bridged is not None:
            answer = with_lead(answer, prepared.bridged) or self.declines.reply(
                prepared.original, "language"
            )
        merge_sources_by_citation(answer)
        answer.note = prepared.note
        answer.top_score = retrieval.top_dense
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer

    def overview_step(self, number: int) -> tuple[str, list[Passage]] | None:
        """Step `number` (1-based) of the guide's overview: its section and that section's text."""
        card = self.cards.overview
        if card is None or not 1 <= number <= len(card.quotes):
            return None
        section = card.quotes[number - 1].label
        return section, section_passages(self.kb.retriever.passages, section)

    def retrieve(self, question: str, k: int = TOP_PASSAGES) -> list[RetrievedPassage]:
        """The passages an answer to `question` draws on, best first (none for a non-question):
        the passages the answer cites (an answer card's included), then the hybrid ranking's
        next ones, at least k in all."""
        prepared = self.prepare(question)
        if prepared.early is not None:
            return []
        vector = self.embed([self.embedding_text(prepared)])[0]
        keyword_query = self.glossary.expand(prepared.text)
        ranking = self.kb.retriever.retrieve(
            prepared.text, vector, max(k, RANKED_PASSAGES), keyword_query
        )
        answer = self.answer_prepared(prepared, vector, time.perf_counter(), ranking)
        ranked = {item.passage.id: item for item in ranking.passages}
        cited = [
            ranked.get(s.passage_id)
            or RetrievedPassage(self.kb.retriever.passages[s.passage_id], s.score)
            for s in answer.sources
            if s.passage_id in self.kb.retriever.passages
        ]
        rest = [item for item in ranking.passages if item not in cited]
        return (cited + rest)[: max(k, len(cited))]

    def answer(self, question: str) -> Answer:
        return self.answer_many([question])[0]

    def answer_many(self, questions: Sequence[str]) -> list[Answer]:
        """Answers in order: one embedding batch for the messages, one for the questions inside
        long ones (apart, so that short parts are not padded to a long message's length), and
        one search for all of them."""
        started = time.perf_counter()
        prepared = [self.prepare(q) for q in questions]
        todo = [i for i, p in enumerate(prepared) if p.early is None]
        texts = [prepared[i].text for i in todo]
        part_texts = [part for i in todo for part in prepared[i].parts]
        vectors = self.embed([self.embedding_text(prepared[i]) for i in todo])
        if part_texts:
            part_vectors = self.embed([self._embedding_text(t) for t in part_texts])
            vectors = np.vstack([vectors, part_vectors])
        searched = texts + part_texts
        retrievals = (
            self.kb.retriever.retrieve_many(
                searched, vectors, RANKED_PASSAGES, [self.glossary.expand(t) for t in searched]
            )
            if todo
            else []
        )
        queries = iter(
            PartQuery(*q)
            for q in zip(part_texts, vectors[len(todo) :], retrievals[len(todo) :], strict=True)
        )
        answers = []
        by_index = {i: n for n, i in enumerate(todo)}
        for i, p in enumerate(prepared):
            if i not in by_index:
                answers.append(self.answer_prepared(p, np.zeros(0), started))
                continue
            n = by_index[i]
            parts = [next(queries) for _ in p.parts]
            answers.append(self.answer_prepared(p, vectors[n], started, retrievals[n], parts))
        return answers

    def embed(self, texts: list[str]) -> np.ndarray:
        """Query vectors; popular questions ("kaggle worth it?") are remembered, not recomputed."""
        return self._vector_cache.embed(texts, self.kb.embedder.embed_documents)

    def clear_vector_cache(self) -> None:
        self._vector_cache.clear()

    # -- replies without retrieval --------------------------------------------------------------
