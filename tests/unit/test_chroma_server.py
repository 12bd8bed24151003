"""Ingest and answers against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.config import get_settings
from bot.knowledge.index import chroma_client, collections
from ingest.pipeline import run_ingest
from tests.conftest import copy_knowledge


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    binary = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen(
        [
            str(binary),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("chroma run did not start") from None
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def test_ingest_and_answer_through_a_chroma_server(chroma_server, tmp_path, embedder):
    settings = get_settings(
        CAREERBOT_DATA_DIR=tmp_path / "data",
        CHROMA_HOST="127.0.0.1",
        CHROMA_PORT=chroma_server,
        CAREERBOT_KNOWLEDGE_DIR=copy_knowledge(tmp_path / "knowledge"),
    )
    first = run_ingest(settings, lambda: embedder, progress=False, build_onnx=False)
    assert first.added > 10
    assert not (tmp_path / "data" / "chroma").exists()  # nothing went to the embedded store
    passages, sentences = collections(chroma_client(settings), settings)
    assert passages.count() == first.added and sentences.count() > passages.count()
    again = run_ingest(settings, lambda: embedder, progress=False, build_onnx=False)
    assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, first.added)

    from bot.core.answers.service import AnswerService

    answer = AnswerService.open(settings, embedder).answer(
        "should my github projects have a readme"
    )
    assert answer.in_scope and "readme" in answer.text
