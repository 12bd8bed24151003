"""`careerbot run --webhook`: updates pushed over HTTP with the secret token are served."""

from __future__ import annotations

import socket

import aiohttp
from pydantic import SecretStr

from bot.telegram.app import webhook_options


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_serves_updates_and_rejects_a_wrong_secret(fake_api, make_bot):
    port = free_port()
    app = make_bot(
        webhook_url=f"https://bot.example.org:{port}",
        webhook_port=port,
        webhook_listen="127.0.0.1",
        webhook_secret=SecretStr("s3cret-token"),
    )
    options = webhook_options(app.bot_data["services"].settings)
    user = fake_api.user(80)
    update = fake_api.send_text(80, "kaggle worth it?")  # queued for polling; we push it instead
    await app.initialize()
    await app.start()
    await app.updater.start_webhook(**options)
    try:
        assert fake_api.webhook_url == f"https://bot.example.org:{port}/telegram"
        url = f"http://127.0.0.1:{port}/telegram"
        body = {"update_id": 999001, "message": update}
        async with aiohttp.ClientSession() as http:
            wrong = await http.post(
                url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
            )
            right = await http.post(
                url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            )
        assert wrong.status == 403 and right.status == 200
        [answer] = await fake_api.wait_for_messages(user.chat_id, 1)
        assert "Kaggle" in answer.text
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_a_rejected_token_is_never_printed(fake_api, built_settings, tmp_path):
    """`careerbot run` with a token Telegram refuses: a clear error, exit 2, no token."""
    import asyncio
    import os
    import sys

    from bot.config import PROJECT_ROOT

    token = "987654:THIS-TOKEN-IS-WRONG-xyz"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": fake_api.base_url,
        "TELEGRAM_BASE_FILE_URL": fake_api.base_file_url,
        "CAREERBOT_DATA_DIR": str(built_settings.data_dir),
        "CAREERBOT_KNOWLEDGE_DIR": str(built_settings.knowledge_dir),
        "CAREERBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=PROJECT_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    output = (stdout + stderr).decode()
    assert process.returncode == 2
    assert "rejected the bot token" in output
    assert token not in output and "THIS-TOKEN-IS-WRONG" not in output
