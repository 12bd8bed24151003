"""The fitted scope judge: built from knowledge/ files deterministically, calibrated as stated,
never from the held-out set, and deciding sensibly on questions nobody labelled."""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pytest

from bot.config import PROJECT_ROOT
from bot.knowledge.glossary import Glossary
from bot.knowledge.scope_anchors import ScopeAnchors
from bot.knowledge.scope_data import labelled_questions
from bot.knowledge.scope_model import (
    LONG_WORDS,
    VOTE_K,
    bucket_thresholds,
    in_context,
    knn_vote,
    pick_threshold,
)
from ingest.scope import build_scope

CANARY = "zebra canary question that only the held-out file holds"


class HashEmbedder:
    """Deterministic stand-in vectors: texts sharing words point the same way."""

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        rows = []
        for text in texts:
            v = np.zeros(384)
            for word in text.lower().split():
                seed = int(hashlib.sha256(word.encode()).hexdigest()[:8], 16)
                v += np.random.default_rng(seed).normal(size=384)
            rows.append(v / (np.linalg.norm(v) or 1.0))
        return np.asarray(rows, dtype=np.float32)


def knowledge_copy(tmp_path):
    """The shipped labelled files (scope examples, cards, development sets) and a fake test set."""
    root = tmp_path / "knowledge"
    (root / "eval").mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "knowledge/scope", root / "scope")
    shutil.copytree(PROJECT_ROOT / "knowledge/cards", root / "cards")
    shutil.copy(PROJECT_ROOT / "knowledge/glossary.yaml", root)
    for name in ("dev.yaml", "questions.yaml"):
        shutil.copy(PROJECT_ROOT / "knowledge/eval" / name, root / "eval")
    (root / "eval" / "test.yaml").write_text(
        f'questions:\n- q: "{CANARY}"\n  kind: paraphrase\n  coverage: covered\n'
    )
    return root


def test_labelled_questions_come_from_development_files_never_the_test_set(tmp_path):
    items = labelled_questions(knowledge_copy(tmp_path))
    assert CANARY not in {it.text for it in items}
    assert {it.source for it in items} == {"examples", "cards", "dev", "legacy"}
    assert {it.in_scope for it in items if it.source == "cards"} == {True}
    groups = {it.group for it in items if it.source == "examples"}
    assert "examples:out_of_scope:offer negotiation" in groups  # a family is held out whole


def test_the_model_is_rebuilt_from_files_deterministically(tmp_path):
    knowledge = knowledge_copy(tmp_path)
    glossary = Glossary.load(knowledge / "glossary.yaml")
    corpus = HashEmbedder().embed_documents(["build a machine learning portfolio of projects"])
    built = [
        build_scope(knowledge, tmp_path / name, glossary, HashEmbedder, corpus)
        for name in ("one", "two")
    ]
    again = ScopeAnchors.load(tmp_path / "one" / "scope.npz")
    for anchors in (built[1], again):
        assert np.array_equal(anchors.vectors, built[0].vectors)
        assert np.array_equal(anchors.thresholds, built[0].thresholds)
    assert len(built[0].labels) == len(labelled_questions(knowledge))

    # An edited file is a new model (and the file on disk follows it).
    path = knowledge / "scope" / "examples.yaml"
    path.write_text(
        path.read_text().replace("smalltalk:", '  - "who won the darts final"\n\nsmalltalk:')
    )
    edited = build_scope(knowledge, tmp_path / "one", glossary, HashEmbedder, corpus)
    assert len(edited.labels) == len(built[0].labels) + 1
    assert len(ScopeAnchors.load(tmp_path / "one" / "scope.npz").labels) == len(edited.labels)


def test_the_threshold_declines_at_most_the_target_share_of_in_scope_scores():
    scores = np.linspace(-1, 1, 100)
    labels = np.array([1] * 100)
    threshold = pick_threshold(scores, labels, 0.03)
    assert (scores <= threshold).sum() == 3


def test_long_questions_are_calibrated_apart():
    # Long posts score lower, in scope or not: one threshold would decline them all.
    short = np.linspace(0, 4, 100)
    long = short - 3
    scores = np.concatenate([short, long])
    words = np.array([5] * 100 + [LONG_WORDS + 10] * 100)
    thresholds = bucket_thresholds(scores, np.ones(200, dtype=int), words, 0.03)
    assert (short <= thresholds[0]).sum() == 3 and (long <= thresholds[1]).sum() == 3


def test_no_single_close_question_decides_the_vote():
    # One out-of-scope question a little nearer than many in-scope ones (the old 1-NN flip).
    labels = np.array([0] + [1] * (VOTE_K - 1) + [0] * 30)
    sims = np.array([[0.80] + [0.78] * (VOTE_K - 1) + [0.2] * 30])
    assert knn_vote(sims, labels)[0] > 0.9
    sims[0, 0] = 0.99  # an out-of-scope twin of the question does win
    assert knn_vote(sims, labels)[0] < 0.5


@pytest.mark.parametrize(
    "question",
    [
        "What's the best way to get rid of fruit flies in my kitchen?",
        "My internship offer letter says the stipend is 2000 a month, is it normal to ask for "
        "a higher stipend?",
        "explain how a convolutional layer works",
    ],
)
def test_questions_the_guide_does_not_answer_are_declined(answer_service, question):
    answer = answer_service.answer(question)
    assert not answer.in_scope and answer.kind in ("off_topic", "no_match")


def test_a_long_forum_post_about_what_the_guide_covers_is_answered(answer_service):
    post = (
        "Hey everyone, I'm a junior studying mechanical engineering and I've spent the last year "
        "learning Python and doing a few small data projects on my own. I don't have any real "
        "job experience in the field. What kind of projects would make my portfolio convincing "
        "enough to land a machine learning internship?"
    )
    answer = answer_service.answer(post)
    assert answer.in_scope and answer.sources


def test_a_part_read_in_context_is_a_unit_vector_between_the_part_and_the_message():
    part, whole = np.eye(4, dtype=np.float32)[0], np.eye(4, dtype=np.float32)[1]
    read = in_context(part, whole, weight=0.5)
    assert np.isclose(np.linalg.norm(read), 1.0)
    assert read @ part > read @ whole > 0  # the question leads, the message colours it
    assert np.allclose(in_context(part, whole, weight=0.0), part)
    assert np.isclose(
        in_context(part, whole, weight=1.0) @ part, in_context(part, whole, 1.0) @ whole
    )
