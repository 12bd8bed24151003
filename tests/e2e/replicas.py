"""Bot replicas as separate processes in webhook mode, behind a round-robin load balancer
that pushes the fake Bot API's updates to them the way Telegram pushes to a webhook URL."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from bot.config import PROJECT_ROOT
from tests.e2e.fake_bot_api import FakeBotApi

SECRET = "replica-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def private_data_dir(source: Path, target: Path) -> Path:
    """A replica's own data dir: Chroma copied (it writes), the index hard-linked (read-only)."""
    shutil.copytree(source / "chroma", target / "chroma")
    shutil.copytree(source / "index", target / "index", copy_function=os.link)
    return target


class BotReplica:
    """`python -m bot run --webhook` with its own port and data dir, sharing the database."""

    def __init__(self, name: str, workdir: Path, env: dict[str, str]) -> None:
        self.name = name
        self.port = free_port()
        self.workdir = workdir
        self.log_path = workdir / f"{name}.log"
        self.env = {
            **env,
            "CAREERBOT_WEBHOOK_URL": f"http://127.0.0.1:{self.port}",
            "CAREERBOT_WEBHOOK_PORT": str(self.port),
            "CAREERBOT_WEBHOOK_LISTEN": "127.0.0.1",
            "CAREERBOT_WEBHOOK_SECRET": SECRET,
            "CAREERBOT_HEALTH_PORT": str(free_port()),  # replicas on one machine: one port each
            "PYTHONPATH": str(PROJECT_ROOT),
        }
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram"

    async def start(self, timeout: float = 180) -> BotReplica:
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--webhook",
            cwd=self.workdir,  # no .env from the developer's checkout
            env=self.env,
            stdout=log,
            stderr=log,
        )
        log.close()
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if self.process.returncode is not None:
                raise AssertionError(f"replica {self.name} exited: {self.log_tail()}")
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return self
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"replica {self.name} not listening: {self.log_tail()}")
            await asyncio.sleep(0.2)

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def kill(self) -> None:
        """kill -9: no shutdown, no flush, in the middle of whatever it was doing."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.terminate()
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


class LoadBalancer:
    """Round robin over the replicas; a replica that refuses the connection is down, so the
    update goes to the next one (a load balancer's health check, in short)."""

    def __init__(self, api: FakeBotApi, replicas: list[BotReplica]) -> None:
        self.api = api
        self.replicas = replicas
        self.served_by: dict[int, str] = {}  # update_id -> replica name
        self._turn = 0
        self._task: asyncio.Task | None = None
        self._closing = False

    async def __aenter__(self) -> LoadBalancer:
        self._http = aiohttp.ClientSession()
        self._task = asyncio.create_task(self._pump())
        return self

    async def __aexit__(self, *exc: object) -> None:
        # A flag, not Task.cancel: Python 3.11's wait_for can swallow a cancellation that
        # races with the event it waits on (the fake sets its event on every API call).
        self._closing = True
        await self._task
        await self._http.close()

    async def _pump(self) -> None:
        while not self._closing:
            for update in await self.api.take_updates(timeout=0.5):
                await self._deliver(update)

    async def _deliver(self, update: dict) -> None:
        for attempt in range(len(self.replicas) * 20):
            replica = self.replicas[(self._turn + attempt) % len(self.replicas)]
            try:
                async with self._http.post(
                    replica.url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
                ) as response:
                    if response.status == 200:
                        self.served_by[update["update_id"]] = replica.name
                        self._turn += attempt + 1
                        return
            except aiohttp.ClientConnectionError:
                pass
            if attempt % len(self.replicas) == len(self.replicas) - 1:
                await asyncio.sleep(0.1)  # every replica refused: wait for one to come up
        raise AssertionError(f"no replica took update {update['update_id']}")
