"""The torch-free query path gives the reference model's vectors and rankings."""

from __future__ import annotations

import numpy as np

from bot.config import PROJECT_ROOT
from bot.core.answers.evaluation import load_eval_set


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
    from bot.core.answers.service import AnswerService

    reference = AnswerService.open(built_settings, embedder)
    fast = AnswerService.open(built_settings, onnx_embedder)
    for item in load_eval_set(PROJECT_ROOT / "knowledge/eval/questions.yaml"):
        a, b = reference.answer(item.question), fast.answer(item.question)
        assert (a.kind, [s.passage_id for s in a.sources]) == (
            b.kind,
            [s.passage_id for s in b.sources],
        )
        assert np.isclose(a.top_score, b.top_score, atol=1e-3)


# Used by ingest or by nothing at run time; the query path is onnxruntime + numpy.
HEAVY_MODULES = (
    "torch",
    "sentence_transformers",
    "transformers",
    "scipy",
    "bm25s",
    "onnx",
    "langchain_core",
    "langchain",
    "huggingface_hub",
    "pandas",
)


def test_bot_process_never_imports_torch(built_settings):
    """Start-up of the real application plus answers: no torch, no sentence-transformers, no
    langchain (its seam is loaded only by who uses it)."""
    import os
    import subprocess
    import sys

    from bot.config import PROJECT_ROOT

    code = (
        f"HEAVY = {HEAVY_MODULES!r}\n"
        "import sys\n"
        "from bot.config import get_settings\n"
        "from bot.telegram.app import build_application\n"
        "app = build_application(get_settings())\n"
        "services = app.bot_data['services']\n"
        "services.answers.answer('kaggle worth it?')\n"
        "services.interview.grade(1, services.interview.bank[0].id, 'I would compare training and validation error.')\n"
        "heavy = sorted(m for m in HEAVY if m in sys.modules)\n"
        "print('HEAVY', heavy, services.answers.kb.embedder.name)\n"
    )
    env = {
        **os.environ,
        "CAREERBOT_DATA_DIR": str(built_settings.data_dir),
        "CAREERBOT_KNOWLEDGE_DIR": str(built_settings.knowledge_dir),
        "TELEGRAM_BOT_TOKEN": "123:abc",
        "CAREERBOT_DATABASE_URL": "sqlite://",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY [] onnxruntime" in result.stdout


def test_missing_onnx_falls_back_to_sentence_transformers(tmp_path, caplog):
    from bot.knowledge.onnx_embedder import load_query_embedder

    embedder = load_query_embedder(tmp_path / "no-index")
    assert embedder.name == "sentence-transformers"
    assert "no ONNX model" in caplog.text
    broken = tmp_path / "broken"
    from bot.knowledge.onnx_embedder import onnx_file

    onnx_file(broken).parent.mkdir(parents=True)
    onnx_file(broken).write_bytes(b"not an onnx model")
    assert load_query_embedder(broken).name == "sentence-transformers"
    assert "ONNX model unusable" in caplog.text


def test_fused_graph_with_mapped_weights_and_older_builds_are_rebuilt(
    built_settings, tmp_path, caplog
):
    import json
    import shutil

    import onnx

    from bot.knowledge.onnx_embedder import (
        load_query_embedder,
        onnx_data_file,
        onnx_file,
        onnx_is_built,
    )

    built = built_settings.index_dir
    assert onnx_is_built(built)
    assert onnx_file(built).stat().st_size < 2_000_000 < onnx_data_file(built).stat().st_size
    graph = onnx.load(str(onnx_file(built)), load_external_data=False).graph
    ops = {node.op_type for node in graph.node}
    assert {"Attention", "SkipLayerNormalization"} <= ops  # onnxruntime's fused kernels

    older = tmp_path / "older"  # what an earlier release left: same files, older recipe
    shutil.copytree(onnx_file(built).parent, onnx_file(older).parent)
    stamp = onnx_file(older).parent / "built.json"
    stamp.write_text(json.dumps({**json.loads(stamp.read_text()), "recipe": 1}))
    assert not onnx_is_built(older)  # so ingest's --if-stale rebuilds it
    # The files still load; the bot's start-up check refuses them (test_index_versioning).
    assert load_query_embedder(older).name == "onnxruntime"

    lost = tmp_path / "lost-weights"  # graph without its weights: warn, fall back, keep serving
    shutil.copytree(onnx_file(built).parent, onnx_file(lost).parent)
    onnx_data_file(lost).unlink()
    assert not onnx_is_built(lost)
    assert load_query_embedder(lost).name == "sentence-transformers"
    assert "ONNX model unusable" in caplog.text
