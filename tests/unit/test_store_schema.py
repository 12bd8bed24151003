"""Migrations: a database of the release before them upgrades in place, rows intact; the
models and the migrations describe the same schema; `careerbot db upgrade`."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from bot.core.store import Base, Store, schema
from bot.terminal.cli import main

FIXTURE = Path(__file__).parents[1] / "fixtures" / "careerbot-0.1.sqlite3"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # as in tests/fixtures/make_release_0_1_db.py


@pytest.fixture
def release_0_1_db(tmp_path) -> str:
    copy = tmp_path / "careerbot.sqlite3"
    shutil.copyfile(FIXTURE, copy)
    return f"sqlite:///{copy}"


def assert_release_0_1_rows(store: Store) -> None:
    """Every row tests/fixtures/make_release_0_1_db.py wrote, read through today's stores."""
    ada, grace = store.users.get_user(101), store.users.get_user(102)
    assert (ada.first_name, ada.username, ada.timezone) == ("Ada", "ada", "Europe/Berlin")
    assert ada.created_at == NOW - timedelta(days=30)
    assert (grace.first_name, grace.timezone) == ("Grace", "Asia/Kolkata")
    sub = store.subscriptions.get_subscription(101)
    assert (sub.local_time, sub.timezone, sub.active) == ("08:30", "Europe/Berlin", True)
    assert not store.subscriptions.get_subscription(102).active
    session = store.quiz.active_session(101)
    assert (session.question_ids, session.position, session.correct_count) == (
        ("prob-001", "ml-002"),
        1,
        1,
    )
    assert session.is_daily and session.current_poll_id is None
    card = store.cards.get_card(101, "prob-001")
    assert (card.box, card.due_at) == (2, NOW + timedelta(days=3))
    accuracy = {t.topic: (t.attempts, t.correct) for t in store.quiz.accuracy_by_topic(101)}
    assert accuracy == {"ml": (3, 2), "probability": (1, 1)}
    assert store.quiz.daily_streak(101, now=NOW) == 4
    delivery = store.deliveries.get_delivery(101, date(2026, 11, 11))
    assert delivery.status == "sent"
    assert store.resumes.get_resume(102).text == "Grace Hopper\nExperience\nCompiler work"
    [result] = store.interviews.interview_results(101)
    assert (result.question_id, result.score) == ("tech-bias-variance", 80.0)
    summary = store.admin.admin_summary(now=NOW)
    assert (summary.thumbs_up, summary.thumbs_down) == (1, 0)
    assert [q.example for q in summary.top_out_of_scope] == ["best pizza in town?"]


def test_a_release_0_1_database_upgrades_in_place_with_its_rows(release_0_1_db):
    engine = create_engine(release_0_1_db)
    assert schema.current_revision(engine) is None  # made by create_all, never migrated
    assert "chat_state" not in inspect(engine).get_table_names()
    engine.dispose()

    store = Store(release_0_1_db)
    assert schema.current_revision(store.engine) == schema.head_revision()
    assert_release_0_1_rows(store)
    # What the new revision added works on the upgraded file.
    store.chat_state.save("user", "", 101, 101, {"waiting": "jd"})
    assert store.chat_state.load_kind("user") == {101: {"waiting": "jd"}}
    store.subscriptions.subscribe(103, 1003, "07:00", "UTC", now=NOW)
    run = store.subscriptions.get_subscription(103).next_run_at
    [claimed] = store.deliveries.claim_due_deliveries(run, worker="replica-a")
    assert store.deliveries.holds_claim("replica-a", 103, claimed.local_date)
    store.close()
    # Opening it again changes nothing.
    again = Store(release_0_1_db)
    assert_release_0_1_rows(again)
    again.close()


def test_upgrade_from_the_first_revision_keeps_rows_on_postgresql(postgres):
    url = postgres.empty_database()
    engine = create_engine(url)
    schema.upgrade(engine, schema.BASELINE)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (user_id, chat_id, first_name, timezone, created_at, "
                "last_seen_at) VALUES (101, 1001, 'Ada', 'Europe/Berlin', :t, :t)"
            ),
            {"t": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO daily_deliveries (user_id, chat_id, local_date, status, created_at, "
                "claimed_at) VALUES (101, 1001, '2026-11-11', 'pending', :t, :t)"
            ),
            {"t": NOW},
        )
    engine.dispose()
    store = Store(url)
    assert schema.current_revision(store.engine) == schema.head_revision()
    assert store.users.get_user(101).first_name == "Ada"
    assert store.deliveries.get_delivery(101, date(2026, 11, 11)).status == "pending"
    store.close()


def test_models_and_migrations_describe_the_same_schema(database_url):
    store = Store(database_url)
    with store.engine.connect() as conn:
        differences = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    store.close()
    assert differences == []


def test_a_foreign_database_is_refused_and_left_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)"))
    with pytest.raises(schema.SchemaError, match="not made by careerbot"):
        Store(url)
    assert inspect(engine).get_table_names() == ["users"]
    engine.dispose()


def test_db_upgrade_command(release_0_1_db, monkeypatch, capsys):
    monkeypatch.setenv("CAREERBOT_DATABASE_URL", release_0_1_db)
    assert main(["db", "upgrade"]) == 0
    assert (
        f"revision {schema.head_revision()} (upgraded from no revision)" in capsys.readouterr().out
    )
    assert main(["db", "upgrade"]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_the_newest_revision_read_without_alembic_is_alembics_head():
    assert schema.newest_revision() == schema.head_revision()


REOPEN = """
import sys
from bot.core.store import Store
store = Store(sys.argv[1])
print("alembic" in sys.modules, store.users.get_user(101).first_name)
"""


def test_a_database_at_the_newest_revision_opens_without_importing_alembic(release_0_1_db):
    import subprocess
    import sys

    from bot.config import PROJECT_ROOT

    def open_in_fresh_process() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", REOPEN, release_0_1_db],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert open_in_fresh_process() == ["True", "Ada"]  # a release 0.1 database: migrated
    assert open_in_fresh_process() == ["False", "Ada"]  # at the newest revision: nothing to do
