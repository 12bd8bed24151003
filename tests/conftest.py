"""Session-wide fixtures: the embedding model loads once, the seed index is built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, get_settings


@pytest.fixture(scope="session")
def embedder():
    """The reference sentence-transformers embedder (bundled offline model)."""
    from bot.knowledge.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def copy_knowledge(target: Path) -> Path:
    """A private copy of knowledge/ that a test may edit."""
    shutil.copytree(PROJECT_ROOT / "knowledge", target)
    return target


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory, embedder):
    """Settings whose data dir holds an index of the shipped knowledge (ingested once)."""
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("careerbot")
    settings = get_settings(
        CAREERBOT_DATA_DIR=root / "data", CAREERBOT_KNOWLEDGE_DIR=copy_knowledge(root / "knowledge")
    )
    summary = run_ingest(settings, lambda: embedder, progress=False)
    assert summary.errors == []
    return settings


@pytest.fixture(scope="session")
def onnx_embedder(built_settings):
    from bot.knowledge.onnx_embedder import OnnxEmbedder, onnx_file

    return OnnxEmbedder(onnx_file(built_settings.index_dir))


@pytest.fixture(scope="session")
def answer_service(built_settings, onnx_embedder):
    from bot.core.answers.service import AnswerService

    return AnswerService.open(built_settings, onnx_embedder)


@pytest.fixture(scope="session")
def postgres():
    """The session's PostgreSQL server (see tests/postgres.py); never skipped: fails clearly."""
    from tests.postgres import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer.start()
    except PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """An empty user-state database: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'careerbot.sqlite3'}"
    return request.getfixturevalue("postgres").new_database()
