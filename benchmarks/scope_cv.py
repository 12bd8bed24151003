"""Grouped cross-validation of scope judges (issue 14): which one generalises?

Everything labelled for development is pooled (bot/knowledge/scope_data.py): the scope
examples (by family), the answer cards' phrasings (by card, in scope), knowledge/eval/dev.yaml
(real questions by source page, paraphrases by section) and knowledge/eval/questions.yaml
(legacy, by family). knowledge/eval/test.yaml is never read. The vectors are the ones ingest
embedded (index/scope.npz), so this measures what ingest fits.

One group at a time is held out; the judge is fitted on the rest (a held-out question's
near-twins, cosine >= TWIN, are never its neighbours either) and judges the held-out group.
Each group's threshold comes from the other groups' out-of-fold scores, set to decline at most
3% of in-scope questions: one threshold, or one per length bucket (short questions and long
posts apart, as shipped). Reported: in-scope questions wrongly declined / in-scope, and
out-of-scope ones answered / out-of-scope, per source (dev's real questions apart) and over all
questions; card phrasings are training data only, and questions a rule settles (or in another
script) never reach the judge, so they are left out.

    PYTHONPATH=. python -m ingest && PYTHONPATH=. python benchmarks/scope_cv.py [--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.config import get_settings  # noqa: E402
from bot.knowledge.glossary import Glossary  # noqa: E402
from bot.knowledge.scope_anchors import ScopeAnchors  # noqa: E402
from bot.knowledge.scope_data import labelled_questions  # noqa: E402
from bot.knowledge.scope_model import (  # noqa: E402
    IN_DECLINE_TARGET,
    VOTE_K,
    VOTE_TEMPERATURE,
    bucket_thresholds,
    held_out_sims,
    knn_vote,
    length_bucket,
    pick_threshold,
)
from bot.knowledge.scope_rules import rule_reason  # noqa: E402

REPORT_SOURCES = ("dev", "legacy", "examples")
# Report columns: (name, the sources it counts, the dev kind it keeps, "" for all).
COLUMNS = (
    ("dev real", ("dev",), "real"),
    ("dev other", ("dev",), ""),
    ("legacy", ("legacy",), ""),
    ("examples", ("examples",), ""),
    ("all questions", REPORT_SOURCES, ""),
)


@dataclass
class Memory:
    vectors: np.ndarray
    sims: np.ndarray
    labels: np.ndarray
    groups: np.ndarray
    sources: np.ndarray
    kinds: np.ndarray
    card: np.ndarray
    ruled: np.ndarray
    corpus: np.ndarray
    lengths: np.ndarray
    words: np.ndarray

    def allowed_sims(self, rows: np.ndarray, train: np.ndarray) -> np.ndarray:
        return held_out_sims(self.sims, rows, train, self.groups)

    def features(self, rows: np.ndarray, train: np.ndarray) -> np.ndarray:
        """Nearest in / out, mean of the 3 nearest in / out, nearest card phrasing, corpus."""
        sims = self.allowed_sims(rows, train)
        inside, outside = sims[:, self.labels == 1], sims[:, self.labels == 0]

        def top3(part: np.ndarray) -> np.ndarray:
            return -np.sort(-part, axis=1)[:, :3].mean(1)

        return np.column_stack(
            [
                inside.max(1),
                outside.max(1),
                top3(inside),
                top3(outside),
                sims[:, self.card].max(1),
                self.corpus[rows],
            ]
        )


@dataclass(frozen=True)
class Logistic:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.coef + self.bias


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float) -> Logistic:
    """L2-regularised logistic regression on standardised features (Newton's method), the two
    classes weighted equally."""
    mean, scale = x.mean(0), x.std(0) + 1e-6
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    y = y.astype(np.float64)
    w = np.where(y == 1, len(y) / (2 * max(y.sum(), 1)), len(y) / (2 * max((1 - y).sum(), 1)))
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


# -- candidates: (memory, train mask, rows) -> scores, higher = in scope -------------------------
def nn_margin(memory: Memory, train: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The judge before this work: nearest in-scope question minus nearest out-of-scope one."""
    f = memory.features(rows, train)
    return f[:, 0] - f[:, 1]


nn_margin.__name__ = "1-NN margin (before)"


def shipped(memory: Memory, train: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """bot/knowledge/scope_model.knn_vote, as the bot runs it."""
    return knn_vote(memory.allowed_sims(rows, train), memory.labels)


shipped.__name__ = f"k-NN weighted vote k={VOTE_K} τ={VOTE_TEMPERATURE} (shipped)"


def shipped_without_development_sets(memory: Memory, train: np.ndarray, rows: np.ndarray):
    """The same vote with only the scope examples and card phrasings as neighbours."""
    return shipped(memory, train & np.isin(memory.sources, ("examples", "cards")), rows)


shipped_without_development_sets.__name__ = (
    f"k-NN weighted vote k={VOTE_K} τ={VOTE_TEMPERATURE}, neighbours from examples+cards only"
)


def knn_weighted(k: int, temperature: float):
    def score(memory: Memory, train: np.ndarray, rows: np.ndarray) -> np.ndarray:
        sims = memory.allowed_sims(rows, train)
        top = np.argsort(-sims, axis=1)[:, :k]
        weights = np.exp(np.take_along_axis(sims, top, axis=1) / temperature)
        return (weights * memory.labels[top]).sum(1) / weights.sum(1)

    score.__name__ = f"k-NN weighted vote k={k} τ={temperature}"
    return score


def centroid_margin(memory: Memory, train: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Nearest group prototype (a group's mean vector per label) of each side."""
    keep = np.flatnonzero(train)
    protos, labels, ids = [], [], []
    for g in np.unique(memory.groups[keep]):
        members = keep[memory.groups[keep] == g]
        for label in (0, 1):
            part = members[memory.labels[members] == label]
            if part.size:
                c = memory.vectors[part].mean(0)
                protos.append(c / np.linalg.norm(c))
                labels.append(label)
                ids.append(g)
    protos, labels, ids = np.array(protos), np.array(labels), np.array(ids)
    sims = memory.vectors[rows] @ protos.T
    sims = np.where(memory.groups[rows][:, None] == ids[None, :], -1.0, sims)
    return sims[:, labels == 1].max(1) - sims[:, labels == 0].max(1)


centroid_margin.__name__ = "prototype (group centroid) margin"


def logistic(feature_set: str, l2: float, sources: tuple[str, ...] = ()):
    """Logistic regression; features: "knn" = Memory.features' six,
    "-corpus" without the corpus cosine, "+vote" adds the k-NN vote, "+len" log words,
    "+sq" pairwise products, "emb" the 384-d vector itself."""

    def design(memory: Memory, rows: np.ndarray, train: np.ndarray) -> np.ndarray:
        parts = []
        if "knn" in feature_set:
            f = memory.features(rows, train)
            if "-corpus" in feature_set:
                f = np.delete(f, 5, axis=1)
            if "+vote" in feature_set:
                f = np.column_stack([f, knn_weighted(20, 0.05)(memory, train, rows)])
            if "+sq" in feature_set:
                f = np.hstack([f, *(f[:, i : i + 1] * f[:, i:] for i in range(f.shape[1]))])
            parts.append(f)
        if "+len" in feature_set:
            parts.append(memory.lengths[rows][:, None])
        if "emb" in feature_set:
            parts.append(memory.vectors[rows])
        return np.hstack(parts)

    def score(memory: Memory, train: np.ndarray, rows: np.ndarray) -> np.ndarray:
        if sources:
            train = train & np.isin(memory.sources, sources)
        train_rows = np.flatnonzero(train)
        model = fit_logistic(design(memory, train_rows, train), memory.labels[train_rows], l2)
        return model.log_odds(design(memory, rows, train))

    trained = f", fitted on {'+'.join(sources)} only" if sources else ""
    score.__name__ = f"logistic [{feature_set}] l2={l2}{trained}"
    return score


CANDIDATES = [
    nn_margin,
    knn_weighted(5, 0.05),
    knn_weighted(10, 0.02),
    knn_weighted(10, 0.05),
    knn_weighted(20, 0.02),
    shipped,
    shipped_without_development_sets,
    knn_weighted(20, 0.1),
    knn_weighted(30, 0.05),
    knn_weighted(50, 0.05),
    centroid_margin,
    logistic("knn", 1.0),
    logistic("knn", 10.0),
    logistic("knn-corpus", 1.0),
    logistic("knn+vote", 1.0),
    logistic("knn+len", 1.0),
    logistic("knn+sq", 10.0),
    logistic("knn", 1.0, ("examples", "cards")),
    logistic("emb", 1.0),
    logistic("knn+emb", 1.0),
]


def cross_validate(memory: Memory, score_fn) -> np.ndarray:
    """Out-of-fold scores: each group scored by a judge fitted without it."""
    scores = np.zeros(len(memory.labels))
    for g in np.unique(memory.groups):
        held = memory.groups == g
        scores[held] = score_fn(memory, ~held, np.flatnonzero(held))
    return scores


def fold_thresholds(memory: Memory, scores: np.ndarray, by_length: bool) -> np.ndarray:
    """Each group's threshold picked from the other groups' out-of-fold scores (never its own):
    one for all, or one per length bucket (as shipped)."""
    out = np.zeros(len(scores))
    for g in np.unique(memory.groups):
        held = memory.groups == g
        calibrate = ~held & np.isin(memory.sources, REPORT_SOURCES) & ~memory.ruled
        if by_length:
            pair = bucket_thresholds(
                scores[calibrate], memory.labels[calibrate], memory.words[calibrate]
            )
            out[held] = pair[length_bucket(memory.words[held])]
        else:
            out[held] = pick_threshold(
                scores[calibrate], memory.labels[calibrate], IN_DECLINE_TARGET
            )
    return out


def rates(memory: Memory, scores, threshold, sources, kind="") -> tuple[int, int, int, int]:
    """(in-scope declined, in-scope, out-of-scope answered, out-of-scope) over `sources`."""
    pick = np.isin(memory.sources, sources) & ~memory.ruled
    if kind:
        pick &= memory.kinds == kind
    inside, outside = pick & (memory.labels == 1), pick & (memory.labels == 0)
    return (
        int((scores[inside] <= threshold[inside]).sum()),
        int(inside.sum()),
        int((scores[outside] > threshold[outside]).sum()),
        int(outside.sum()),
    )


def load_memory() -> tuple[Memory, list]:
    settings = get_settings()
    anchors = ScopeAnchors.load(settings.index_dir / "scope.npz")
    items = labelled_questions(settings.knowledge_dir)
    glossary = Glossary.load(settings.knowledge_dir / "glossary.yaml")
    if [glossary.annotate(it.text) for it in items] != anchors.texts.tolist():
        sys.exit("index/scope.npz is not from these knowledge/ files: run `python -m ingest`")
    _, groups = np.unique([it.group for it in items], return_inverse=True)
    memory = Memory(
        vectors=anchors.vectors.astype(np.float64),
        sims=anchors.vectors.astype(np.float64) @ anchors.vectors.T.astype(np.float64),
        labels=anchors.labels.astype(np.int64),
        groups=groups,
        sources=np.array([it.source for it in items]),
        kinds=np.array([it.kind for it in items]),
        card=np.array([it.source == "cards" for it in items]),
        ruled=np.array([rule_reason(it.text) is not None for it in items]),
        corpus=anchors.corpus.astype(np.float64),
        lengths=np.log1p([len(it.text.split()) for it in items]),
        words=np.array([len(it.text.split()) for it in items]),
    )
    return memory, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", default="", help="candidates whose name contains this")
    parser.add_argument("--misses", action="store_true", help="list each candidate's misses")
    args = parser.parse_args()
    memory, items = load_memory()
    rows = []
    for fn in [c for c in CANDIDATES if args.only in c.__name__]:
        scores = cross_validate(memory, fn)
        for by_length in (False, True):
            thresholds = fold_thresholds(memory, scores, by_length)
            row: dict = {
                "candidate": fn.__name__,
                "threshold": "per length" if by_length else "one",
            }
            for name, sources, kind in COLUMNS:
                row[name] = rates(memory, scores, thresholds, sources, kind)
            real = row["dev real"]
            row["dev other"] = tuple(a - b for a, b in zip(row["dev other"], real, strict=True))
            rows.append(row)
            if args.misses:
                print(f"-- misses of {fn.__name__}, {row['threshold']} threshold")
                for i, it in enumerate(items):
                    if it.source == "cards" or memory.ruled[i]:
                        continue
                    if (scores[i] > thresholds[i]) != bool(memory.labels[i]):
                        verdict = "declined" if memory.labels[i] else "answered"
                        print(f"  {it.source:<8} {verdict} {it.text[:100]!r}")
        if fn is nn_margin:
            rows.append(
                {
                    "candidate": fn.__name__,
                    "threshold": "margin 0.02 (as shipped before)",
                    **{
                        name: rates(memory, scores, np.full(len(scores), 0.02), sources, kind)
                        for name, sources, kind in COLUMNS
                    },
                }
            )
            margin = rows[-1]
            margin["dev other"] = tuple(
                a - b for a, b in zip(margin["dev other"], margin["dev real"], strict=True)
            )
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(
        f"{len(items)} labelled questions in {len(np.unique(memory.groups))} groups "
        "(test.yaml never read); cells: in-scope declined / in-scope · out-of-scope answered / out"
    )
    print("| candidate | threshold | dev real | dev other | legacy | examples | all questions |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        cells = [f"{v[0]}/{v[1]} · {v[2]}/{v[3]}" for k, v in row.items() if isinstance(v, tuple)]
        print(f"| {row['candidate']} | {row['threshold']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
