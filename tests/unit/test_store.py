"""The user-state database: users, logs, feedback, quiz data, forgetting, admin numbers."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, inspect, select

from bot.config import get_settings
from bot.core.store import Base, Store, normalise_question
from bot.core.store.models import USER_TABLES

UTC = UTC
NOW = datetime(2025, 5, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(database_url):
    s = Store(database_url)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'careerbot.sqlite3'}")
    yield s
    s.close()


def count_rows(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            name: conn.scalar(select(func.count()).select_from(table))
            for name, table in Base.metadata.tables.items()
        }


def test_store_from_settings_uses_data_dir_sqlite(tmp_path):
    settings = get_settings(CAREERBOT_DATA_DIR=tmp_path / "data")
    store = Store.from_settings(settings)
    try:
        store.users.touch_user(1, 1, "Ann", None, now=NOW)
        assert (tmp_path / "data" / "careerbot.sqlite3").exists()
    finally:
        store.close()


def test_sqlite_runs_in_wal_mode_with_busy_timeout(sqlite_store):
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar().lower() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_all_tables_are_created(store):
    with store.engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
    assert {
        "users",
        "question_log",
        "feedback",
        "quiz_attempts",
        "srs_cards",
        "quiz_sessions",
        "subscriptions",
        "daily_deliveries",
        "resumes",
        "interview_results",
    } <= names


def test_touch_user_creates_then_refreshes(store):
    assert store.users.touch_user(7, 70, "Ann", "ann", now=NOW) is True
    assert store.users.touch_user(7, 71, "Annie", None, now=NOW + timedelta(hours=1)) is False
    user = store.users.get_user(7)
    assert (user.chat_id, user.first_name, user.username) == (71, "Annie", "ann")
    assert user.created_at == NOW and user.last_seen_at == NOW + timedelta(hours=1)
    assert user.timezone is None
    assert store.users.get_user(8) is None


def test_datetimes_come_back_aware_utc(store):
    berlin_noon = datetime(2025, 5, 10, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    store.users.touch_user(1, 1, "A", None, now=berlin_noon)
    assert store.users.get_user(1).created_at == NOW
    assert store.users.get_user(1).created_at.tzinfo == UTC
    with pytest.raises(ValueError):
        store.users.touch_user(1, 1, "A", None, now=datetime(2025, 5, 10, 12, 0))


def test_feedback_once_per_user_and_question(store):
    qid = store.questions.log_question(1, "What is overfitting?", True, 0.81, 120, now=NOW)
    assert store.questions.record_feedback(1, qid, +1) is True
    assert store.questions.record_feedback(1, qid, -1) is False  # second vote changes nothing
    assert store.questions.record_feedback(2, qid, -1) is True  # another user may vote
    assert store.questions.record_feedback(1, 999_999, 1) is False  # unknown answer
    with pytest.raises(ValueError):
        store.questions.record_feedback(3, qid, 0)
    summary = store.admin.admin_summary(now=NOW)
    assert (summary.thumbs_up, summary.thumbs_down) == (1, 1)


def test_resume_is_replaced(store):
    assert store.resumes.get_resume(1) is None
    store.resumes.save_resume(1, "cv.pdf", "old text", now=NOW)
    store.resumes.save_resume(1, "cv2.docx", "new text", now=NOW + timedelta(minutes=1))
    resume = store.resumes.get_resume(1)
    assert (resume.filename, resume.text, resume.updated_at) == (
        "cv2.docx",
        "new text",
        NOW + timedelta(minutes=1),
    )


def test_interview_results_newest_first(store):
    store.interviews.record_interview(1, "q1", 0.4, now=NOW)
    store.interviews.record_interview(1, "q2", 0.9, now=NOW + timedelta(minutes=5))
    store.interviews.record_interview(2, "q1", 0.1, now=NOW)
    assert [(r.question_id, r.score) for r in store.interviews.interview_results(1)] == [
        ("q2", 0.9),
        ("q1", 0.4),
    ]


def test_cards_upsert_and_due(store):
    assert store.cards.get_card(1, "q1") is None
    store.cards.upsert_card(1, "q1", 1, NOW - timedelta(hours=1))
    store.cards.upsert_card(1, "q2", 3, NOW + timedelta(days=3))
    store.cards.upsert_card(
        1, "q3", 2, NOW - timedelta(days=2), last_reviewed_at=NOW - timedelta(days=3)
    )
    store.cards.upsert_card(2, "q1", 1, NOW - timedelta(days=9))
    assert [c.question_id for c in store.cards.due_cards(1, NOW)] == ["q3", "q1"]
    store.cards.upsert_card(1, "q1", 2, NOW + timedelta(days=1), last_reviewed_at=NOW)
    card = store.cards.get_card(1, "q1")
    assert (card.box, card.due_at, card.last_reviewed_at) == (2, NOW + timedelta(days=1), NOW)
    assert [c.question_id for c in store.cards.due_cards(1, NOW)] == ["q3"]
    with pytest.raises(ValueError):
        store.cards.upsert_card(1, "q1", 6, NOW)


def test_quiz_session_lifecycle_and_poll_lookup(store):
    session = store.quiz.create_session(1, 10, ["q1", "q2"], is_daily=True, now=NOW)
    assert session.current_question_id == "q1" and not session.is_complete
    assert store.quiz.set_session_poll(session.session_id, "poll-1")
    assert store.quiz.get_session_by_poll("poll-1").session_id == session.session_id
    advanced = store.quiz.advance_session(session.session_id, "poll-1", correct=True)
    assert (advanced.position, advanced.correct_count, advanced.current_poll_id) == (1, 1, None)
    # The same poll answer again (or a stale poll) counts nothing.
    assert store.quiz.advance_session(session.session_id, "poll-1", correct=True) is None
    assert store.quiz.get_session_by_poll("poll-1") is None
    store.quiz.set_session_poll(session.session_id, "poll-2")
    done = store.quiz.advance_session(session.session_id, "poll-2", correct=False)
    assert (done.position, done.correct_count, done.is_complete) == (2, 1, True)
    assert store.quiz.active_session(1).session_id == session.session_id
    assert store.quiz.finish_session(session.session_id, now=NOW) is True
    assert store.quiz.finish_session(session.session_id, now=NOW) is False
    assert store.quiz.active_session(1) is None
    assert store.quiz.get_session(session.session_id).question_ids == ("q1", "q2")


def test_accuracy_by_topic(store):
    for topic, correct in [
        ("python", True),
        ("python", False),
        ("ml", True),
        ("ml", True),
        ("stats", False),
    ]:
        store.quiz.record_attempt(1, f"{topic}-q", topic, correct, now=NOW)
    store.quiz.record_attempt(2, "ml-q", "ml", False, now=NOW)
    result = {t.topic: (t.attempts, t.correct, t.accuracy) for t in store.quiz.accuracy_by_topic(1)}
    assert result == {"ml": (2, 2, 1.0), "python": (2, 1, 0.5), "stats": (1, 0, 0.0)}


def test_daily_activity_groups_by_local_day(store):
    store.users.touch_user(1, 1, "A", None, now=NOW)
    store.subscriptions.set_timezone(1, "Asia/Kolkata", now=NOW)  # UTC+5:30
    store.quiz.record_attempt(
        1, "q", "ml", True, now=datetime(2025, 5, 9, 18, 29, tzinfo=UTC)
    )  # 23:59 on the 9th
    store.quiz.record_attempt(
        1, "q", "ml", False, now=datetime(2025, 5, 9, 18, 30, tzinfo=UTC)
    )  # 00:00 on the 10th
    store.quiz.record_attempt(1, "q", "ml", True, now=datetime(2025, 5, 10, 11, 0, tzinfo=UTC))
    store.quiz.record_attempt(
        1, "q", "ml", True, now=datetime(2025, 4, 1, 11, 0, tzinfo=UTC)
    )  # outside window
    activity = store.quiz.daily_activity(1, days=3, now=NOW)
    assert [(a.day, a.attempts, a.correct) for a in activity] == [
        (date(2025, 5, 8), 0, 0),
        (date(2025, 5, 9), 1, 1),
        (date(2025, 5, 10), 2, 1),
    ]
    in_utc = store.quiz.daily_activity(1, days=2, tz="UTC", now=NOW)
    assert [(a.attempts, a.correct) for a in in_utc] == [(2, 1), (1, 1)]
    assert len(store.quiz.daily_activity(1, now=NOW)) == 30


def test_daily_streak_uses_only_daily_answers_in_user_timezone(store):
    store.users.touch_user(1, 1, "A", None, now=NOW)
    store.subscriptions.set_timezone(1, "America/New_York", now=NOW)
    for day in (7, 8, 9):  # 23:00 New York on the 6th, 7th, 8th
        store.quiz.record_attempt(
            1, "q", "ml", True, is_daily=True, now=datetime(2025, 5, day, 3, 0, tzinfo=UTC)
        )
    store.quiz.record_attempt(
        1, "q", "ml", True, is_daily=False, now=datetime(2025, 5, 9, 15, 0, tzinfo=UTC)
    )
    now = datetime(2025, 5, 9, 16, 0, tzinfo=UTC)  # noon on the 9th in New York
    assert store.quiz.daily_streak(1, now=now) == 3
    assert store.quiz.daily_streak(1, now=now, tz="UTC") == 3
    # The 9th had no daily answer.
    assert store.quiz.daily_streak(1, now=now + timedelta(days=1)) == 0


def test_normalise_question_folds_case_space_punctuation():
    assert normalise_question("  What's a   GPU?!  ") == "whats a gpu"
    assert normalise_question("WHAT’S A GPU 🤖") == "whats a gpu"
    assert normalise_question("ml/ai salary?") == "ml ai salary"
    assert normalise_question("?!") == ""


def test_admin_summary(store):
    for uid in (1, 2, 3):
        store.users.touch_user(uid, uid, f"U{uid}", None, now=NOW)
    store.subscriptions.subscribe(1, 1, "08:00", "UTC", now=NOW)
    store.subscriptions.subscribe(2, 2, "08:00", "UTC", now=NOW)
    store.subscriptions.unsubscribe(2)
    yesterday = NOW - timedelta(days=1)
    oos = [
        "Best pizza in town?",
        "best   PIZZA in town",
        "best pizza, in town!",
        "Weather today?",
        "weather today",
        "Tell me a joke",
    ]
    for i, q in enumerate(oos):
        store.questions.log_question(1 + i % 3, q, False, 0.1, 50, now=yesterday)
    ids = [
        store.questions.log_question(1, f"in scope {i}", True, 0.9, 80, now=NOW) for i in range(3)
    ]
    store.questions.log_question(2, "Weather today!!", False, 0.05, 40, now=NOW)
    store.questions.log_question(
        2, "late", True, 0.9, 40, now=datetime(2025, 5, 11, 0, 0, tzinfo=UTC)
    )
    for user, vote in [(1, 1), (2, 1), (3, -1)]:
        assert store.questions.record_feedback(user, ids[0], vote)
    store.questions.record_feedback(1, ids[1], 1)

    summary = store.admin.admin_summary(now=NOW)
    assert summary.users == 3
    assert summary.subscribers == 1
    assert summary.questions_today == 4  # the 10th in UTC: 3 in scope + 1 out of scope
    assert (summary.thumbs_up, summary.thumbs_down) == (3, 1)
    assert summary.like_ratio == pytest.approx(0.75)
    top = [(q.text, q.count) for q in summary.top_out_of_scope]
    assert top == [("best pizza in town", 3), ("weather today", 3), ("tell me a joke", 1)]
    assert summary.top_out_of_scope[1].example == "Weather today!!"  # most recent wording
    # "Today" is the admin's local day: in Kolkata it is the 10th until 18:30 UTC.
    assert store.admin.admin_summary(now=NOW, tz="Asia/Kolkata").questions_today == 4
    # Late evening New York on the 10th includes the 00:00 UTC question of the 11th.
    assert (
        store.admin.admin_summary(
            now=datetime(2025, 5, 11, 1, 0, tzinfo=UTC), tz="America/New_York"
        ).questions_today
        == 5
    )
    assert len(store.admin.admin_summary(now=NOW, top=1).top_out_of_scope) == 1
    assert [
        q.count
        for q in store.admin.admin_summary(now=NOW, since=timedelta(hours=1)).top_out_of_scope
    ] == [1]


def test_admin_summary_top_ten_and_empty_ratio(store):
    for i in range(12):
        for _ in range(12 - i):
            store.questions.log_question(1, f"Off topic number {i}?", False, now=NOW)
    summary = store.admin.admin_summary(now=NOW)
    assert [q.count for q in summary.top_out_of_scope] == list(range(12, 2, -1))
    assert summary.like_ratio is None


def fill_everything(store: Store, uid: int, other: int) -> None:
    store.users.touch_user(uid, uid * 10, "Name", "nick", now=NOW)
    own_q = store.questions.log_question(uid, "Where to intern?", False, 0.2, 30, now=NOW)
    other_q = store.questions.log_question(other, "What is SGD?", True, 0.9, 30, now=NOW)
    store.questions.record_feedback(uid, other_q, 1)
    store.questions.record_feedback(other, own_q, -1)  # a vote about this user's question
    store.quiz.record_attempt(uid, "q1", "ml", True, is_daily=True, session_id="s", now=NOW)
    store.cards.upsert_card(uid, "q1", 2, NOW)
    store.quiz.create_session(uid, uid * 10, ["q1"], now=NOW)
    store.subscriptions.subscribe(uid, uid * 10, "00:30", "Europe/Berlin", now=NOW)
    store.deliveries.claim_due_deliveries(now=NOW + timedelta(hours=12))
    store.resumes.save_resume(uid, "cv.pdf", "text", now=NOW)
    store.interviews.record_interview(uid, "iq1", 0.5, now=NOW)
    store.chat_state.save("user", "", uid, uid, {"waiting": "jd"}, now=NOW)
    store.chat_state.save("conversation", "interview", (uid, uid), uid, 1, now=NOW)


def test_forget_user_deletes_every_row_about_the_user(store):
    fill_everything(store, uid=1, other=2)
    fill_everything(store, uid=2, other=3)
    store.users.touch_user(3, 30, "Other", None, now=NOW)
    # This vote survives.
    store.questions.record_feedback(1, store.questions.log_question(3, "Kaggle?", True, now=NOW), 1)
    before = count_rows(store)
    assert set(before) == {t.__tablename__ for t in USER_TABLES}  # a new table needs forgetting too
    assert all(n >= 2 for n in before.values()), before

    deleted = store.users.forget_user(2)
    after = count_rows(store)
    assert deleted == {name: before[name] - after[name] for name in before}
    with store.engine.connect() as conn:
        for name, table in Base.metadata.tables.items():
            assert (
                conn.scalar(select(func.count()).select_from(table).where(table.c.user_id == 2))
                == 0
            ), name
        # Votes by others on user 2's questions are about user 2 too: only 1's vote on 3's stays.
        assert conn.scalar(select(func.count()).select_from(Base.metadata.tables["feedback"])) == 1
    # User 1 keeps everything else.
    assert all(n >= 1 for n in after.values()), after
    assert store.users.get_user(1) is not None and store.resumes.get_resume(1) is not None
    assert store.users.forget_user(2) == {name: 0 for name in before}


async def test_store_is_safe_from_many_threads(store):
    async def user_work(uid: int) -> None:
        await asyncio.to_thread(store.users.touch_user, uid, uid, "U", None, NOW)
        qid = await asyncio.to_thread(store.questions.log_question, uid, "q?", True, 0.5, 10, NOW)
        await asyncio.to_thread(store.questions.record_feedback, uid, qid, 1)
        await asyncio.to_thread(
            store.users.touch_user, 0, 0, "shared", None, NOW
        )  # same row, all threads

    await asyncio.gather(*(user_work(uid) for uid in range(1, 41)))
    summary = store.admin.admin_summary(now=NOW)
    assert summary.users == 41
    assert summary.thumbs_up == 40
    assert summary.questions_today == 40


def test_schema_and_datetimes_are_portable_to_postgresql():
    from sqlalchemy import create_mock_engine
    from sqlalchemy.dialects import postgresql, sqlite

    from bot.core.store.models import UTCDateTime

    ddl: list[str] = []
    engine = create_mock_engine(
        "postgresql://", lambda sql, *a, **k: ddl.append(str(sql.compile(dialect=engine.dialect)))
    )
    Base.metadata.create_all(engine, checkfirst=False)
    schema = "\n".join(ddl)
    assert schema.count("CREATE TABLE") == len(Base.metadata.tables)
    assert "TIMESTAMP WITH TIME ZONE" in schema and "user_id BIGINT" in schema
    berlin = datetime(2025, 5, 10, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert UTCDateTime().process_bind_param(berlin, postgresql.dialect()) == NOW
    assert UTCDateTime().process_bind_param(berlin, postgresql.dialect()).tzinfo is not None
    assert UTCDateTime().process_bind_param(berlin, sqlite.dialect()) == NOW.replace(tzinfo=None)
