"""Broad questions: the guide's path, one button per step, each showing that part in full."""

from __future__ import annotations

from tests.e2e.conftest import serving as polling


async def test_broad_question_gets_the_path_with_a_button_per_step(fake_api, make_bot):
    user = fake_api.user(41)
    app = make_bot()
    service = app.bot_data["services"].answers
    async with polling(app):
        user.send_text("How do I get a machine learning internship?")
        [overview] = await fake_api.wait_for_messages(user.chat_id, 1)
        assert overview.parse_mode == "HTML"
        for n in range(1, 5):
            assert f"{n}. " in overview.text and f"[{n}]" in overview.text
        assert "coveted field" not in overview.text  # the lede is not advice
        steps = [b for b in overview.buttons if b["callback_data"].startswith("step:")]
        assert [b["callback_data"] for b in steps] == [f"step:{n}" for n in range(1, 5)]
        assert all(len(b["text"]) <= 40 for b in steps)
        user.press_button(overview, "step:3")
        [part] = (await fake_api.wait_for_messages(user.chat_id, 2))[1:]
        assert "Write a Resume That Flatters Your Background" in part.text
        assert "highlight reel" in part.text and len(part.text) <= 4096
    # The terminal gives the same answer text (Telegram only styles the citation marks).
    terminal = service.answer("How do I get a machine learning internship?").text
    assert overview.text.startswith(terminal)
