"""Run only by test_isolation.py, in a pytest subprocess started with this machine's settings
set in the environment and in a `.env` of its working directory (not collected by `make test`)."""

from __future__ import annotations

import os

from bot.config import get_settings


def test_nothing_of_the_machine_is_visible() -> None:
    leaked = [
        name
        for name in os.environ
        if name.startswith(("CAREERBOT_", "CHROMA_", "TELEGRAM_"))
        and "_TEST_" not in name
        and name != "CAREERBOT_ENV_FILE"
    ]
    assert leaked == []
    assert os.environ["CAREERBOT_TEST_POSTGRES_URL"] == "postgresql://kept-for-the-db-fixtures"
    settings = get_settings()
    assert settings.chroma_host is None
    assert settings.llm_base_url is None and settings.telegram_bot_token is None
