"""The scope judge's side file (index/scope.npz): labelled questions, embedded, and the
thresholds calibrated on them. Ingest writes it (ingest/scope.py); the answer path reads it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.knowledge.scope_model import knn_vote, length_bucket


@dataclass
class ScopeAnchors:
    """Embedded labelled questions (knowledge/scope/examples.yaml, card phrasings, the
    development sets) and the vote's thresholds."""

    vectors: np.ndarray  # (n, d) unit rows
    labels: np.ndarray  # 1 in scope, 0 out
    example: np.ndarray  # bool: an in-scope question of examples.yaml (suggestions), file order
    texts: np.ndarray  # what was embedded (unchanged texts are not embedded again)
    corpus: np.ndarray  # each one's best corpus cosine (benchmarks/scope_cv.py's candidates)
    thresholds: np.ndarray | None = None  # short, long; None: nothing to calibrate on

    @property
    def in_scope(self) -> np.ndarray:
        """examples.yaml's in-scope questions, in file order (the 'try asking' suggestions)."""
        return self.vectors[self.example]

    def score(self, vector: np.ndarray, words: int) -> float:
        """The vote of the nearest labelled questions minus the threshold for this length:
        above 0 is in scope."""
        if self.thresholds is None:
            return 0.0
        vote = knn_vote((self.vectors @ vector)[None, :], self.labels)[0]
        return float(vote - self.thresholds[int(length_bucket(words))])

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            path,
            vectors=self.vectors.astype(np.float32),
            labels=self.labels.astype(np.int8),
            example=self.example,
            texts=self.texts.astype(str),
            corpus=self.corpus.astype(np.float32),
            thresholds=np.zeros(0) if self.thresholds is None else self.thresholds,
        )

    @classmethod
    def load(cls, path: Path) -> ScopeAnchors:
        data = np.load(path)
        thresholds = data["thresholds"]
        return cls(
            data["vectors"],
            data["labels"],
            data["example"],
            data["texts"],
            data["corpus"],
            thresholds if thresholds.size else None,
        )

    @classmethod
    def empty(cls, dim: int = 384) -> ScopeAnchors:
        return cls(
            np.zeros((0, dim), np.float32),
            np.zeros(0, np.int8),
            np.zeros(0, dtype=bool),
            np.zeros(0, str),
            np.zeros(0, np.float32),
        )
