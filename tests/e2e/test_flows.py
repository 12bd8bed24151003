"""The multi-step flows (bot/telegram/flows.py): kept across a restart, ended by a timeout, by
another command or by another flow's button, and a stale /forget button deletes nothing."""

from __future__ import annotations

from tests.e2e.conftest import serving
from tests.e2e.test_resume import after, refused, sent, text_after
from tests.unit.resume import samples

STOPPED_WAITING = "I stopped waiting for your interview answer"


async def test_a_timed_out_interview_question_is_no_longer_awaited(fake_api, make_bot):
    user = fake_api.user(80)
    app = make_bot(conversation_timeout=0.3)
    async with serving(app):
        await after(fake_api, user, "/interview technical", "Interview question")
        notice = await text_after(fake_api, user.chat_id, 1, STOPPED_WAITING)  # no input needed
        answer = await after(fake_api, user, "tell me whether kaggle is worth it", "Sources")
    assert notice.endswith("Send /interview for a new question.")
    assert "Kaggle" in answer and "Score:" not in answer
    assert app.bot_data["services"].store.interviews.interview_results(user.id) == []
    assert not refused(fake_api)


async def test_another_command_ends_the_interview_wait(fake_api, make_bot):
    user = fake_api.user(81)
    app = make_bot()
    async with serving(app):
        await after(fake_api, user, "/interview technical", "Interview question")
        await after(fake_api, user, "/help", "What I can do")
        answer = await after(fake_api, user, "tell me whether kaggle is worth it", "Sources")
    assert "Kaggle" in answer and "Score:" not in answer
    assert app.bot_data["services"].store.interviews.interview_results(user.id) == []
    assert not refused(fake_api)


async def test_another_flows_button_wins_over_an_open_interview(fake_api, make_bot):
    user = fake_api.user(82)
    app = make_bot()
    async with serving(app):
        await after(fake_api, user, "/resume", "How did you get")
        guide = sent(fake_api, user.chat_id)[-1]
        await after(fake_api, user, "/interview technical", "Interview question")
        user.press_button(guide, "rs:paste")  # the older message's button: the latest prompt
        await fake_api.wait_for_messages(user.chat_id, 3, method="sendMessage")
        text = await after(fake_api, user, samples.EXPERIENCE_HEAVY, "Saved as your latest résumé")
    assert "Verdict" in text and "went wrong" not in text
    assert app.bot_data["services"].store.interviews.interview_results(user.id) == []
    # Each button press answered exactly once (a second answer fails on Telegram).
    assert len(fake_api.callback_answers) == len(fake_api.calls("answerCallbackQuery")) == 1
    assert not refused(fake_api)


async def test_a_resume_paste_survives_a_restart(fake_api, make_bot):
    user = fake_api.user(83)
    async with serving(make_bot()):
        await after(fake_api, user, "/resume", "How did you get")
        await after(fake_api, user, "rs:paste", "Paste your résumé")
    app = make_bot()  # a new process's application, same data directory
    async with serving(app):
        text = await after(fake_api, user, samples.EXPERIENCE_HEAVY, "Saved as your latest résumé")
    assert "Résumé review of your pasted text" in text
    assert app.bot_data["services"].store.resumes.get_resume(user.id).filename == "pasted text"
    assert len(fake_api.calls("answerCallbackQuery")) == 1 and not refused(fake_api)


async def test_a_forget_button_after_the_timeout_deletes_nothing(fake_api, make_bot):
    user = fake_api.user(84)
    app = make_bot(conversation_timeout=0.3)
    store = app.bot_data["services"].store
    async with serving(app):
        await after(fake_api, user, "/start", "Hi Test")
        await after(fake_api, user, "/forget", "Are you sure?")
        confirm = sent(fake_api, user.chat_id)[-1]
        await after(fake_api, user, "/help", "What I can do")  # a command ends the flow
        query_id = user.press_button(confirm, "forget:yes")
        await fake_api.wait_for_calls("answerCallbackQuery")
    [alert] = fake_api.callback_answers
    assert alert["callback_query_id"] == query_id and alert["show_alert"] is True
    assert alert["text"] == "This confirmation has expired: send /forget again."
    assert store.users.get_user(user.id) is not None
    assert fake_api.calls("editMessageText") == []
    assert len(fake_api.calls("answerCallbackQuery")) == 1 and not refused(fake_api)
