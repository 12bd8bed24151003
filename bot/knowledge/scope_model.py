"""The fitted scope judge: features of a question's neighbours among labelled questions, a
regularised logistic regression over them, and a threshold calibrated by grouped
cross-validation. Pure numpy and deterministic: ingest fits it from knowledge/ files, the answer
path only evaluates it (one matrix product and a dot product per question).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TWIN = 0.9  # a held-out question's twins (cosine >= TWIN) are held out with it
IN_DECLINE_TARGET = 0.03  # in-scope questions declined under cross-validation, at most
TOP = 3  # neighbours averaged per side


@dataclass
class ScopeMemory:
    """Labelled question vectors; `groups` say what is held out together."""

    vectors: np.ndarray  # (n, d), unit length
    labels: np.ndarray  # 1 in scope, 0 out
    groups: np.ndarray  # int group ids
    sources: np.ndarray  # "examples" | "cards" | "dev" | "legacy"
    card: np.ndarray  # bool: an answer card's phrasing
    ruled: np.ndarray  # bool: settled by a rule before the judge (never scored)
    corpus: np.ndarray  # best corpus cosine of each question
    lengths: np.ndarray  # log(1 + words) of each question

    @property
    def weights(self) -> np.ndarray:
        return np.ones(len(self.labels))


def _top_mean(sims: np.ndarray, k: int) -> np.ndarray:
    k = min(k, sims.shape[1])
    if k == 0:
        return np.full(sims.shape[0], -1.0)
    return -np.sort(-sims, axis=1)[:, :k].mean(1)


def neighbour_features(memory: ScopeMemory, rows: np.ndarray, train: np.ndarray) -> np.ndarray:
    """Per row: nearest in, nearest out, mean of the TOP nearest in / out, nearest card phrasing,
    best corpus cosine. A row's own group and its twins never count (as if held out)."""
    sims = memory.vectors[rows] @ memory.vectors.T
    allowed = train[None, :] & (memory.groups[rows][:, None] != memory.groups[None, :])
    allowed &= sims < TWIN
    return features_from_sims(
        np.where(allowed, sims, -1.0), memory.labels, memory.card, memory.corpus[rows]
    )


def features_from_sims(
    sims: np.ndarray, labels: np.ndarray, card: np.ndarray, corpus: np.ndarray
) -> np.ndarray:
    inside, outside = sims[:, labels == 1], sims[:, labels == 0]
    cards = sims[:, card]
    return np.column_stack(
        [
            inside.max(1, initial=-1.0),
            outside.max(1, initial=-1.0),
            _top_mean(inside, TOP),
            _top_mean(outside, TOP),
            cards.max(1, initial=-1.0),
            corpus,
        ]
    )


@dataclass(frozen=True)
class Logistic:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float


def fit_logistic(
    x: np.ndarray, y: np.ndarray, l2: float, weights: np.ndarray | None = None
) -> Logistic:
    """L2-regularised logistic regression on standardised features (Newton's method; the
    classes weighted equally so that the many card phrasings do not tilt it)."""
    mean, scale = x.mean(0), x.std(0) + 1e-6
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    y = y.astype(np.float64)
    w = np.ones(len(y)) if weights is None else weights.astype(np.float64)
    for label in (0, 1):
        part = y == label
        if part.any():
            w[part] *= len(y) / (2 * w[part].sum())
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (w * (p - y)) + penalty * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return Logistic(mean, scale, beta[:-1], float(beta[-1]))


def predict_logistic(model: Logistic, x: np.ndarray) -> np.ndarray:
    """The log-odds of in scope."""
    return ((x - model.mean) / model.scale) @ model.coef + model.bias


def pick_threshold(scores: np.ndarray, labels: np.ndarray, target: float) -> float:
    """The highest threshold (declined = score <= threshold) that declines at most `target` of
    the in-scope scores."""
    inside = np.sort(scores[labels == 1])
    if inside.size == 0:
        return 0.0
    allowed = int(np.floor(target * inside.size))
    return float(inside[allowed] - 1e-6)
