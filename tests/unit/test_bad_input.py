"""Start-up failures an operator will meet: one line naming what is wrong and the fix, a
non-zero exit, nothing written. Through the real CLI, in a subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
from sqlalchemy import exc as sa

from bot.config import PROJECT_ROOT
from bot.knowledge.index import FORMAT_VERSION, manifest_path
from bot.terminal.errors import database_problem
from tests.unit.index_helpers import snapshot

SECRET = "hunter2-not-this"


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def careerbot(settings, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "CAREERBOT_DATA_DIR": str(settings.data_dir),
        "CAREERBOT_KNOWLEDGE_DIR": str(settings.knowledge_dir),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=PROJECT_ROOT,
        timeout=300,
    )


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("careerbot: ")
    return line


def test_a_data_dir_from_another_version(built_settings, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(built_settings.data_dir, data)
    path = manifest_path(built_settings).relative_to(built_settings.data_dir)
    manifest = json.loads((data / path).read_text())
    (data / path).write_text(json.dumps({**manifest, "format": FORMAT_VERSION - 1}))
    before = snapshot(data)
    line = one_line(careerbot(built_settings, "ask", "--json", "hi", CAREERBOT_DATA_DIR=str(data)))
    assert f"format {FORMAT_VERSION - 1}" in line and "make ingest" in line
    assert snapshot(data) == before


def test_a_chroma_server_that_is_down(built_settings):
    port = closed_port()
    before = snapshot(built_settings.data_dir)
    line = one_line(
        careerbot(
            built_settings, "ask", "--json", "hi", CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(port)
        )
    )
    assert f"cannot reach the Chroma server at 127.0.0.1:{port}" in line
    assert "start it, or unset CHROMA_HOST" in line
    assert snapshot(built_settings.data_dir) == before


def test_a_database_path_that_cannot_exist(built_settings, tmp_path):
    before = snapshot(built_settings.data_dir)
    line = one_line(
        careerbot(
            built_settings,
            "run",
            TELEGRAM_BOT_TOKEN="123:abc",
            TELEGRAM_BASE_URL=f"http://127.0.0.1:{closed_port()}/bot",
            CAREERBOT_DATABASE_URL="sqlite:////dev/null/careerbot.sqlite3",
        )
    )
    assert "/dev/null/careerbot.sqlite3" in line and "CAREERBOT_DATABASE_URL" in line
    assert snapshot(built_settings.data_dir) == before


def test_a_bad_setting_is_named(built_settings):
    line = one_line(careerbot(built_settings, "ask", "hi", CAREERBOT_LOG_LEVEL="chatty"))
    assert "CAREERBOT_LOG_LEVEL" in line and "DEBUG, INFO" in line


# SQLAlchemy wraps the driver's error; these are psycopg's texts for the two usual mistakes.
@pytest.mark.parametrize(
    ("driver_text", "expected"),
    [
        (
            'connection failed: connection to server at "127.0.0.1", port 5999 failed: '
            "Connection refused\n\tIs the server running on that host?",
            "cannot reach the database server at postgresql+psycopg://careerbot:***@127.0.0.1:5999/cb",
        ),
        (
            'connection failed: connection to server at "127.0.0.1", port 5999 failed: FATAL:  '
            'password authentication failed for user "careerbot"',
            "rejected the user or password",
        ),
    ],
)
def test_database_errors_read_as_one_line_without_the_password(driver_text, expected):
    url = f"postgresql+psycopg://careerbot:{SECRET}@127.0.0.1:5999/cb"
    error = sa.OperationalError("SELECT 1", {}, Exception(driver_text))
    message = database_problem(error, url)
    assert expected in message and "CAREERBOT_DATABASE_URL" in message
    assert SECRET not in message and "\n" not in message
