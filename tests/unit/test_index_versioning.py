"""The bot serves only an index it can read: format, model, ONNX recipe, sizes all checked."""

from __future__ import annotations

import json

import pytest

from bot.core.answers.knowledge_base import KnowledgeBase
from bot.core.answers.service import AnswerService
from bot.knowledge.index import (
    FORMAT_VERSION,
    IndexMissingError,
    IndexProblem,
    check_manifest,
    chroma_client,
    collection_names,
    manifest_path,
    passages_path,
)
from bot.knowledge.onnx_embedder import EXPORT_RECIPE, onnx_dir
from ingest.cli import prune_other_formats
from tests.unit.index_helpers import copy_index, ingest, tiny_settings


@pytest.fixture(scope="module")
def tiny_built(tmp_path_factory, embedder):
    settings = tiny_settings(tmp_path_factory.mktemp("tiny"))
    ingest(settings, embedder)
    return settings


@pytest.fixture
def tiny(tiny_built, tmp_path):
    """A private copy of the tiny index that a test may break."""
    return copy_index(tiny_built, tmp_path)


def edit_manifest(settings, **changes) -> None:
    path = manifest_path(settings)
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def stored_passages(settings) -> int:
    client = chroma_client(settings)
    return client.get_collection(collection_names(settings)[0]).count()


def test_the_manifest_records_what_the_bot_checks(tiny, embedder):
    manifest = check_manifest(tiny)
    assert manifest["format"] == FORMAT_VERSION and manifest["passages"] == 1
    assert manifest["onnx_recipe"] is None  # this index was built without the export
    kb = KnowledgeBase.open(tiny, embedder)
    assert kb.stamp == manifest["stamp"] and len(kb.retriever.passages) == 1


def test_another_format_is_refused_naming_the_fix_and_nothing_is_deleted(tiny, embedder):
    edit_manifest(tiny, format=FORMAT_VERSION - 1)
    with pytest.raises(IndexProblem) as refused:
        KnowledgeBase.open(tiny, embedder)
    message = str(refused.value)
    assert f"format {FORMAT_VERSION - 1}" in message and f"format {FORMAT_VERSION}" in message
    assert "make ingest" in message and "\n" not in message
    assert stored_passages(tiny) == 1


def test_another_embedding_model_is_refused(tiny, embedder):
    edit_manifest(tiny, model="0.0.1")
    with pytest.raises(IndexProblem, match=r"embedded by model 0\.0\.1.*make ingest"):
        KnowledgeBase.open(tiny, embedder)


def test_an_onnx_export_of_another_recipe_is_refused_for_the_onnx_backend(tiny):
    folder = onnx_dir(tiny.index_dir)
    folder.mkdir(parents=True)
    (folder / "model.onnx").write_bytes(b"an older release's graph")
    (folder / "built.json").write_text(json.dumps({"recipe": EXPORT_RECIPE - 1}))
    with pytest.raises(IndexProblem, match=rf"export recipe {EXPORT_RECIPE - 1}.*make ingest"):
        check_manifest(tiny, onnx_backend=True)
    assert check_manifest(tiny, onnx_backend=False)["format"] == FORMAT_VERSION


def test_passages_json_missing_a_field_is_a_clear_message_not_a_type_error(tiny, embedder):
    rows = json.loads(passages_path(tiny).read_text())
    del rows[0]["slot"]
    passages_path(tiny).write_text(json.dumps(rows))
    with pytest.raises(IndexProblem, match=r"passages\.json: passage 0 lacks the field slot"):
        KnowledgeBase.open(tiny, embedder)


def test_side_files_and_chroma_out_of_step_are_refused(tiny, embedder):
    client = chroma_client(tiny)
    passages = client.get_collection(collection_names(tiny)[0])
    passages.delete(ids=passages.get()["ids"])
    with pytest.raises(IndexProblem, match=r"holds 0 passages.*side files 1.*make ingest"):
        KnowledgeBase.open(tiny, embedder)


def test_a_missing_collection_is_refused_and_not_created(tiny, embedder):
    chroma_client(tiny).delete_collection(collection_names(tiny)[1])
    with pytest.raises(IndexProblem, match=r"has no collection careerbot_v\d+_sentences"):
        KnowledgeBase.open(tiny, embedder)
    names = [c.name for c in chroma_client(tiny).list_collections()]
    assert collection_names(tiny)[1] not in names


def test_no_index_at_all(tmp_path, embedder):
    settings = tiny_settings(tmp_path)
    with pytest.raises(IndexMissingError, match="no knowledge index.*make ingest"):
        AnswerService.open(settings, embedder)


def test_ingest_of_a_new_format_keeps_the_old_collections_until_pruned(tmp_path, embedder):
    """An older release's index (its collections, its manifest) survives the new release's
    ingest, which builds beside it; only `--prune-old` deletes it."""
    settings = tiny_settings(tmp_path)
    client = chroma_client(settings)
    old = client.create_collection("careerbot_passages", embedding_function=None)
    old.add(ids=["p-old"], embeddings=[[0.1] * 384], documents=["an old passage"])
    manifest_path(settings).parent.mkdir(parents=True)
    manifest_path(settings).write_text(json.dumps({"format": 4, "passages": 1}))

    summary = ingest(settings, embedder)

    assert summary.other_formats == ["careerbot_passages"]
    assert client.get_collection("careerbot_passages").get()["ids"] == ["p-old"]
    assert check_manifest(settings)["format"] == FORMAT_VERSION
    assert stored_passages(settings) == 1
    assert prune_other_formats(settings) == ["careerbot_passages"]
    assert {c.name for c in client.list_collections()} == set(collection_names(settings))


def test_make_ingest_repairs_what_the_bot_refuses(tiny, embedder):
    """`make ingest` (`--if-stale`) must not call an index current that the bot would refuse."""
    from ingest.pipeline import index_is_stale

    chroma_client(tiny).delete_collection(collection_names(tiny)[1])
    assert index_is_stale(tiny)
    ingest(tiny, embedder)
    assert len(KnowledgeBase.open(tiny, embedder).retriever.passages) == 1


def test_a_keyword_index_of_other_passages_is_rebuilt_in_memory(tiny, embedder, caplog):
    import dataclasses
    import shutil

    from bot.knowledge.index import read_passages
    from bot.knowledge.keyword_index import KeywordIndex

    other = [dataclasses.replace(p, id="p-another") for p in read_passages(tiny)]
    shutil.rmtree(tiny.index_dir / "bm25")
    KeywordIndex.build(other).save(tiny.index_dir / "bm25")
    kb = KnowledgeBase.open(tiny, embedder)
    assert "rebuilding it in memory" in caplog.text
    assert list(kb.retriever.keywords.passage_ids) == list(kb.retriever.passages)


def test_answer_cards_of_another_version_are_a_clear_message(tiny, embedder):
    from bot.knowledge.cards import cards_path, vectors_path

    vectors_path(tiny.index_dir).write_bytes(b"")  # present, so the cards are read
    cards_path(tiny.index_dir).write_text(json.dumps([{"id": "c1", "unknown": 1}]))
    with pytest.raises(IndexProblem, match=r"answer cards under .* unreadable.*make ingest"):
        AnswerService.open(tiny, embedder)
