"""Knowledge gaps: declined and 👎 questions from real store rows, ranked for maintainers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.gaps import knowledge_gaps
from bot.core.store import Store
from bot.terminal.gaps_report import gap_lines
from tests.unit import test_store

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
store = test_store.store  # the fixture: a fresh SQLite store


def ask(store: Store, text: str, in_scope: bool, hours_ago: float, user: int = 1) -> int:
    return store.questions.log_question(user, text, in_scope, now=NOW - timedelta(hours=hours_ago))


def test_declined_questions_are_counted_by_wording_most_asked_first(store):
    ask(store, "how do I get a work visa?", False, 30)
    ask(store, "How do I get a WORK VISA", False, 5, user=2)
    ask(store, "how do i get a work visa!!", False, 2, user=3)
    ask(store, "what do interns earn", False, 1)
    ask(store, "what do interns earn?", False, 10)
    ask(store, "negotiate an offer", False, 0.5)
    ask(store, "kaggle worth it?", True, 1)  # answered: not a gap
    gaps = knowledge_gaps(store, now=NOW)
    assert [(q.example, q.count) for q in gaps.declined] == [
        ("how do i get a work visa!!", 3),  # the newest wording stands for all
        ("what do interns earn", 2),
        ("negotiate an offer", 1),
    ]
    assert gaps.declined[0].last_seen == NOW - timedelta(hours=2)
    assert gaps.declined[1].last_seen == NOW - timedelta(hours=1)
    assert gaps.disliked == ()


def test_disliked_answers_count_each_thumbs_down(store):
    first = ask(store, "is a portfolio needed?", True, 3)
    second = ask(store, "Is a portfolio needed", True, 2, user=2)
    liked = ask(store, "kaggle worth it?", True, 2)
    other = ask(store, "what goes first on my cv", True, 1)
    store.questions.record_feedback(1, first, -1, now=NOW - timedelta(hours=3))
    store.questions.record_feedback(2, second, -1, now=NOW - timedelta(hours=1))
    store.questions.record_feedback(3, second, -1, now=NOW - timedelta(minutes=30))
    store.questions.record_feedback(1, liked, 1, now=NOW)
    store.questions.record_feedback(1, other, -1, now=NOW - timedelta(minutes=10))
    gaps = knowledge_gaps(store, now=NOW)
    assert [(q.example, q.count) for q in gaps.disliked] == [
        ("Is a portfolio needed", 3),
        ("what goes first on my cv", 1),
    ]
    assert gaps.disliked[0].last_seen == NOW - timedelta(minutes=30)


def test_ties_go_to_the_most_recent_and_top_limits(store):
    for i in range(12):
        ask(store, f"uncovered question {i}", False, 12 - i)
    gaps = knowledge_gaps(store, top=3, now=NOW)
    assert [q.example for q in gaps.declined] == [f"uncovered question {i}" for i in (11, 10, 9)]


def test_within_keeps_recent_rows_only(store):
    ask(store, "old gap", False, 24 * 40)
    ask(store, "new gap", False, 1)
    gaps = knowledge_gaps(store, within=timedelta(days=30), now=NOW)
    assert [q.example for q in gaps.declined] == ["new gap"]


def test_eval_section_lists_counts_and_last_seen(store):
    ask(store, "visa?", False, 1)
    ask(store, "visa", False, 2)
    lines = gap_lines("declined:", knowledge_gaps(store, now=NOW).declined)
    assert lines[0] == "declined:" and "2×" in lines[1] and "2026-11-30 11:00" in lines[1]
    assert gap_lines("empty:", ()) == ["empty:", "  none yet"]


def test_careerbot_eval_prints_the_bots_own_gaps(tmp_path, capsys):
    from bot.config import get_settings
    from bot.terminal.gaps_report import print_knowledge_gaps

    settings = get_settings(CAREERBOT_DATA_DIR=tmp_path / "data")
    settings.data_dir.mkdir(parents=True)
    bots_store = Store.from_settings(settings)
    ask(bots_store, "how do I get a work visa?", False, 3)
    ask(bots_store, "how do I get a work visa", False, 1)
    disliked = ask(bots_store, "is a portfolio needed?", True, 2)
    bots_store.questions.record_feedback(1, disliked, -1, now=NOW - timedelta(hours=2))
    bots_store.close()
    print_knowledge_gaps(settings)
    out = capsys.readouterr().out
    declined, voted = out.split("declined, most asked first:")[1].split("answers voted 👎")
    assert "2×" in declined and "how do I get a work visa" in declined
    assert "1×" in voted and "is a portfolio needed?" in voted
