"""Session-wide fixtures: the embedding model loads once, the seed index is built once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.config import ENV_FILE_VARIABLE, PROJECT_ROOT, get_settings

MACHINE_PREFIXES = ("CAREERBOT_", "CHROMA_", "TELEGRAM_")


def _isolate_from_machine(patch: pytest.MonkeyPatch) -> None:
    """No setting of this machine reaches a test: not the environment, not a `.env` file.

    Variables meant for the suite itself (`*_TEST_*`, e.g. CAREERBOT_TEST_POSTGRES_URL) stay.
    """
    for name in list(os.environ):
        if name.startswith(MACHINE_PREFIXES) and "_TEST_" not in name:
            patch.delenv(name)
    patch.setenv(ENV_FILE_VARIABLE, "")  # inherited by the CLI subprocesses tests start


@pytest.fixture(scope="session", autouse=True)
def isolated_session():
    """Before any session fixture builds settings (the seed index, the embedder)."""
    with pytest.MonkeyPatch.context() as patch:
        _isolate_from_machine(patch)
        yield


@pytest.fixture(autouse=True)
def isolated_test(monkeypatch):
    """Again per test: whatever an earlier test put into os.environ is gone."""
    _isolate_from_machine(monkeypatch)


@pytest.fixture(scope="session")
def embedder():
    """The reference sentence-transformers embedder (bundled offline model)."""
    from bot.knowledge.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def copy_knowledge(target: Path) -> Path:
    """A private copy of knowledge/ that a test may edit."""
    shutil.copytree(PROJECT_ROOT / "knowledge", target)
    return target


@pytest.fixture
def workspace(tmp_path):
    """Settings on a private copy of knowledge/ (a test may edit it) and an empty data dir."""
    knowledge = copy_knowledge(tmp_path / "knowledge")
    return get_settings(CAREERBOT_DATA_DIR=tmp_path / "data", CAREERBOT_KNOWLEDGE_DIR=knowledge)


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
