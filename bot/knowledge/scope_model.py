"""The scope judge's decision: a distance-weighted vote of a question's nearest labelled
questions, with a threshold per length calibrated by grouped cross-validation.

Chosen by benchmarks/scope_cv.py (docs/retrieval.md has the table): against the earlier
1-nearest-neighbour vote with a 0.02 margin (one close anchor decided), group prototypes and
logistic regressions over neighbour features or the embedding itself, the vote of the VOTE_K
nearest, each weighted exp(cosine / VOTE_TEMPERATURE), answers the fewest held-out
out-of-scope questions for the same share of in-scope ones declined, and k = 20-50 are alike.

Nothing is hand-copied: ingest computes each labelled question's vote as if its group (and its
near-twins) had been held out, and picks per length bucket the threshold that declines at most
IN_DECLINE_TARGET of the in-scope ones. Pure numpy, deterministic, one matrix product per query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VOTE_K = 20  # neighbours that vote (CV: 20, 30, 50 alike; 5-10 answer more out-of-scope)
VOTE_TEMPERATURE = 0.05  # a neighbour 0.1 nearer weighs e^2 = 7.4 times more
TWIN = 0.9  # a held-out question's near-twins (cosine >= TWIN) are held out with it
IN_DECLINE_TARGET = 0.03  # in-scope questions declined under cross-validation, at most
LONG_WORDS = 25  # longer questions get their own threshold (CV: 15 and 25 alike)
# A question of a message is voted on with the message around it (CV: 0.5-1.0 alike; alone,
# or 0.25, answers more out-of-scope posts; 1.5-2.0 declines more in-scope ones; 0.75 and 1.0
# declined one of long_posts.yaml's 120 in-scope posts, 0.5 none).
PART_CONTEXT = 0.5


def knn_vote(sims: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per row of cosines to the labelled questions (-1 = not allowed): the weighted share of
    in-scope questions among the VOTE_K nearest, in [0, 1]."""
    k = min(VOTE_K, sims.shape[1])
    if k == 0:
        return np.full(sims.shape[0], 0.5)
    nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    weights = np.exp(np.take_along_axis(sims, nearest, axis=1) / VOTE_TEMPERATURE)
    return (weights * labels[nearest]).sum(1) / weights.sum(1)


def in_context(part: np.ndarray, whole: np.ndarray, weight: float = PART_CONTEXT) -> np.ndarray:
    """A message's question, read with the message: the unit vector of part + weight × whole.
    Alone, a short question loses what the backstory says it is about ("how do I prepare?"
    after "I got an interview"); the whole alone is mostly backstory."""
    mixed = np.asarray(part, dtype=np.float64) + weight * np.asarray(whole, dtype=np.float64)
    norm = np.linalg.norm(mixed)
    return (mixed / norm if norm else mixed).astype(np.float32)


def held_out_sims(
    sims: np.ndarray, rows: np.ndarray, train: np.ndarray, groups: np.ndarray
) -> np.ndarray:
    """Cosines of `rows` to the `train` questions, -1 for their own group and their twins."""
    part = sims[rows]
    allowed = train[None, :] & (groups[rows][:, None] != groups[None, :]) & (part < TWIN)
    return np.where(allowed, part, -1.0)


def pick_threshold(scores: np.ndarray, labels: np.ndarray, target: float) -> float:
    """The highest threshold (declined: score <= threshold) declining at most `target` of the
    in-scope scores."""
    inside = np.sort(scores[labels == 1])
    if inside.size == 0:
        return 0.0
    return float(inside[int(np.floor(target * inside.size))] - 1e-9)


def length_bucket(words: np.ndarray | int) -> np.ndarray:
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
    thresholds: np.ndarray  # per length bucket (short, long)
    out_of_fold: np.ndarray  # each question's vote with its own group held out


def fit_scope(
    vectors: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    calibrate: np.ndarray,
    words: np.ndarray,
) -> FittedScope:
    """Each question's vote as if its group were held out; the thresholds from the
    `calibrate` rows' votes."""
    sims = vectors @ vectors.T
    everything = np.ones(len(labels), dtype=bool)
    votes = knn_vote(held_out_sims(sims, np.arange(len(labels)), everything, groups), labels)
    thresholds = bucket_thresholds(votes[calibrate], labels[calibrate], words[calibrate])
    return FittedScope(thresholds, votes)
