"""End-to-end fixtures: a fake Bot API server per test, and PTB pointed at it.

The server and the bot must share one running event loop, so every async test under tests/e2e
runs in the session loop (the loop the async fixtures use, see pyproject.toml).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_asyncio
from pytest_asyncio import is_async_test
from telegram.ext import ApplicationBuilder

from tests.e2e.fake_bot_api import FakeBotApi, polling

_E2E_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if is_async_test(item) and _E2E_DIR in Path(item.fspath).parents:
            item.add_marker(session_loop, append=False)


@pytest_asyncio.fixture(loop_scope="session")
async def fake_api():
    """A started fake Bot API (.base_url, .base_file_url, .token); stopped after the test."""
    async with FakeBotApi() as api:
        yield api
    assert not api.internal_errors, f"the fake Bot API crashed: {api.internal_errors}"


@pytest.fixture
def app_builder(fake_api: FakeBotApi) -> ApplicationBuilder:
    """An ApplicationBuilder already pointed at `fake_api`; add handlers, then `polling(app)`."""
    return (
        ApplicationBuilder()
        .token(fake_api.token)
        .base_url(fake_api.base_url)
        .base_file_url(fake_api.base_file_url)
    )


@pytest.fixture
def state_backend() -> str:
    """Where the bot keeps user state: SQLite unless the module runs on both (see below)."""
    return "sqlite"


# Suites whose bots run twice, on SQLite and on PostgreSQL: the flows that keep state.
BOTH_DATABASES = {"test_quiz_flow", "test_conversation", "test_flows"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.module.__name__.rsplit(".", 1)[-1] in BOTH_DATABASES and (
        "state_backend" in metafunc.fixturenames
    ):
        metafunc.parametrize("state_backend", ["sqlite", "postgresql"])


@pytest.fixture
def bot_settings(built_settings, fake_api, tmp_path, state_backend, request):
    """Settings for a bot talking to the fake API, with its own user database."""
    from bot.config import get_settings

    database = {}
    if state_backend == "postgresql":
        database["CAREERBOT_DATABASE_URL"] = request.getfixturevalue("postgres").new_database()
    return get_settings(
        **database,
        TELEGRAM_BOT_TOKEN=fake_api.token,
        TELEGRAM_BASE_URL=fake_api.base_url,
        TELEGRAM_BASE_FILE_URL=fake_api.base_file_url,
        CAREERBOT_DATA_DIR=tmp_path / "data",
        CAREERBOT_KNOWLEDGE_DIR=built_settings.knowledge_dir,
        CAREERBOT_ADMIN_IDS="900",
        CAREERBOT_RATE_LIMIT=0,
    )


@pytest.fixture
def make_bot(bot_settings, answer_service):
    """Build the real application (build_application) around the session's answer service."""
    from bot.core.services import Services
    from bot.telegram.app import build_application

    def make(**overrides):
        settings = bot_settings.model_copy(update=overrides) if overrides else bot_settings
        # Each bot gets its own index paths from the session build, and its own database.
        settings.__dict__["index_dir"] = answer_service.kb.settings.index_dir
        return build_application(settings, Services.open(settings, answers=answer_service))

    return make


# The real application is served the way run_polling serves it.
serving = polling


async def settled(fake_api: FakeBotApi, app, timeout: float = 10) -> None:
    """Every update the fake has queued so far was fetched and fully handled (replies sent):
    then "nothing more happened" can be asserted without sleeping."""
    # The updater queues what it fetched before confirming it with the next getUpdates offset.
    if not await fake_api._wait_until(lambda: not fake_api.pending_updates, timeout):
        raise AssertionError(f"updates never fetched: {fake_api.pending_updates}")
    await asyncio.wait_for(app.update_queue.join(), timeout)
