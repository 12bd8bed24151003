"""BM25 over passages (bm25s), built at ingest and cached on disk beside the Chroma data."""

from __future__ import annotations

import difflib
import json
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.knowledge.text import keyword_terms

_LETTERS = re.compile(r"[A-Za-z]+")


def _bm25s():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import: noise
    return bm25s


class KeywordIndex:
    """Lexical ranking of passages; misspelt query words snap to the corpus vocabulary."""

    def __init__(
        self,
        postings: tuple[np.ndarray, np.ndarray, np.ndarray],
        passage_ids: list[str],
        vocabulary: dict[str, int],
        document_frequency: dict[str, int] | None = None,
    ) -> None:
        # The term→passage score matrix bm25s precomputes, as CSC arrays (data, indices, indptr):
        # scoring needs only numpy, so the bot never imports bm25s or scipy.
        self._data, self._indices, self._indptr = postings
        self.passage_ids = passage_ids
        self._vocabulary = vocabulary
        self._words = sorted(vocabulary)
        self._df = document_frequency or {}

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency; unknown words weigh like the rarest ones."""
        n = len(self.passage_ids)
        df = self._df.get(term, 0)
        return float(np.log((n - df + 0.5) / (df + 0.5) + 1.0))

    @staticmethod
    def document_text(passage) -> str:
        return f"{passage.heading_path} {passage.title} {passage.text}"

    @classmethod
    def build(cls, passages: Sequence) -> KeywordIndex:
        bm25s = _bm25s()
        corpus = [keyword_terms(cls.document_text(p)) or ["_empty_"] for p in passages]
        retriever = bm25s.BM25()
        tokens = bm25s.tokenization.Tokenized(*cls._ids(corpus))
        retriever.index(tokens, show_progress=False)
        df: dict[str, int] = {}
        for doc in corpus:
            for term in set(doc):
                df[term] = df.get(term, 0) + 1
        postings = (
            retriever.scores["data"],
            retriever.scores["indices"],
            retriever.scores["indptr"],
        )
        index = cls(postings, [p.id for p in passages], tokens.vocab, df)
        index._retriever = retriever  # kept for save()
        return index

    @staticmethod
    def _ids(corpus: list[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(term, len(vocab)) for term in doc] for doc in corpus]
        return ids, vocab

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(directory))
        (directory / "careerbot.json").write_text(
            json.dumps(
                {
                    "passage_ids": self.passage_ids,
                    "vocabulary": self._vocabulary,
                    "document_frequency": self._df,
                }
            )
        )

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        meta = json.loads((directory / "careerbot.json").read_text())
        postings = tuple(
            np.load(directory / f"{name}.csc.index.npy") for name in ("data", "indices", "indptr")
        )
        return cls(
            postings, meta["passage_ids"], meta["vocabulary"], meta.get("document_frequency")
        )

    @lru_cache(maxsize=4096)  # noqa: B019 - one index per process, kept for its lifetime
    def _snap(self, term: str) -> str | None:
        if term in self._vocabulary:
            return term
        if len(term) < 4:
            return None
        close = difflib.get_close_matches(term, self._words, n=1, cutoff=0.8)
        return close[0] if close else None

    def correct_spelling(self, text: str, known_words: frozenset[str] = frozenset()) -> str:
        """The text with misspelt words ("salery", "kagle") replaced by the corpus word one
        typo away; real words (`known_words`: the embedding model's whole-word vocabulary),
        short words and words the corpus has stay as typed."""

        def fix(match: re.Match) -> str:
            word = match.group(0)
            lower = word.lower()
            terms = keyword_terms(lower)
            if len(word) < 5 or lower in known_words or not terms:
                return word
            if terms[0] in self._vocabulary:
                return word
            for candidate in difflib.get_close_matches(terms[0], self._words, n=3, cutoff=0.75):
                allowed = 1 if len(candidate) < 8 else 2
                if candidate[0] == lower[0] and _typos(terms[0], candidate) <= allowed:
                    return candidate
            return word

        return _LETTERS.sub(fix, text)

    def query_terms(self, question: str) -> list[str]:
        """The question's terms that the corpus knows (typos corrected where one is close)."""
        return [t for t in (self._snap(term) for term in keyword_terms(question)) if t]

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every passage, in `passage_ids` order (zeros when nothing matches)."""
        terms = self.query_terms(question)
        if not terms:
            return np.zeros(len(self.passage_ids), dtype=np.float32)
        scores = np.zeros(len(self.passage_ids), dtype=np.float32)
        for term in terms:  # a repeated word counts again, as in bm25s
            token = self._vocabulary[term]
            start, end = self._indptr[token], self._indptr[token + 1]
            np.add.at(scores, self._indices[start:end], self._data[start:end])
        return scores


def _typos(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one typo (Damerau-Levenshtein, OSA)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]
