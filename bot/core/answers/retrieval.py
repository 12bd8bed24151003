"""Hybrid retrieval: dense passages + dense sentences + BM25, fused by reciprocal rank."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.knowledge.index import passage_from_record
from bot.knowledge.keyword_index import KeywordIndex
from bot.knowledge.passages import Passage, split_sentence_id

RRF_K = 5  # small k: the top of each ranking matters most (measured: docs/retrieval.md)
CANDIDATES = 12
SENTENCE_CACHE_PASSAGES = 20_000  # ~4 sentences x 1.5 KB each: tens of MB at most


@dataclass
class RetrievedPassage:
    passage: Passage
    score: float  # best cosine of the question to the passage or one of its sentences
    fused: float = 0.0
    sentence_scores: dict[int, float] = field(default_factory=dict)  # sentence index → cosine


@dataclass
class Retrieval:
    question: str
    passages: list[RetrievedPassage]
    top_dense: float  # best dense cosine over passages and sentences


def _cosines(distances: Sequence[float]) -> list[float]:
    return [1.0 - float(d) for d in distances]


class Retriever:
    """Ranks passages for a question. `mode`: hybrid (shipped), dense, or bm25 (for eval)."""

    def __init__(
        self,
        passages: Sequence[Passage],
        passages_col,
        sentences_col,
        keyword_index: KeywordIndex,
        mode: str = "hybrid",
    ) -> None:
        self.passages = {p.id: p for p in passages}
        self._passages_col = passages_col
        self._sentences_col = sentences_col
        self.keywords = keyword_index
        self.mode = mode
        self._sentence_cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def indexed_count(self) -> int:
        """Passages Chroma holds (a round trip: the health check's proof Chroma answers)."""
        return self._passages_col.count()

    def retrieve(
        self, question: str, vector: np.ndarray, k: int = 3, keyword_query: str | None = None
    ) -> Retrieval:
        return self.retrieve_many([question], np.asarray([vector]), k, [keyword_query])[0]

    def _dense(self, collection, vectors: np.ndarray, n: int, include: list[str]) -> dict:
        # One Chroma call for the whole batch: most of a query's cost is per call, not per vector.
        return collection.query(query_embeddings=vectors.tolist(), n_results=n, include=include)

    def retrieve_many(
        self,
        questions: Sequence[str],
        vectors: np.ndarray,
        k: int = 3,
        keyword_queries: Sequence[str | None] | None = None,
    ) -> list[Retrieval]:
        """Rank passages for several questions at once (same results as one by one)."""
        n = min(CANDIDATES, len(self.passages)) or 1
        keyword_queries = keyword_queries or [None] * len(questions)
        passage_hits = sentence_hits = None
        if self.mode in ("hybrid", "dense") and len(questions):
            passage_hits = self._dense(self._passages_col, vectors, n, ["distances"])
        if self.mode == "hybrid" and len(questions):
            # Distances only: the passage is in the sentence's id, and Chroma's metadata fetch
            # doubled the cost of this query (measured: 2.1 → 1.0 ms for one question).
            sentence_hits = self._dense(self._sentences_col, vectors, n * 3, ["distances"])
        self._learn_unknown(passage_hits, sentence_hits)
        results = []
        for i, question in enumerate(questions):
            dense_rank: list[str] = []
            dense_score: dict[str, float] = {}
            if passage_hits is not None:
                for pid, cos in zip(
                    passage_hits["ids"][i], _cosines(passage_hits["distances"][i]), strict=True
                ):
                    dense_rank.append(pid)
                    dense_score[pid] = cos
            sentence_rank: list[str] = []
            sentence_scores: dict[str, dict[int, float]] = {}
            if sentence_hits is not None:
                for sid, cos in zip(
                    sentence_hits["ids"][i], _cosines(sentence_hits["distances"][i]), strict=True
                ):
                    pid, index = split_sentence_id(sid)
                    sentence_scores.setdefault(pid, {})[index] = cos
                    if pid not in sentence_rank:
                        sentence_rank.append(pid)
            keyword_rank: list[str] = []
            if self.mode in ("hybrid", "bm25"):
                scores = self.keywords.scores(keyword_queries[i] or question)
                order = np.argsort(-scores)[:n]
                keyword_rank = [self.keywords.passage_ids[j] for j in order if scores[j] > 0]
            results.append(
                self._fuse(
                    question,
                    k,
                    dense_rank,
                    dense_score,
                    sentence_rank,
                    sentence_scores,
                    keyword_rank,
                )
            )
        return results

    def _learn_unknown(self, passage_hits: dict | None, sentence_hits: dict | None) -> None:
        """Passages Chroma returns that the loaded side files don't know yet (an ingest under
        way, or another replica's ingest on a shared server) are read from their Chroma records
        rather than dropped; the reload that follows brings the keyword index up to date."""
        ids = {pid for hits in (passage_hits or {}).get("ids", []) for pid in hits}
        ids |= {
            split_sentence_id(sid)[0]
            for hits in (sentence_hits or {}).get("ids", [])
            for sid in hits
        }
        unknown = sorted(pid for pid in ids if pid not in self.passages)
        if not unknown:
            return
        got = self._passages_col.get(ids=unknown, include=["metadatas", "documents"])
        for pid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
            self.passages[pid] = passage_from_record(pid, text, meta)

    def _fuse(
        self, question, k, dense_rank, dense_score, sentence_rank, sentence_scores, keyword_rank
    ) -> Retrieval:
        fused: dict[str, float] = {}
        # Sentence matches lead; whole-passage vectors and BM25 break ties (weights measured).
        for ranking, weight in ((dense_rank, 0.5), (sentence_rank, 1.0), (keyword_rank, 0.7)):
            for rank, pid in enumerate(ranking):
                fused[pid] = fused.get(pid, 0.0) + weight / (RRF_K + rank + 1)
        results = []
        for pid, value in sorted(fused.items(), key=lambda item: -item[1]):
            passage = self.passages.get(pid)
            if passage is None:  # index and side files out of step: never cite a ghost
                continue
            best = max([dense_score.get(pid, 0.0), *sentence_scores.get(pid, {}).values()])
            results.append(RetrievedPassage(passage, best, value, sentence_scores.get(pid, {})))
        top_dense = max(
            [*dense_score.values(), *(c for s in sentence_scores.values() for c in s.values()), 0.0]
        )
        return Retrieval(question, results[:k], top_dense)

    def sentence_vectors(self, passages: Sequence[Passage]) -> dict[str, np.ndarray]:
        """Each passage's sentence vectors (rows in sentence order), cached in memory.

        Missing ones come from Chroma in one call; the cache is bounded (least recently used out).
        """
        missing = [p for p in passages if p.id not in self._sentence_cache]
        if missing:
            ids = [p.sentence_id(i) for p in missing for i in range(len(p.sentences))]
            got = self._sentences_col.get(ids=ids, include=["embeddings"])
            by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
            for p in missing:
                rows = [by_id.get(p.sentence_id(i)) for i in range(len(p.sentences))]
                if all(r is not None for r in rows):
                    self._sentence_cache[p.id] = np.asarray(rows, dtype=np.float32)
        found = {}
        for p in passages:
            if p.id in self._sentence_cache:
                self._sentence_cache.move_to_end(p.id)
                found[p.id] = self._sentence_cache[p.id]
        while len(self._sentence_cache) > SENTENCE_CACHE_PASSAGES:
            self._sentence_cache.popitem(last=False)
        return found

    def sentence_similarities(
        self, retrieved: list[RetrievedPassage], vector: np.ndarray
    ) -> dict[str, dict[int, float]]:
        """Cosine of the question to every sentence of the retrieved passages."""
        scores = {item.passage.id: dict(item.sentence_scores) for item in retrieved}
        vectors = self.sentence_vectors([item.passage for item in retrieved])
        for pid, matrix in vectors.items():
            scores[pid].update(enumerate((matrix @ vector).tolist()))
        return scores
