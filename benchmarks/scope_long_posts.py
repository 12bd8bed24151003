"""Can any signal tell an answerable long post from an uncovered one? AUC under grouped CV.

For dev.yaml's real questions (English), short (≤ LONG_WORDS words) and long apart, each signal
is computed with the question's group and near-twins held out of the scope judge's neighbours
(as benchmarks/scope_cv.py does), and scored by its AUC: the chance that an answerable question
scores above an uncovered one (0.5 = no signal). Signals: the k-NN vote of the whole message
(shipped), of its questions (best, last, mean), of other cuts of a post (its first two
sentences, its last ones, its question sentences), the nearest card and the nearest passage.

    PYTHONPATH=. python -m ingest && PYTHONPATH=. python benchmarks/scope_long_posts.py
"""

from __future__ import annotations

from collections.abc import Callable

import common  # noqa: F401  (puts the project on sys.path)
import numpy as np

from benchmarks.scope_cv import load_memory
from bot.config import get_settings
from bot.core.answers.service import open_answer_service
from bot.knowledge.scope_model import LONG_WORDS, TWIN, knn_vote
from bot.knowledge.text import message_sentences


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    pos, neg = scores[labels == 1], scores[labels == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    above = (pos[:, None] > neg[None, :]).mean()
    return float(above + 0.5 * (pos[:, None] == neg[None, :]).mean())


def main() -> None:
    memory, items = load_memory()
    service = open_answer_service(get_settings())
    rows = [
        i
        for i, it in enumerate(items)
        if it.source == "dev" and it.kind == "real" and not memory.ruled[i]
    ]
    labels = memory.labels[rows]
    long = memory.words[rows] > LONG_WORDS
    prepared = [service.prepare(items[i].text) for i in rows]

    def held_out_vote(vectors: np.ndarray, row: int) -> np.ndarray:
        allowed = (memory.groups != memory.groups[row]) & (memory.sims[row] < TWIN)
        sims = vectors @ memory.vectors.T
        return knn_vote(np.where(allowed[None, :] & (sims < TWIN), sims, -1.0), memory.labels)

    def embed(texts: list[str]) -> np.ndarray:
        return service.embed([service._embedding_text(t) for t in texts])

    def cut(how: Callable[[str], str]) -> np.ndarray:
        vectors = embed([how(items[i].text) or items[i].text for i in rows])
        return np.array(
            [held_out_vote(v[None, :], i)[0] for v, i in zip(vectors, rows, strict=True)]
        )

    part_votes = []
    for p, i in zip(prepared, rows, strict=True):
        part_votes.append(held_out_vote(embed(p.parts), i) if p.parts else np.zeros(0))
    whole = np.array([held_out_vote(memory.vectors[i][None, :], i)[0] for i in rows])

    def of_parts(pick: Callable[[np.ndarray], float]) -> np.ndarray:
        return np.array([pick(v) if len(v) else w for v, w in zip(part_votes, whole, strict=True)])

    whole_vectors = memory.vectors[rows]
    part_vectors = [embed(p.parts) if p.parts else np.zeros((0, 384)) for p in prepared]

    def card(vectors: np.ndarray) -> float:
        """The nearest card phrasing's cosine to any of the vectors (-1 with none)."""
        return max((float(service.cards.scores(v).max()) for v in vectors), default=-1.0)

    signals = {
        "k-NN vote of the whole message (shipped)": whole,
        "best question's vote": of_parts(np.max),
        "last question's vote": of_parts(lambda v: v[-1]),
        "mean question vote": of_parts(np.mean),
        "the first two sentences' vote": cut(lambda t: " ".join(message_sentences(t)[:2])),
        "the last two sentences' vote": cut(lambda t: " ".join(message_sentences(t)[-2:])),
        "the question sentences' vote": cut(
            lambda t: " ".join(s for s in message_sentences(t) if "?" in s)
        ),
        "nearest card (whole)": np.array([card(v[None, :]) for v in whole_vectors]),
        "nearest card (best question)": np.array(
            [
                max(card(p), card(w[None, :]))
                for p, w in zip(part_vectors, whole_vectors, strict=True)
            ]
        ),
        "nearest passage (retrieval)": np.array(
            [
                service.kb.retriever.retrieve(p.text, w, k=5).top_dense
                for p, w in zip(prepared, whole_vectors, strict=True)
            ]
        ),
    }
    print(
        f"dev real, AUC under grouped CV: short {int((~long & (labels == 1)).sum())} in · "
        f"{int((~long & (labels == 0)).sum())} out, long {int((long & (labels == 1)).sum())} in · "
        f"{int((long & (labels == 0)).sum())} out"
    )
    print("| signal | short | long |\n|---|---|---|")
    for name, scores in signals.items():
        print(
            f"| {name} | {auc(scores[~long], labels[~long]):.2f} | {auc(scores[long], labels[long]):.2f} |"
        )


if __name__ == "__main__":
    main()
