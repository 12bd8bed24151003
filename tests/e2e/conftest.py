"""End-to-end fixtures: a fake Bot API server per test, and PTB pointed at it.

The server and the bot must share one running event loop, so every async test under tests/e2e
runs in the session loop (the loop the async fixtures use, see pyproject.toml).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio
from pytest_asyncio import is_async_test
from telegram.ext import ApplicationBuilder

from .fake_bot_api import FakeBotApi

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
    return (ApplicationBuilder().token(fake_api.token).base_url(fake_api.base_url)
            .base_file_url(fake_api.base_file_url))
