"""Start-up failures an operator will meet: one line naming what is wrong and the fix, a
non-zero exit, nothing written. Through the real CLI, in a subprocess."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import struct
import subprocess
import sys
import threading

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
            **telegram_env(),
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


def test_a_database_server_that_is_not_running(built_settings):
    port = closed_port()
    before = snapshot(built_settings.data_dir)
    url = f"postgresql+psycopg://careerbot:{SECRET}@127.0.0.1:{port}/careerbot"
    line = one_line(careerbot(built_settings, "run", **telegram_env(), CAREERBOT_DATABASE_URL=url))
    assert (
        f"cannot reach the database server at postgresql+psycopg://careerbot:***@127.0.0.1:{port}/careerbot"
        in line
    )
    assert "start it, or fix CAREERBOT_DATABASE_URL" in line and SECRET not in line
    assert snapshot(built_settings.data_dir) == before


def test_a_wrong_database_password(built_settings):
    """A server that asks for a password and refuses it, as PostgreSQL does (SQLSTATE 28P01)."""
    with refusing_postgres() as port:
        url = f"postgresql+psycopg://careerbot:{SECRET}@127.0.0.1:{port}/careerbot"
        before = snapshot(built_settings.data_dir)
        line = one_line(
            careerbot(built_settings, "run", **telegram_env(), CAREERBOT_DATABASE_URL=url)
        )
    assert "the database at postgresql+psycopg://careerbot:***@127.0.0.1" in line
    assert "rejected the user or password: fix CAREERBOT_DATABASE_URL" in line
    assert SECRET not in line
    assert snapshot(built_settings.data_dir) == before


def telegram_env() -> dict[str, str]:
    """A token and an endpoint nobody answers: start-up must fail before Telegram is asked."""
    return {
        "TELEGRAM_BOT_TOKEN": "123:abc",
        "TELEGRAM_BASE_URL": f"http://127.0.0.1:{closed_port()}/bot",
    }


@contextlib.contextmanager
def refusing_postgres():
    """Speaks just enough of PostgreSQL's protocol to ask for a password and refuse it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(60)

    def reply(conn: socket.socket) -> None:
        while True:  # SSL / GSSAPI encryption requests: "N", then the startup message follows
            length = struct.unpack("!I", conn.recv(4, socket.MSG_WAITALL))[0]
            body = conn.recv(length - 4, socket.MSG_WAITALL)
            if struct.unpack("!I", body[:4])[0] in (80877103, 80877104):
                conn.sendall(b"N")
                continue
            break
        conn.sendall(b"R" + struct.pack("!II", 8, 3))  # AuthenticationCleartextPassword
        conn.recv(1, socket.MSG_WAITALL)  # 'p'
        length = struct.unpack("!I", conn.recv(4, socket.MSG_WAITALL))[0]
        conn.recv(length - 4, socket.MSG_WAITALL)
        fields = b"SFATAL\0VFATAL\0C28P01\0" + (
            b'Mpassword authentication failed for user "careerbot"\0\0'
        )
        conn.sendall(b"E" + struct.pack("!I", len(fields) + 4) + fields)

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = server.accept()
                with conn, contextlib.suppress(OSError, struct.error):
                    reply(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()
        thread.join(timeout=5)


def test_a_database_migrated_by_a_newer_release(built_settings, tmp_path):
    """The rollback case: this release meets a schema revision it has never heard of."""
    from sqlalchemy import create_engine, text

    from bot.core.store import schema

    url = f"sqlite:///{tmp_path / 'newer.sqlite3'}"
    assert careerbot(built_settings, "db", "upgrade", CAREERBOT_DATABASE_URL=url).returncode == 0
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9001'"))
    engine.dispose()
    before = snapshot(tmp_path)
    for args in (["run"], ["db", "upgrade"]):
        line = one_line(
            careerbot(built_settings, *args, **telegram_env(), CAREERBOT_DATABASE_URL=url)
        )
        assert "the database is at revision 9001, newer than this careerbot knows" in line
        assert f"`careerbot db downgrade {schema.head_revision()}`" in line
    assert snapshot(tmp_path) == before


def test_db_downgrade_undoes_migrations_for_a_rollback(built_settings, tmp_path):
    from sqlalchemy import create_engine, inspect

    url = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    assert careerbot(built_settings, "db", "upgrade", CAREERBOT_DATABASE_URL=url).returncode == 0
    done = careerbot(built_settings, "db", "downgrade", "0001", CAREERBOT_DATABASE_URL=url)
    assert done.returncode == 0, done.stderr
    assert "revision 0001 (downgraded from 0002)" in done.stdout
    engine = create_engine(url)
    assert "chat_state" not in inspect(engine).get_table_names()  # 0002's table is gone
    engine.dispose()
    usage = careerbot(built_settings, "db", "downgrade", CAREERBOT_DATABASE_URL=url)
    assert usage.returncode == 2 and "give the REVISION" in usage.stderr
