"""Hybrid retrieval: dense passages + dense sentences + BM25, fused by reciprocal rank."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ingest.chunking import Passage

from .keyword_index import KeywordIndex

RRF_K = 5  # small k: the top of each ranking matters most (measured: docs/retrieval.md)
CANDIDATES = 12


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
    keyword_terms: list[str]  # the question's words the corpus knows
    top_dense: float  # best dense cosine over passages and sentences


def _cosines(distances: Sequence[float]) -> list[float]:
    return [1.0 - float(d) for d in distances]


class Retriever:
    """Ranks passages for a question. `mode`: hybrid (shipped), dense, or bm25 (for eval)."""

    def __init__(self, passages: Sequence[Passage], passages_col, sentences_col,
                 keyword_index: KeywordIndex, mode: str = "hybrid") -> None:
        self.passages = {p.id: p for p in passages}
        self._passages_col = passages_col
        self._sentences_col = sentences_col
        self.keywords = keyword_index
        self.mode = mode

    def retrieve(self, question: str, vector: np.ndarray, k: int = 3,
                 keyword_query: str | None = None) -> Retrieval:
        n = min(CANDIDATES, len(self.passages)) or 1
        dense_rank: list[str] = []
        dense_score: dict[str, float] = {}
        if self.mode in ("hybrid", "dense"):
            hits = self._passages_col.query(
                query_embeddings=[vector.tolist()], n_results=n, include=["distances"]
            )
            for pid, cos in zip(hits["ids"][0], _cosines(hits["distances"][0]), strict=True):
                dense_rank.append(pid)
                dense_score[pid] = cos
        sentence_rank: list[str] = []
        sentence_scores: dict[str, dict[int, float]] = {}
        if self.mode == "hybrid":
            hits = self._sentences_col.query(
                query_embeddings=[vector.tolist()], n_results=n * 3,
                include=["distances", "metadatas"],
            )
            for sid, meta, cos in zip(hits["ids"][0], hits["metadatas"][0],
                                      _cosines(hits["distances"][0]), strict=True):
                pid = meta["passage_id"]
                index = int(sid.rsplit("-", 1)[1])
                sentence_scores.setdefault(pid, {})[index] = cos
                if pid not in sentence_rank:
                    sentence_rank.append(pid)
        keyword_rank: list[str] = []
        terms: list[str] = []
        if self.mode in ("hybrid", "bm25"):
            terms = self.keywords.query_terms(keyword_query or question)
            scores = self.keywords.scores(keyword_query or question)
            order = np.argsort(-scores)[:n]
            keyword_rank = [self.keywords.passage_ids[i] for i in order if scores[i] > 0]

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
        top_dense = max([*dense_score.values(),
                         *(c for s in sentence_scores.values() for c in s.values()), 0.0])
        return Retrieval(question, results[:k], terms, top_dense)

    def sentence_similarities(self, retrieved: list[RetrievedPassage],
                              vector: np.ndarray) -> dict[str, dict[int, float]]:
        """Cosine of the question to every sentence of the retrieved passages.

        Retrieval saw only the top sentences; the rest are fetched in one call by their ids.
        """
        scores = {item.passage.id: dict(item.sentence_scores) for item in retrieved}
        missing = [
            (item.passage.id, i)
            for item in retrieved
            for i in range(len(item.passage.sentences))
            if i not in scores[item.passage.id]
        ]
        if missing:
            ids = [f"s-{pid[2:]}-{i}" for pid, i in missing]
            got = self._sentences_col.get(ids=ids, include=["embeddings"])
            by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
            for (pid, i), sid in zip(missing, ids, strict=True):
                if sid in by_id:
                    scores[pid][i] = float(np.asarray(by_id[sid]) @ vector)
        return scores
