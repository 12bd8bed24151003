"""The torch-free query path gives the reference model's vectors and rankings."""
from __future__ import annotations

import numpy as np

from bot.config import PROJECT_ROOT
from bot.core.evaluation import load_eval_set


def _questions() -> list[str]:
    import yaml

    labelled = [q.question for q in load_eval_set(PROJECT_ROOT / "knowledge/eval/questions.yaml")]
    anchors = yaml.safe_load((PROJECT_ROOT / "knowledge/scope/examples.yaml").read_text())
    return labelled + anchors["in_scope"] + anchors["out_of_scope"] + anchors["smalltalk"]


def test_onnx_vectors_match_sentence_transformers(embedder, onnx_embedder):
    questions = _questions()
    assert len(questions) >= 200
    reference = embedder.embed_documents(questions)
    fast = onnx_embedder.embed_documents(questions)
    cosines = (reference * fast).sum(axis=1)
    assert cosines.min() >= 0.9999
    single = onnx_embedder.embed_query(questions[0])  # unpadded single query agrees too
    assert float(single @ reference[0]) >= 0.9999


def test_onnx_gives_the_same_retrieval_ranking(built_settings, embedder, onnx_embedder):
    from bot.core.service import AnswerService

    reference = AnswerService.open(built_settings, embedder)
    fast = AnswerService.open(built_settings, onnx_embedder)
    for item in load_eval_set(PROJECT_ROOT / "knowledge/eval/questions.yaml"):
        a, b = reference.answer(item.question), fast.answer(item.question)
        assert (a.kind, [s.passage_id for s in a.sources]) == (b.kind, [s.passage_id for s in b.sources])
        assert np.isclose(a.top_score, b.top_score, atol=1e-3)
