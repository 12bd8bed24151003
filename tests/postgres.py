"""A PostgreSQL server for the test session: the one CAREERBOT_TEST_POSTGRES_URL names (CI
starts it, see .ci/run), else a throwaway cluster started here with the installed server's
`initdb` and `pg_ctl`. Each test gets a fresh database made from a migrated template."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

URL_VARIABLE = "CAREERBOT_TEST_POSTGRES_URL"
TEMPLATE = "careerbot_template"


class PostgresUnavailable(RuntimeError):
    pass


def _server_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise PostgresUnavailable(
            f"the PostgreSQL tests need a server: set {URL_VARIABLE} to one "
            "(postgresql+psycopg://user@127.0.0.1:5432/db), or install Debian's "
            "`postgresql` package so the tests can start a throwaway cluster"
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayCluster:
    """initdb + pg_ctl in a temporary directory, trust auth, listening on 127.0.0.1 only."""

    def __init__(self) -> None:
        self.bin = _server_bin()
        self.root = Path(tempfile.mkdtemp(prefix="careerbot-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        # The server refuses to run as root: then it runs as the `postgres` system user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.as_user, *args], check=True, capture_output=True, text=True, timeout=120
        )

    def start(self) -> URL:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -F -c max_connections=200"
        log = str(self.root / "server.log")
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start"
        )
        return make_url(f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres")

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class PostgresServer:
    """Databases on one server: `new_database()` returns the URL of a fresh, migrated one."""

    def __init__(self, url: URL, cluster: ThrowawayCluster | None = None) -> None:
        self.url = url
        self.cluster = cluster
        self._admin = create_engine(url, isolation_level="AUTOCOMMIT")
        self._template_ready = False

    @classmethod
    def start(cls) -> PostgresServer:
        configured = os.environ.get(URL_VARIABLE)
        if configured:
            return cls(make_url(configured))
        cluster = ThrowawayCluster()
        try:
            return cls(cluster.start(), cluster)
        except subprocess.CalledProcessError as exc:
            cluster.stop()
            raise PostgresUnavailable(
                f"could not start a throwaway PostgreSQL cluster: {exc.stderr or exc}"
            ) from exc

    def _create(self, name: str, template: str) -> str:
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def empty_database(self) -> str:
        return self._create(f"t_{uuid.uuid4().hex[:16]}", "template0")

    def new_database(self) -> str:
        """A fresh database at the newest schema revision."""
        if not self._template_ready:
            from bot.core.store import schema

            with self._admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE}"'))
            engine = create_engine(self._create(TEMPLATE, "template0"))
            schema.upgrade(engine)
            engine.dispose()
            self._template_ready = True
        return self._create(f"t_{uuid.uuid4().hex[:16]}", TEMPLATE)

    def close(self) -> None:
        self._admin.dispose()
        if self.cluster is not None:
            self.cluster.stop()
