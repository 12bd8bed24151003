"""Users talking to the real application through the fake Bot API."""

from __future__ import annotations

import asyncio
import logging

from bot.telegram.commands import COMMANDS, help_html, menu, welcome_html
from tests.e2e.conftest import serving as polling
from tests.e2e.conftest import settled


async def test_start_greets_with_buttons_and_registers_commands(fake_api, make_bot):
    user = fake_api.user(1, "Ada")
    async with polling(make_bot()):
        user.send_text("/start")
        [greeting] = await fake_api.wait_for_messages(user.chat_id, 1)
        assert "Ada" in greeting.text and "/quiz" in greeting.text and "/daily" in greeting.text
        assert {b["callback_data"] for b in greeting.buttons} >= {
            "menu:ask",
            "menu:quiz",
            "menu:resume",
        }
        assert fake_api.commands[("default", "")] == [
            {"command": c.command, "description": c.description} for c in menu()
        ]
        assert greeting.raw_text == welcome_html("Ada")
        user.press_button(greeting, "menu:ask")
        [examples] = (await fake_api.wait_for_messages(user.chat_id, 2))[1:]
        assert "Kaggle" in examples.text
        user.send_text("/help")
        [help_reply] = (await fake_api.wait_for_messages(user.chat_id, 3))[2:]
    assert help_reply.raw_text == help_html()


async def test_every_command_in_the_list_has_exactly_one_handler(fake_api, make_bot):
    from telegram.ext import CommandHandler, ConversationHandler

    app = make_bot()
    handled: list[str] = []
    for group in app.handlers.values():
        for handler in group:
            inner = handler.entry_points if isinstance(handler, ConversationHandler) else [handler]
            for h in inner:
                if isinstance(h, CommandHandler):
                    handled += sorted(h.commands)
    assert sorted(handled) == sorted(c.name for c in COMMANDS)


async def test_question_gets_a_cited_html_answer_with_buttons(fake_api, make_bot):
    user = fake_api.user(2)
    async with polling(make_bot()):
        user.send_text("should my github projects have a readme?")
        [answer] = await fake_api.wait_for_messages(user.chat_id, 1)
        assert answer.parse_mode == "HTML"
        assert "readme" in answer.text.lower() and "Sources" in answer.text
        assert "How to Get a Machine Learning Internship" in answer.text
        data = [b["callback_data"] for b in answer.buttons]
        assert any(d.startswith("src:") for d in data) and "fb:" in " ".join(data)
        # Tapping a source shows the section it cites, in full: each section is cited once.
        source = next(d for d in data if d.startswith("src:"))
        user.press_button(answer, source)
        passage = (await fake_api.wait_for_messages(user.chat_id, 2))[1]
        assert "Always provide a readme file" in passage.text
        assert "Passion projects" in passage.text  # the same section, a passage not quoted
        assert answer.text.count("Build a Machine Learning Portfolio") == 1


async def test_feedback_is_stored_once_and_buttons_turn_into_thanks(fake_api, make_bot):
    user = fake_api.user(3)
    app = make_bot()
    store = app.bot_data["services"].store
    async with polling(app):
        user.send_text("is kaggle worth it?")
        [answer] = await fake_api.wait_for_messages(user.chat_id, 1)
        up = next(b["callback_data"] for b in answer.buttons if b["text"] == "👍")
        user.press_button(answer, up)
        await fake_api.wait_for_calls("editMessageReplyMarkup")
        edited = fake_api.message(user.chat_id, answer.message_id)
        labels = [b["text"] for row in edited["reply_markup"]["inline_keyboard"] for b in row]
        assert "👍" not in labels and any("Thanks" in label for label in labels)
        assert any(label.startswith("📖") for label in labels)  # sources stay
    summary = store.admin.admin_summary()
    assert (summary.thumbs_up, summary.thumbs_down) == (1, 0)
    assert store.questions.record_feedback(3, int(up.split(":")[1]), -1) is False


async def test_out_of_scope_is_declined_with_suggestions(fake_api, make_bot):
    user = fake_api.user(4)
    async with polling(make_bot()):
        user.send_text("what's the weather in Paris tomorrow?")
        [reply] = await fake_api.wait_for_messages(user.chat_id, 1)
        assert "knowledge base" in reply.text and "Try asking" in reply.text
        assert not any(b["callback_data"].startswith(("src:", "fb:")) for b in reply.buttons)


async def test_html_looking_text_never_breaks_parsing(fake_api, make_bot):
    user = fake_api.user(5)
    texts = [
        "<b>portfolio</b> tips?",
        "is a < b && c > d true for ML projects?",
        "<script>alert('x')</script> readme?",
        "&amp; &lt; what about bootcamps",
    ]
    async with polling(make_bot()):
        for text in texts:
            user.send_text(text)
        replies = await fake_api.wait_for_messages(user.chat_id, len(texts))
        assert len(replies) == len(texts)
    assert not [c for c in fake_api.failures() if "parse entities" in str(c.response)]


async def test_unknown_command_gets_a_hint_and_bad_input_a_reply(fake_api, make_bot):
    user = fake_api.user(6)
    async with polling(make_bot()):
        user.send_text("/frobnicate now")
        user.send_text("🙂🙂🙂")
        user.send_text("Как найти стажировку?")
        user.send_text("x" * 4000)
        replies = await fake_api.wait_for_messages(user.chat_id, 4)
    assert "/frobnicate" in replies[0].text and "/help" in replies[0].text
    assert "text questions" in replies[1].text
    assert "English" in replies[2].text
    assert replies[3].text


async def test_long_answers_are_split_under_the_limit(fake_api, make_bot):
    from bot.core.answers.compose import Answer, AnswerPoint, Source
    from bot.knowledge.text import telegram_length
    from bot.telegram.render import answer_blocks, split_message

    text = "A sentence about portfolios & <projects>. " * 60
    sources = [Source(f"Article › Section {i}", text, 0.5, f"p-{i}") for i in range(6)]
    points = [AnswerPoint(text, i) for i in range(6)]
    body = "\n\n".join(f"{text} [{i + 1}]" for i in range(6))  # rendering follows the text
    answer = Answer("q", body, True, "answer", sources, points)
    parts = split_message(answer_blocks(answer))
    assert len(parts) > 1 and all(telegram_length(p) <= 4096 for p in parts)
    user = fake_api.user(7)
    app = make_bot()
    async with polling(app):
        for part in parts:
            await app.bot.send_message(user.chat_id, part)
    assert len(fake_api.sent_messages(user.chat_id)) == len(parts)
    assert not [c for c in fake_api.failures() if c.method == "sendMessage"]


async def test_forget_deletes_everything_after_confirmation(fake_api, make_bot):
    user = fake_api.user(8)
    app = make_bot()
    store = app.bot_data["services"].store
    async with polling(app):
        user.send_text("/start")
        user.send_text("do i need a phd to get into google")
        await fake_api.wait_for_messages(user.chat_id, 2)
        assert store.users.get_user(8) is not None
        user.send_text("/forget")
        confirm = (await fake_api.wait_for_messages(user.chat_id, 3))[2]
        user.press_button(confirm, "forget:yes")
        await fake_api.wait_for_calls("editMessageText")
    assert store.users.get_user(8) is None
    assert store.admin.admin_summary().questions_today == 0


async def test_admin_sees_usage_and_unanswered_questions(fake_api, make_bot):
    student, maintainer = fake_api.user(10), fake_api.user(900)
    async with polling(make_bot()):
        for _ in range(2):
            student.send_text("how do I get a work visa for germany")
        student.send_text("kaggle worth it?")
        answer = (await fake_api.wait_for_messages(student.chat_id, 3))[2]
        down = next(b["callback_data"] for b in answer.buttons if b["text"] == "👎")
        student.press_button(answer, down)
        await fake_api.wait_for_calls("editMessageReplyMarkup")
        student.send_text("/admin")
        maintainer.send_text("/admin")
        # 3 answers, the 👎 edit of the third, then the refusal
        [denied] = (await fake_api.wait_for_messages(student.chat_id, 5))[4:]
        [report] = await fake_api.wait_for_messages(maintainer.chat_id, 1)
    assert "maintainers" in denied.text
    assert "Questions today: 3" in report.text
    declined, disliked = report.text.split("Questions I declined")[1].split("Answers voted 👎")
    assert "work visa for germany — ×2, last " in declined and "UTC" in declined
    assert "kaggle worth it? — ×1, last " in disliked


async def test_groups_answer_only_when_addressed(fake_api, make_bot):
    group = -1001
    fake_api.user(11, chat_type="group", chat_id=group)
    app = make_bot()
    async with polling(app):
        fake_api.send_text(11, "kaggle worth it?", chat_id=group, chat_type="group")
        addressed = fake_api.send_text(
            11, "@careerbot_test_bot kaggle worth it?", chat_id=group, chat_type="group"
        )
        fake_api.send_text(11, "/help@careerbot_test_bot", chat_id=group, chat_type="group")
        replies = await fake_api.wait_for_messages(group, 2)
        await settled(fake_api, app)
    texts = [m.text for m in fake_api.sent_messages(group)]
    assert len(texts) == 2
    assert "Kaggle" in texts[0] and "What I can do" in texts[1]
    assert replies[0].params["reply_parameters"]["message_id"] == addressed["message_id"]


async def test_token_never_reaches_logs(fake_api, make_bot, caplog):
    caplog.set_level(logging.DEBUG)
    user = fake_api.user(12)
    async with polling(make_bot()):
        fake_api.fail_next("sendMessage", status=500)
        user.send_text("kaggle worth it?")
        await fake_api.wait_for_messages(user.chat_id, 1)
        fake_api.fail_next("getUpdates", status=502)
        user.send_text("/help")
        await fake_api.wait_for_messages(user.chat_id, 2, timeout=15)
    assert fake_api.token not in caplog.text
    assert fake_api.token.split(":")[1] not in caplog.text  # not even the secret half


async def test_typing_only_when_the_answer_is_slow(fake_api, make_bot):
    user = fake_api.user(13)
    app = make_bot()
    batcher = app.bot_data["services"].batcher
    real_answer = batcher.answer

    async def slow_answer(question):
        if "slow" in question:
            await asyncio.sleep(0.8)
        return await real_answer(question)

    batcher.answer = slow_answer
    await real_answer("kaggle worth it?")  # warm: the "fast" answer below is then surely fast
    async with polling(app):
        user.send_text("kaggle worth it?")
        await fake_api.wait_for_messages(user.chat_id, 1)
        assert fake_api.chat_actions == []  # a fast answer needs no "typing…"
        user.send_text("slow: do i need a phd to get into google")
        await fake_api.wait_for_messages(user.chat_id, 2)
    assert fake_api.chat_actions == [(user.chat_id, "typing")]
