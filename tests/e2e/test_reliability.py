"""Telegram misbehaving, users misbehaving: everyone else keeps being served."""

from __future__ import annotations

import asyncio

from tests.e2e.conftest import serving, settled


async def test_429_is_waited_out_and_the_message_arrives(fake_api, make_bot):
    user = fake_api.user(20)
    async with serving(make_bot()):
        fake_api.fail_next("sendMessage", status=429, retry_after=1)
        user.send_text("kaggle worth it?")
        [answer] = await fake_api.wait_for_messages(user.chat_id, 1, timeout=15)
    assert "Kaggle" in answer.text
    attempts = fake_api.calls("sendMessage")
    assert [c.status for c in attempts][:2] == [429, 200]


async def test_a_5xx_send_is_not_repeated_and_polling_survives(fake_api, make_bot):
    user = fake_api.user(21)
    async with serving(make_bot()):
        fake_api.fail_next("sendMessage", status=502)  # Telegram may have posted it anyway
        user.send_text("do i need a phd to get into google")
        [apology] = await fake_api.wait_for_messages(user.chat_id, 1, timeout=15)
        fake_api.fail_next("getUpdates", status=500, times=2)
        await fake_api.wait_for_calls(
            "getUpdates", count=len(fake_api.calls("getUpdates")) + 3, timeout=20
        )
        user.send_text("/help")
        [_, help_reply] = await fake_api.wait_for_messages(user.chat_id, 2, timeout=20)
    assert apology.text == "Sorry, something went wrong on my side. Please try again."
    assert "What I can do" in help_reply.text
    assert [c.status for c in fake_api.calls("sendMessage")] == [502, 200, 200]


async def test_a_timed_out_send_is_not_repeated(fake_api, make_bot):
    user = fake_api.user(24)
    async with serving(make_bot(telegram_timeout=0.3)):
        fake_api.slow_next("sendMessage", seconds=3)  # delivered, but the bot gives up waiting
        user.send_text("kaggle worth it?")
        [answer] = await fake_api.wait_for_messages(user.chat_id, 1)
        # One user's updates run in order: once /help is answered, the question's handler and
        # its error handling are over.
        user.send_text("/help")
        [_, help_reply] = await fake_api.wait_for_messages(user.chat_id, 2)
    assert "Kaggle" in answer.text and "What I can do" in help_reply.text
    assert len(fake_api.calls("sendMessage")) == 2  # no second copy, no apology


async def test_a_blocked_user_affects_no_one_else(fake_api, make_bot):
    blocked, other = fake_api.user(22), fake_api.user(23)
    fake_api.block(blocked.chat_id)
    async with serving(make_bot()):
        blocked.send_text("kaggle worth it?")
        other.send_text("kaggle worth it?")
        blocked.send_text("is ML an entry level job")
        other.send_text("is ML an entry level job")
        replies = await fake_api.wait_for_messages(other.chat_id, 2)
    assert "Kaggle" in replies[0].text and "entry-level" in replies[1].text
    assert all(
        c.status == 403
        for c in fake_api.calls("sendMessage")
        if c.params["chat_id"] == blocked.chat_id
    )


async def test_many_users_at_once_each_answered_once_in_order(fake_api, make_bot):
    questions = [
        "kaggle worth it?",
        "is ML an entry level job",
        "do i need a phd",
        "should my github projects have a readme",
        "where should a bootcamp grad apply",
    ]
    users = [fake_api.user(1000 + i) for i in range(50)]
    app = make_bot(flood_max_messages=1000)
    async with serving(app):
        for _ in range(4):  # 20 questions each, interleaved across users
            for user in users:
                for q in questions:
                    user.send_text(q)
        await asyncio.gather(
            *(fake_api.wait_for_messages(u.chat_id, 20, timeout=120) for u in users)
        )
        await settled(fake_api, app, timeout=60)
    for user in users:
        replies = fake_api.sent_messages(user.chat_id, method="sendMessage")
        assert len(replies) == 20  # exactly once each
        texts = [r.text for r in replies]
        # In order: the i-th reply answers the i-th question (the five questions repeat).
        assert texts == texts[:5] * 4 and len(set(texts[:5])) == 5
    log = [c for c in fake_api.calls("sendMessage")]
    assert len(log) == 1000


async def test_order_per_user_is_kept_under_load(fake_api, make_bot):
    user = fake_api.user(30)
    others = [fake_api.user(31 + i) for i in range(5)]
    async with serving(make_bot()):
        sequence = ["/help", "kaggle worth it?", "/frobnicate", "is ML an entry level job", "🙂"]
        for text in sequence:
            user.send_text(text)
            for other in others:
                other.send_text("do i need a phd")
        replies = await fake_api.wait_for_messages(user.chat_id, len(sequence), timeout=30)
    assert "What I can do" in replies[0].text
    assert "Kaggle" in replies[1].text
    assert "/frobnicate" in replies[2].text
    assert "entry-level" in replies[3].text
    assert "text questions" in replies[4].text


async def test_flood_guard_slows_one_user_only(fake_api, make_bot):
    flooder, calm = fake_api.user(40), fake_api.user(41)
    app = make_bot()
    async with serving(app):
        for i in range(30):
            flooder.send_text(f"kaggle worth it? {i}")
        calm.send_text("is ML an entry level job")
        [calm_reply] = await fake_api.wait_for_messages(calm.chat_id, 1)
        await settled(fake_api, app)
    flooded = [m.text for m in fake_api.sent_messages(flooder.chat_id)]
    limit = app.bot_data["services"].settings.flood_max_messages
    warnings = [t for t in flooded if "a lot of messages" in t]
    assert len(warnings) == 1
    assert len(flooded) == limit + 1  # the allowed ones, then one polite warning
    assert "entry-level" in calm_reply.text
