"""The fitted scope judge: features of a question's neighbours among labelled questions, a
regularised logistic regression over them, and a threshold calibrated by grouped
cross-validation (benchmarks/scope_cv.py compares it with the other candidates).

Features of a question (all cosines): its nearest in-scope and out-of-scope labelled question,
the mean of its TOP nearest on each side, its nearest answer-card phrasing, and its best corpus
sentence or passage. One close anchor no longer decides alone: the weights say how much each
kind of evidence counts, learned from labelled questions whose own group (and near-twins) were
held out, as they would be for an unseen question. Pure numpy and deterministic: ingest fits it
from knowledge/ files; the answer path only evaluates it (one matrix product per question).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TWIN = 0.9  # a held-out question's near-twins (cosine >= TWIN) are held out with it
IN_DECLINE_TARGET = 0.03  # in-scope questions declined under cross-validation, at most
LONG_WORDS = 25  # longer questions get their own threshold (CV: 15 / 20 / 25 alike)
TOP = 3  # neighbours averaged per side
L2 = 1.0  # the logistic regression's penalty (standardised features; CV: 1 vs 10 equal)
FEATURES = ("nearest in", "nearest out", "top-3 in", "top-3 out", "nearest card", "corpus")


def _top_mean(sims: np.ndarray, k: int) -> np.ndarray:
    k = min(k, sims.shape[1])
    if k == 0:
        return np.full(sims.shape[0], -1.0)
    return -np.sort(-sims, axis=1)[:, :k].mean(1)


def features_from_sims(
    sims: np.ndarray, labels: np.ndarray, card: np.ndarray, corpus: np.ndarray
) -> np.ndarray:
    """FEATURES for each row of `sims` (cosines to the labelled questions; -1 = not allowed)."""
    inside, outside = sims[:, labels == 1], sims[:, labels == 0]
    return np.column_stack(
        [
            inside.max(1, initial=-1.0),
            outside.max(1, initial=-1.0),
            _top_mean(inside, TOP),
            _top_mean(outside, TOP),
            sims[:, card].max(1, initial=-1.0),
            corpus,
        ]
    )


def held_out_features(
    sims: np.ndarray,
    rows: np.ndarray,
    train: np.ndarray,
    groups: np.ndarray,
    labels: np.ndarray,
    card: np.ndarray,
    corpus: np.ndarray,
) -> np.ndarray:
    """Features of `rows` against the `train` questions, never their own group nor a twin."""
    part = sims[rows]
    allowed = train[None, :] & (groups[rows][:, None] != groups[None, :]) & (part < TWIN)
    return features_from_sims(np.where(allowed, part, -1.0), labels, card, corpus[rows])


@dataclass(frozen=True)
class Logistic:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.coef + self.bias


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> Logistic:
    """L2-regularised logistic regression on standardised features by Newton's method, the two
    classes weighted equally (out-of-scope examples outnumber in-scope ones, or the reverse)."""
    mean, scale = x.mean(0), x.std(0) + 1e-6
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    y = y.astype(np.float64)
    w = np.ones(len(y))
    for label in (0, 1):
        part = y == label
        if part.any():
            w[part] = len(y) / (2 * part.sum())
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0  # the intercept is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (w * (p - y)) + penalty * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return Logistic(mean, scale, beta[:-1], float(beta[-1]))


def pick_threshold(scores: np.ndarray, labels: np.ndarray, target: float) -> float:
    """The highest threshold (declined: score <= threshold) declining at most `target` of the
    in-scope scores."""
    inside = np.sort(scores[labels == 1])
    if inside.size == 0:
        return 0.0
    return float(inside[int(np.floor(target * inside.size))] - 1e-6)


def length_bucket(words: np.ndarray) -> np.ndarray:
    """0 for a short question, 1 for a long one: a long post's cosines are diluted (its many
    sentences average into one vector), in scope or not, so it is calibrated apart."""
    return (np.asarray(words) > LONG_WORDS).astype(np.int64)


def bucket_thresholds(
    scores: np.ndarray, labels: np.ndarray, words: np.ndarray, target: float = IN_DECLINE_TARGET
) -> np.ndarray:
    """One threshold per length bucket, each declining at most `target` of that bucket's
    in-scope scores (a bucket without in-scope questions takes the pooled threshold)."""
    pooled = pick_threshold(scores, labels, target)
    buckets = length_bucket(words)
    return np.array(
        [
            pick_threshold(scores[buckets == b], labels[buckets == b], target)
            if (labels[buckets == b] == 1).any()
            else pooled
            for b in (0, 1)
        ]
    )


@dataclass(frozen=True)
class FittedScope:
    model: Logistic
    thresholds: np.ndarray  # per length bucket (short, long)
    out_of_fold: np.ndarray  # each question's score from a model fitted without its group


def fit_scope(
    vectors: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    card: np.ndarray,
    corpus: np.ndarray,
    calibrate: np.ndarray,
    words: np.ndarray,
) -> FittedScope:
    """Cross-validate by group (the threshold comes from the out-of-fold scores of the
    `calibrate` rows), then fit the model on every question's held-out features."""
    sims = vectors @ vectors.T
    everything = np.ones(len(labels), dtype=bool)
    out_of_fold = np.zeros(len(labels))
    for g in np.unique(groups):
        held = groups == g
        train_rows = np.flatnonzero(~held)
        x = held_out_features(sims, train_rows, ~held, groups, labels, card, corpus)
        model = fit_logistic(x, labels[train_rows])
        rows = np.flatnonzero(held)
        out_of_fold[rows] = model.log_odds(
            held_out_features(sims, rows, ~held, groups, labels, card, corpus)
        )
    thresholds = bucket_thresholds(out_of_fold[calibrate], labels[calibrate], words[calibrate])
    rows = np.arange(len(labels))
    x = held_out_features(sims, rows, everything, groups, labels, card, corpus)
    return FittedScope(fit_logistic(x, labels), thresholds, out_of_fold)
