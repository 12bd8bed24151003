"""A question in another language reaches Telegram through the term bridge: the English answer,
led by the words the bot recognised, cited, in valid HTML within Telegram's limits."""

from __future__ import annotations

from bot.core.answers.bridge import BRIDGE_LEAD
from bot.telegram.render import MAX_MESSAGE
from tests.e2e.conftest import serving

LEAD_START = BRIDGE_LEAD.split("{", 1)[0]


async def test_a_korean_question_gets_the_bridged_answer_in_telegram(fake_api, make_bot):
    user = fake_api.user(640)
    async with serving(make_bot()):
        user.send_text("포트폴리오와 이력서는 어떻게 준비해야 하나요?")
        [message] = await fake_api.wait_for_messages(user.chat_id, 1, method="sendMessage")
    assert message.parse_mode == "HTML" and len(message.text) <= MAX_MESSAGE
    lead = message.text.split("\n\n", 1)[0]
    assert lead.startswith(LEAD_START) and "portfolio" in lead and "résumé" in lead
    assert "Sources" in message.text and "[1] How to Get a Machine Learning Internship" in (
        message.text
    )
    labels = [button["text"] for button in message.buttons]
    assert "👍" in labels  # an answer (in scope), not the language reply
