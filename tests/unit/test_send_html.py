"""send_html sends again only what never reached Telegram."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.telegram import handlers
from bot.telegram.http import NotSent


class ScriptedBot:
    """send_message raises the scripted errors in turn, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def send_message(self, chat_id: int, text: str, **kwargs) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return f"sent to {chat_id}: {text}"


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    async def instant(seconds: float) -> None:
        """The retry backoff, skipped."""

    monkeypatch.setattr(handlers.asyncio, "sleep", instant)


async def test_a_request_that_never_left_is_sent_again():
    bot = ScriptedBot(NotSent("refused"), NotSent("refused"))
    sent = await handlers.send_html(SimpleNamespace(bot=bot), 7, "hi")
    assert sent == "sent to 7: hi" and bot.calls == 3


async def test_it_gives_up_after_three_attempts():
    bot = ScriptedBot(*[NotSent("refused")] * 3)
    with pytest.raises(NotSent):
        await handlers.send_html(SimpleNamespace(bot=bot), 7, "hi")
    assert bot.calls == 3


@pytest.mark.parametrize(
    "error", [TimedOut(), NetworkError("Bad Gateway"), BadRequest("can't parse entities")]
)
async def test_what_may_have_reached_telegram_is_not_repeated(error):
    bot = ScriptedBot(error)
    with pytest.raises(type(error)):
        await handlers.send_html(SimpleNamespace(bot=bot), 7, "hi")
    assert bot.calls == 1
