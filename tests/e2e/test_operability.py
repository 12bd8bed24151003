"""What an operator relies on: a log line per update (no text, no token), /healthz, and a
re-ingest served by the running bot."""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import socket

import aiohttp

from bot.telegram.app import HEALTH_PORT
from tests.e2e.conftest import serving as polling
from tests.unit.resume.samples import PROJECTS_HEAVY


def update_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.telegram.updates"]


UPDATE_LINE = re.compile(r"^update user=([0-9a-f]{16}) kind=(\S+) latency_ms=(\d+\.\d)$")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_until(predicate, timeout: float = 10.0) -> None:
    """Poll a condition (log records, a swapped index) until it holds, or fail."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_one_line_per_update_with_a_hashed_user_and_never_the_text(
    fake_api, make_bot, caplog
):
    caplog.set_level(logging.INFO)  # every logger, libraries included
    secret_words = "zebra-quokka-7731"
    user = fake_api.user(770077, "Ada")
    async with polling(make_bot()):
        user.send_text(f"is kaggle worth it? {secret_words}")
        await fake_api.wait_for_messages(user.chat_id, 1)
        user.send_text("/help")
        await fake_api.wait_for_messages(user.chat_id, 2)
        user.send_text(f"/{secret_words}")  # not a command of ours: not named in the log
        await fake_api.wait_for_messages(user.chat_id, 3)
        resume = PROJECTS_HEAVY + f"\nSkills\nPython, {secret_words.upper()}\n"
        user.send_document("cv.txt", resume.encode(), "text/plain")
        await fake_api.wait_for_messages(user.chat_id, 4)
        await wait_until(lambda: len(update_lines(caplog)) >= 4)
    first, second, third = (UPDATE_LINE.match(line) for line in update_lines(caplog)[:3])
    assert first and second and third, update_lines(caplog)
    assert first[1] == second[1] == third[1] != "770077"  # the same user, never the id itself
    assert first[2] == "answer:answer" and second[2] == "command:/help"
    assert third[2] == "command:other"
    assert UPDATE_LINE.match(update_lines(caplog)[3])[2] == "document"
    everything = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert secret_words not in everything.lower() and "kaggle worth" not in everything.lower()
    assert "Tweet Sentiment" not in everything  # nor a word of the résumé
    assert fake_api.token not in everything and "770077" not in everything


async def test_healthz_is_200_when_serving_and_503_when_the_database_is_gone(
    fake_api, make_bot, bot_settings
):
    port = free_port()
    app = make_bot()
    app.bot_data[HEALTH_PORT] = port
    url = f"http://{bot_settings.webhook_listen}:{port}/healthz".replace("0.0.0.0", "127.0.0.1")
    async with polling(app), aiohttp.ClientSession() as http:
        async with http.get(url) as ok:
            body = await ok.json()
            assert ok.status == 200, body
        assert body["status"] == "ok" and body["database"] == "ok"
        assert body["index"]["passages"] > 10 and body["index"]["stamp"]
        # The SQLite file's directory disappears: new connections cannot open the database.
        store = app.bot_data["services"].store
        shutil.rmtree(bot_settings.data_dir)
        store.engine.dispose()
        async with http.get(url) as down:
            failed = await down.json()
            assert down.status == 503, failed
        assert failed["status"] == "unavailable" and failed["database"] == "unavailable"
        assert failed["problems"] == ["database: OperationalError"]
        bot_settings.data_dir.mkdir()  # for the conversations flushed at shutdown
    async with aiohttp.ClientSession() as http:  # and the server is gone with the bot
        try:
            await http.get(url)
            raise AssertionError("the health server outlived the bot")
        except aiohttp.ClientConnectionError:
            pass


async def test_the_running_bot_serves_a_reingest(fake_api, embedder, tmp_path):
    """The reload job notices the new manifest stamp and the next answer cites the new article."""
    from bot.core.answers.service import AnswerService
    from bot.core.services import Services
    from bot.knowledge.index import read_manifest
    from bot.telegram.app import build_application
    from tests.unit.index_helpers import MEETUPS, ingest, tiny_settings

    settings = tiny_settings(
        tmp_path,
        TELEGRAM_BOT_TOKEN=fake_api.token,
        TELEGRAM_BASE_URL=fake_api.base_url,
        TELEGRAM_BASE_FILE_URL=fake_api.base_file_url,
        CAREERBOT_RATE_LIMIT=0,
        CAREERBOT_INDEX_CHECK_SECONDS=0.2,
    )
    ingest(settings, embedder)
    services = Services.open(settings, answers=AnswerService.open(settings, embedder))
    question = "how do I get an internship referral from a machine learning meetup?"
    user = fake_api.user(4242)
    async with polling(build_application(settings, services)):
        user.send_text(question)
        [before] = await fake_api.wait_for_messages(user.chat_id, 1)
        assert "Meetups for Interns" not in before.text
        (settings.knowledge_dir / "articles" / "meetups.md").write_text(MEETUPS)
        await asyncio.to_thread(ingest, settings, embedder)
        stamp = read_manifest(settings)["stamp"]
        await wait_until(lambda: services.answers.kb.stamp == stamp)
        user.send_text(question)
        after = (await fake_api.wait_for_messages(user.chat_id, 2))[1]
        assert "Meetups for Interns" in after.text and "referral" in after.text


async def test_careerbot_run_webhook_serves_healthz(fake_api, built_settings, tmp_path):
    """The real `careerbot run --webhook`: /healthz answers 200 beside the webhook server."""
    import os
    import signal
    import sys

    from bot.config import PROJECT_ROOT

    webhook_port, health_port = free_port(), free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake_api.token,
        "TELEGRAM_BASE_URL": fake_api.base_url,
        "TELEGRAM_BASE_FILE_URL": fake_api.base_file_url,
        "CAREERBOT_DATA_DIR": str(built_settings.data_dir),
        "CAREERBOT_KNOWLEDGE_DIR": str(built_settings.knowledge_dir),
        "CAREERBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "CAREERBOT_WEBHOOK_URL": f"https://bot.example.org:{webhook_port}",
        "CAREERBOT_WEBHOOK_PORT": str(webhook_port),
        "CAREERBOT_WEBHOOK_LISTEN": "127.0.0.1",
        "CAREERBOT_HEALTH_PORT": str(health_port),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--webhook",
        cwd=PROJECT_ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{health_port}/healthz"
    try:
        async with aiohttp.ClientSession() as http:
            deadline = asyncio.get_running_loop().time() + 120
            while True:
                assert process.returncode is None, "careerbot run exited"
                try:
                    async with http.get(url) as response:
                        status, body = response.status, await response.json()
                        break
                except aiohttp.ClientConnectionError:
                    assert asyncio.get_running_loop().time() < deadline, "no /healthz in 120 s"
                    await asyncio.sleep(0.2)
        assert status == 200 and body["status"] == "ok", body
        assert fake_api.webhook_url == f"https://bot.example.org:{webhook_port}/telegram"
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert fake_api.token not in stderr.decode()
