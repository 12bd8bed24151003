"""Labelled questions → the fitted scope judge (index/scope.npz).

The labelled questions (bot/knowledge/scope_data.py: scope examples, card phrasings, the
development sets; never the test set) are embedded as the cards' phrasings are (the glossary's
annotation; a text embedded before is reused), and the vote's thresholds are calibrated by
grouped cross-validation (bot/knowledge/scope_model.py). Each question's best cosine to the
corpus is kept too, for the candidates benchmarks/scope_cv.py compares. Deterministic: the
same files give the same model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bot.knowledge.embedder import Embedder
from bot.knowledge.glossary import Glossary
from bot.knowledge.scope_anchors import ScopeAnchors
from bot.knowledge.scope_data import labelled_questions
from bot.knowledge.scope_model import (
    IN_DECLINE_TARGET,
    LONG_WORDS,
    TWIN,
    VOTE_K,
    VOTE_TEMPERATURE,
    fit_scope,
)
from bot.knowledge.scope_rules import DISCLAIMED, INJECTION, SMALLTALK, rule_reason
from ingest.cards import embed_new_only

SCOPE_FORMAT = 4  # bump when the model's features or fitting change: old files are refitted


def _known_vectors(path: Path) -> dict[str, np.ndarray]:
    try:
        old = ScopeAnchors.load(path)
        return dict(zip(old.texts.tolist(), old.vectors, strict=True))
    except (OSError, KeyError, ValueError):
        return {}


def build_scope(
    knowledge_dir: Path,
    index_dir: Path,
    glossary: Glossary,
    get_embedder: Callable[[], Embedder],
    corpus_vectors: np.ndarray,
) -> ScopeAnchors:
    """Embed the labelled questions, fit the judge, write index/scope.npz."""
    path = index_dir / "scope.npz"
    stamp = index_dir / "scope.digest"
    items = labelled_questions(knowledge_dir)
    texts = [glossary.annotate(it.text) for it in items]
    wanted = _digest(items, texts, corpus_vectors)
    if path.exists() and stamp.exists() and stamp.read_text() == wanted:
        try:
            return ScopeAnchors.load(path)  # the same inputs make the same model: nothing to do
        except (OSError, KeyError, ValueError):
            pass
    vectors = embed_new_only(texts, _known_vectors(path), get_embedder)
    labels = np.array([it.in_scope for it in items], dtype=np.int8)
    example = np.array([it.source == "examples" and it.in_scope for it in items], dtype=bool)
    corpus = (
        (vectors @ corpus_vectors.T).max(1)
        if len(corpus_vectors) and len(vectors)
        else np.zeros(len(items), np.float32)
    )
    anchors = ScopeAnchors(vectors, labels, example, np.asarray(texts, dtype=str), corpus)
    if len(set(labels.tolist())) == 2:
        _, groups = np.unique([it.group for it in items], return_inverse=True)
        # Rows a rule settles never reach the judge, and card phrasings are easy: the
        # threshold is calibrated on the other questions.
        calibrate = np.array(
            [it.source != "cards" and rule_reason(it.text) is None for it in items], dtype=bool
        )
        words = np.array([len(it.text.split()) for it in items])
        anchors.thresholds = fit_scope(vectors, labels, groups, calibrate, words).thresholds
    anchors.save(path)
    stamp.write_text(wanted)
    return anchors


def _digest(items: list, texts: list[str], corpus_vectors: np.ndarray) -> str:
    """What the model depends on: the labelled questions, as embedded, and the corpus."""
    rules = (SMALLTALK.pattern, INJECTION.pattern, DISCLAIMED.pattern)  # they filter the items
    recipe = (SCOPE_FORMAT, VOTE_K, VOTE_TEMPERATURE, TWIN, IN_DECLINE_TARGET, LONG_WORDS, rules)
    h = hashlib.sha256(f"{recipe}\n".encode())
    for item, text in zip(items, texts, strict=True):
        h.update(f"{text}\t{item.in_scope}\t{item.group}\t{item.source}\n".encode())
    h.update(np.ascontiguousarray(corpus_vectors, dtype=np.float32).tobytes())
    return h.hexdigest()
