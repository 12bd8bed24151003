"""Quizzes, the daily quiz, mock interviews and /stats through the fake Bot API."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

import bot.telegram.daily_delivery as daily_delivery
import bot.telegram.quiz_handlers as quiz_handlers
from bot.core.quiz.stats import render_stats_text, user_stats
from tests.e2e.conftest import serving, settled


async def answer_polls(fake_api, user, count: int, right: int, start: int = 0) -> list:
    """Answer `count` consecutive quiz polls: the first `right` correctly, the rest wrongly."""
    polls = []
    for i in range(count):
        messages = await fake_api.wait_for_messages(user.chat_id, start + i + 1, method="sendPoll")
        poll = fake_api.polls[messages[-1].poll["id"]]
        polls.append(poll)
        correct = poll.correct_option_ids[0]
        choice = correct if i < right else (correct + 1) % len(poll.options)
        user.answer_poll(poll.id, [choice])
    return polls


async def test_a_full_quiz_session(fake_api, make_bot):
    user = fake_api.user(50)
    app = make_bot()
    async with serving(app):
        user.send_text("/quiz probability")
        polls = await answer_polls(fake_api, user, 5, right=3)
        [summary] = await fake_api.wait_for_messages(user.chat_id, 1, method="sendMessage")
        await settled(fake_api, app)  # nothing follows the summary
    assert len(fake_api.sent_messages(user.chat_id)) == 6  # five polls and the summary
    assert all(p.type == "quiz" and not p.is_anonymous for p in polls)
    assert len({p.question for p in polls}) == 5  # no repeats inside a session
    assert all(len(p.question) <= 300 and all(len(o) <= 100 for o in p.options) for p in polls)
    assert "3/5" in summary.text and "probability" in summary.text.lower()
    assert any(b["callback_data"].startswith("quiz:") for b in summary.buttons)
    sent_polls = fake_api.calls("sendPoll")
    assert all("correct_option_ids" in c.params for c in sent_polls)
    accuracy = app.bot_data["services"].store.quiz.accuracy_by_topic(50)
    assert [(a.topic, a.attempts, a.correct) for a in accuracy] == [("probability", 5, 3)]
    # Options are shuffled per delivery; the poll's key is still the bank's key.
    bank = {q.question: q for q in app.bot_data["services"].quiz.bank}
    for poll in polls:
        asked = bank[poll.question.split("] ", 1)[1]]
        assert poll.options[poll.correct_option_ids[0]] == asked.correct_option
        assert sorted(poll.options) == sorted(asked.options)


async def test_topic_picker_and_unknown_topic(fake_api, make_bot):
    user = fake_api.user(51)
    async with serving(make_bot()):
        user.send_text("/quiz")
        [picker] = await fake_api.wait_for_messages(user.chat_id, 1)
        assert {"quiz:ml", "quiz:career", "quiz:all"} <= {
            b["callback_data"] for b in picker.buttons
        }
        user.press_button(picker, "quiz:ml")
        [poll_message] = await fake_api.wait_for_messages(user.chat_id, 1, method="sendPoll")
        user.send_text("/quiz astrology")
        reply = (await fake_api.wait_for_messages(user.chat_id, 2, method="sendMessage"))[-1]
    assert "astrology" in reply.text and "probability" in reply.text.lower()
    assert poll_message.poll["type"] == "quiz"


async def test_missed_questions_come_back_sooner(fake_api, make_bot):
    user = fake_api.user(52)
    async with serving(make_bot()):
        user.send_text("/quiz programming")
        first = await answer_polls(fake_api, user, 5, right=0)
        await fake_api.wait_for_messages(user.chat_id, 1, method="sendMessage")
        user.send_text("/quiz programming")
        second = await answer_polls(fake_api, user, 5, right=5, start=5)
    assert {p.question for p in second} == {p.question for p in first}


@pytest.fixture
def clock(monkeypatch):
    """The scheduler's clock, movable by the test; "reads" counts the ticks that looked at it."""
    state = {"now": datetime(2026, 3, 2, 8, 0, tzinfo=UTC), "reads": 0}

    def now() -> datetime:
        state["reads"] += 1
        return state["now"]

    monkeypatch.setattr(quiz_handlers, "_now", now)
    monkeypatch.setattr(daily_delivery, "_now", now)
    return state


async def ticks(clock, count: int = 3, timeout: float = 10) -> None:
    """Wait until the daily-quiz job has run `count` more whole ticks (a tick reads the clock
    first; the job never overlaps itself, so a started tick means the one before it finished)."""
    target = clock["reads"] + count + 1
    deadline = asyncio.get_running_loop().time() + timeout
    while clock["reads"] < target:
        assert asyncio.get_running_loop().time() < deadline, "the scheduler stopped ticking"
        await asyncio.sleep(0.02)  # polls the condition; the job runs on the same loop


async def test_daily_quiz_is_delivered_once_even_across_a_restart(fake_api, make_bot, clock):
    user = fake_api.user(60)
    settings = {"tick_seconds": 0.2}
    first = make_bot(**settings)
    store = first.bot_data["services"].store
    async with serving(first):
        user.send_text("/timezone Europe/Berlin")
        user.send_text("/daily 09:30")
        replies = await fake_api.wait_for_messages(user.chat_id, 2)
        assert "Europe/Berlin" in replies[0].text and "09:30" in replies[1].text
        sub = store.subscriptions.get_subscription(60)
        clock["now"] = sub.next_run_at + timedelta(seconds=5)
        await fake_api.wait_for_messages(user.chat_id, 1, method="sendPoll", timeout=10)
        await ticks(clock)  # several more ticks: nothing more is sent
    assert len(fake_api.sent_messages(user.chat_id, method="sendPoll")) == 1
    # Restart with the same database at the same moment: no second quiz that day.
    second = make_bot(**settings)
    async with serving(second):
        await ticks(clock)
    assert len(fake_api.sent_messages(user.chat_id, method="sendPoll")) == 1
    intro = [
        m
        for m in fake_api.sent_messages(user.chat_id)
        if "daily quiz" in (m.text or "").lower() and "5 questions" in (m.text or "")
    ]
    assert len(intro) == 1


async def test_a_quiz_claimed_before_a_crash_is_delivered_after_restart(fake_api, make_bot, clock):
    user = fake_api.user(61)
    app = make_bot(tick_seconds=0.2)
    store = app.bot_data["services"].store
    store.users.touch_user(61, user.chat_id)
    sub = store.subscriptions.subscribe(
        61, user.chat_id, "07:00", "UTC", now=clock["now"] - timedelta(days=1)
    )
    # The old process claimed the delivery, then died before sending it.
    claimed = store.deliveries.claim_due_deliveries(now=sub.next_run_at + timedelta(seconds=1))
    assert [d.user_id for d in claimed] == [61]
    clock["now"] = sub.next_run_at + timedelta(minutes=6)  # past the claim's lease
    async with serving(app):
        await fake_api.wait_for_messages(user.chat_id, 1, method="sendPoll", timeout=10)
        await ticks(clock)
    assert len(fake_api.sent_messages(user.chat_id, method="sendPoll")) == 1
    assert store.deliveries.get_delivery(61, claimed[0].local_date).status == "sent"


async def test_no_burst_of_stale_quizzes_after_downtime(fake_api, make_bot, clock):
    user = fake_api.user(62)
    app = make_bot(tick_seconds=0.2)
    store = app.bot_data["services"].store
    store.users.touch_user(62, user.chat_id)
    store.subscriptions.subscribe(
        62, user.chat_id, "07:00", "UTC", now=clock["now"] - timedelta(days=5)
    )
    clock["now"] = clock["now"].replace(hour=12)  # down since days ago, hours past today's run
    async with serving(app):
        await ticks(clock)
    assert fake_api.sent_messages(user.chat_id, method="sendPoll") == []
    assert store.subscriptions.get_subscription(62).next_run_at > clock["now"]


async def test_blocked_users_are_unsubscribed_and_others_still_served(fake_api, make_bot, clock):
    blocked, kicked, fine = fake_api.user(63), fake_api.user(64), fake_api.user(65)
    app = make_bot(tick_seconds=0.2)
    store = app.bot_data["services"].store
    for u in (blocked, kicked, fine):
        store.users.touch_user(u.id, u.chat_id)
        store.subscriptions.subscribe(u.id, u.chat_id, "09:00", "UTC", now=clock["now"])
    fake_api.block(blocked.chat_id)
    async with serving(app):
        kicked.member_status("kicked")
        await settled(fake_api, app)
        clock["now"] = clock["now"].replace(hour=9, minute=1)
        await fake_api.wait_for_messages(fine.chat_id, 1, method="sendPoll", timeout=10)
        await ticks(clock, count=1)  # the tick that served `fine` has dealt with the others
    assert (
        store.subscriptions.get_subscription(63) is None
        or not store.subscriptions.get_subscription(63).active
    )
    assert (
        store.subscriptions.get_subscription(64) is None
        or not store.subscriptions.get_subscription(64).active
    )
    assert store.subscriptions.get_subscription(65).active


async def start_interview(fake_api, user, app):
    """/interview technical; returns the bank question the bot asked."""
    user.send_text("/interview technical")
    [question_message] = await fake_api.wait_for_messages(user.chat_id, 1)
    return next(
        q for q in app.bot_data["services"].interview.bank if q.question in question_message.text
    )


async def test_interview_answer_is_graded(fake_api, make_bot):
    user = fake_api.user(70)
    app = make_bot()
    async with serving(app):
        asked = await start_interview(fake_api, user, app)
        # An answer that makes every talking point in its own sentence covers them all.
        user.send_text(" ".join(asked.talking_points))
        [_, feedback] = await fake_api.wait_for_messages(user.chat_id, 2)
        user.send_text("kaggle worth it?")  # the next text is a question again
        [_, _, answer] = await fake_api.wait_for_messages(user.chat_id, 3)
    assert "Score:" in feedback.text and "Model answer" in feedback.text
    score = int(feedback.text.split("Score: ")[1].split("/")[0])
    assert score == 100
    assert "Kaggle" in answer.text
    assert [
        r.question_id for r in app.bot_data["services"].store.interviews.interview_results(70)
    ] == [asked.id]


async def test_stats_sends_a_chart(fake_api, make_bot):
    user = fake_api.user(71)
    app = make_bot()
    store = app.bot_data["services"].store
    async with serving(app):
        user.send_text("/stats")
        [empty] = await fake_api.wait_for_messages(user.chat_id, 1)
        user.send_text("/quiz ml")
        await answer_polls(fake_api, user, 5, right=4)
        await fake_api.wait_for_messages(user.chat_id, 2, method="sendMessage")
        user.send_text("/stats")
        [photo] = await fake_api.wait_for_messages(user.chat_id, 1, method="sendPhoto")
    assert empty.text == (
        "No quiz answers yet. Try /quiz for five questions, or /daily for one quiz a day."
        "\n\nTry /quiz to get started!"
    )
    upload = next(iter(photo.files.values()))
    assert upload.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert photo.text == render_stats_text(user_stats(store, 71, datetime.now(UTC)))
    assert photo.text.startswith("Answered: 5 questions, 4 correct (80%).")


async def test_an_open_interview_question_survives_a_restart_and_forget_clears_it(
    fake_api, make_bot
):
    user = fake_api.user(72)
    first = make_bot()
    async with serving(first):
        asked = await start_interview(fake_api, user, first)

    async with serving(make_bot()):  # a new process's application, same data directory
        user.send_text(" ".join(asked.talking_points))
        [_, feedback] = await fake_api.wait_for_messages(user.chat_id, 2)
        user.send_text("/interview technical")
        await fake_api.wait_for_messages(user.chat_id, 3)
        user.send_text("/forget")
        [*_, confirm] = await fake_api.wait_for_messages(user.chat_id, 4)
        user.press_button(confirm, "forget:yes")
        [*_, done] = await fake_api.wait_for_messages(user.chat_id, 5)

    async with serving(make_bot()):  # after /forget the open question is gone too
        user.send_text("kaggle worth it?")
        [*_, answer] = await fake_api.wait_for_messages(user.chat_id, 6)
    assert "Score: 100/100" in feedback.text and "deleted" in done.text
    assert "Score:" not in answer.text and "Kaggle" in answer.text


async def test_admin_lists_quiz_questions_most_users_miss_and_nobody_misses(fake_api, make_bot):
    maintainer = fake_api.user(900)
    app = make_bot()
    store = app.bot_data["services"].store
    for user in range(300, 305):  # five users: enough for the report to count a question
        store.quiz.record_attempt(user, "car-016", "career", False)
        store.quiz.record_attempt(user, "prob-001", "probability", True)
    async with serving(app):
        maintainer.send_text("/admin")
        [report] = await fake_api.wait_for_messages(maintainer.chat_id, 1)
    missed, easy = report.text.split("Quiz questions nobody misses")
    assert "Quiz questions most users miss" in missed
    assert "car-016: 5 of 5 users missed it (0/5 answers right) — How many" in missed
    assert "prob-001: 0 of 5 users missed it (5/5 answers right)" in easy
