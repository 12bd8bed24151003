"""Query vectors of recent questions, so a popular one ("kaggle worth it?") is embedded once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from bot.knowledge.embedder import EMBEDDING_DIM

VECTOR_CACHE_SIZE = 2_000  # the popular questions of the moment: ~3.5 MB of vectors and keys


class VectorCache:
    """A bounded, thread-safe LRU of question text → vector in front of an embedding function."""

    def __init__(self, size: int = VECTOR_CACHE_SIZE) -> None:
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: list[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Vectors for `texts`, calling `embed` once for the distinct ones not remembered."""
        vectors = np.empty((len(texts), EMBEDDING_DIM), dtype=np.float32)
        missing = []
        with self._lock:
            for i, text in enumerate(texts):
                cached = self._vectors.get(text)
                if cached is None:
                    missing.append(i)
                else:
                    self._vectors.move_to_end(text)
                    vectors[i] = cached
        if missing:
            distinct = list(dict.fromkeys(texts[i] for i in missing))  # a burst repeats questions
            fresh = dict(zip(distinct, embed(distinct), strict=True))
            with self._lock:
                for i in missing:
                    vectors[i] = fresh[texts[i]]
                for text, vector in fresh.items():
                    self._vectors[text] = vector
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        return vectors

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()
