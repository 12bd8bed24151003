"""The scope judge's side file (index/scope.npz): labelled questions, embedded, and the model
fitted on them. Ingest writes it (ingest/scope.py); the answer path reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.knowledge.scope_model import Logistic, features_from_sims, length_bucket


@dataclass
class ScopeAnchors:
    """Embedded labelled questions (knowledge/scope/examples.yaml, card phrasings, the
    development sets) and the fitted judge over their neighbours."""

    vectors: np.ndarray  # (n, d) unit rows
    labels: np.ndarray  # 1 in scope, 0 out
    card: np.ndarray  # bool: an answer card's phrasing
    example: np.ndarray  # bool: an in-scope question of examples.yaml (suggestions), file order
    texts: np.ndarray  # what was embedded (unchanged texts are not embedded again)
    corpus: np.ndarray  # each labelled question's best corpus cosine (a feature; for the CV)
    model: Logistic | None = None
    thresholds: np.ndarray = field(default_factory=lambda: np.zeros(2))  # short, long

    def threshold(self, words: int) -> float:
        """The decision threshold for a question of this many words."""
        return float(self.thresholds[int(length_bucket(words))])

    @property
    def in_scope(self) -> np.ndarray:
        """examples.yaml's in-scope questions, in file order (the 'try asking' suggestions)."""
        return self.vectors[self.example]

    def log_odds(self, vector: np.ndarray, corpus: float, nearest_card: float | None) -> float:
        """The model's log-odds that the question is in scope (0.0 without a model)."""
        if self.model is None or not len(self.labels):
            return 0.0
        sims = (self.vectors @ vector)[None, :]
        x = features_from_sims(sims, self.labels, self.card, np.array([corpus]))
        if nearest_card is not None:
            x[0, 4] = nearest_card  # the card index's own figure, the same vectors
        return float(self.model.log_odds(x)[0])

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        model = self.model
        np.savez(
            path,
            vectors=self.vectors.astype(np.float32),
            labels=self.labels.astype(np.int8),
            card=self.card,
            example=self.example,
            texts=self.texts.astype(str),
            corpus=self.corpus.astype(np.float32),
            mean=model.mean if model else np.zeros(0),
            scale=model.scale if model else np.zeros(0),
            coef=model.coef if model else np.zeros(0),
            bias=np.float64(model.bias if model else 0.0),
            thresholds=np.asarray(self.thresholds, dtype=np.float64),
        )

    @classmethod
    def load(cls, path: Path) -> ScopeAnchors:
        data = np.load(path)
        model = None
        if data["coef"].size:
            model = Logistic(data["mean"], data["scale"], data["coef"], float(data["bias"]))
        return cls(
            data["vectors"],
            data["labels"],
            data["card"],
            data["example"],
            data["texts"],
            data["corpus"],
            model,
            data["thresholds"],
        )

    @classmethod
    def empty(cls, dim: int = 384) -> ScopeAnchors:
        none = np.zeros(0, dtype=bool)
        return cls(
            np.zeros((0, dim), np.float32),
            np.zeros(0, np.int8),
            none,
            none,
            np.zeros(0, str),
            np.zeros(0, np.float32),
        )
