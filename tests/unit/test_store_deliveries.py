"""Daily-quiz delivery: due-time claims, DST, downtime, crashes, concurrency, once per day."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.core.schedule import ScheduleError, local_date, parse_timezone
from bot.core.store import DEFAULT_GRACE, DEFAULT_LEASE, Store
from bot.core.store.models import DailyDeliveryRow

UTC = UTC


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def db_url(database_url) -> str:
    return database_url


@pytest.fixture
def sqlite_store(tmp_path):
    """The compare-and-set claim (SQLite's path; PostgreSQL locks rows instead)."""
    s = Store(f"sqlite:///{tmp_path / 'cas.sqlite3'}")
    yield s
    s.close()


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def delivery_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(DailyDeliveryRow))


def run_ticks(store: Store, start: datetime, end: datetime, step=timedelta(minutes=10)):
    """A healthy scheduler: claim every tick, send, mark delivered. Returns (user, day, when)."""
    sent = []
    now = start
    while now <= end:
        for delivery in store.deliveries.claim_due_deliveries(now):
            sent.append((delivery.user_id, delivery.local_date, now))
            assert store.deliveries.mark_delivered(delivery.user_id, delivery.local_date, now)
        now += step
    return sent


def test_claim_at_due_time_once_and_advance_to_next_local_day(store):
    sub = store.subscriptions.subscribe(
        1, 100, "08:30", "Europe/Berlin", now=utc(2025, 1, 15, 6, 0)
    )
    assert sub.next_run_at == utc(2025, 1, 15, 7, 30)
    assert store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 7, 29, 59)) == []
    [delivery] = store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 7, 30))
    assert (delivery.user_id, delivery.chat_id, delivery.local_date, delivery.status) == (
        1,
        100,
        date(2025, 1, 15),
        "pending",
    )
    assert store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 7, 30)) == []
    assert store.subscriptions.get_subscription(1).next_run_at == utc(2025, 1, 16, 7, 30)
    assert store.deliveries.mark_delivered(1, date(2025, 1, 15), now=utc(2025, 1, 15, 7, 30, 2))
    assert store.deliveries.get_delivery(1, date(2025, 1, 15)).status == "sent"
    assert store.deliveries.mark_delivered(1, date(2025, 1, 15)) is False


@pytest.mark.parametrize(
    ("tz", "wall", "first_utc"),
    [
        ("Europe/Berlin", "08:00", utc(2025, 3, 28, 7, 0)),
        ("America/New_York", "08:00", utc(2025, 3, 7, 13, 0)),
        ("Asia/Kolkata", "08:00", utc(2025, 3, 7, 2, 30)),
        ("UTC+5:30", "08:00", utc(2025, 3, 7, 2, 30)),
        ("GMT-3", "08:00", utc(2025, 3, 7, 11, 0)),
    ],
)
def test_subscriptions_deliver_at_local_time_in_each_zone(store, tz, wall, first_utc):
    store.subscriptions.subscribe(1, 1, wall, tz, now=first_utc - timedelta(hours=3))
    sent = run_ticks(
        store,
        first_utc - timedelta(hours=1),
        first_utc + timedelta(days=4),
        step=timedelta(minutes=5),
    )
    days = [day for _, day, _ in sent]
    assert len(days) == 5 and len(set(days)) == 5
    assert sent[0][2] == first_utc
    assert all(local_date(when, tz) == day for _, day, when in sent)


def test_dst_spring_forward_and_fall_back_deliver_once_per_local_day(store):
    # Berlin 2025-03-30 (02:30 does not exist) and New York 2025-11-02 (01:30 twice).
    store.subscriptions.subscribe(1, 1, "02:30", "Europe/Berlin", now=utc(2025, 3, 28, 12, 0))
    store.subscriptions.subscribe(2, 2, "01:30", "America/New_York", now=utc(2025, 3, 28, 12, 0))
    sent = run_ticks(store, utc(2025, 3, 28, 12, 0), utc(2025, 4, 1, 12, 0))
    berlin = [(day, when) for user, day, when in sent if user == 1]
    assert [d for d, _ in berlin] == [
        date(2025, 3, 29),
        date(2025, 3, 30),
        date(2025, 3, 31),
        date(2025, 4, 1),
    ]
    assert berlin[1][1] == utc(2025, 3, 30, 1, 0)  # the gap day fires when clocks jump to 03:00

    store.subscriptions.subscribe(2, 2, "01:30", "America/New_York", now=utc(2025, 10, 31, 12, 0))
    sent = run_ticks(store, utc(2025, 10, 31, 12, 0), utc(2025, 11, 4, 12, 0))
    new_york = [(day, when) for user, day, when in sent if user == 2]
    assert [d for d, _ in new_york] == [
        date(2025, 11, 1),
        date(2025, 11, 2),
        date(2025, 11, 3),
        date(2025, 11, 4),
    ]
    assert new_york[1][1] == utc(2025, 11, 2, 5, 30)  # first 01:30 (EDT), not the repeat


def test_late_claim_within_grace_belongs_to_the_scheduled_local_day(store):
    store.subscriptions.subscribe(1, 1, "23:30", "Europe/Berlin", now=utc(2025, 1, 15, 12, 0))
    # Due 22:30 UTC on the 15th; a worker only gets to it 45 minutes later (Berlin's 16th).
    [late] = store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 23, 15))
    assert late.local_date == date(2025, 1, 15)
    [next_day] = store.deliveries.claim_due_deliveries(utc(2025, 1, 16, 22, 30))
    assert next_day.local_date == date(2025, 1, 16)


def test_grace_boundary(store):
    store.subscriptions.subscribe(1, 1, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    store.subscriptions.subscribe(2, 2, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    store.subscriptions.unsubscribe(2)
    assert len(store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 8, 0) + DEFAULT_GRACE)) == 1
    store.subscriptions.subscribe(2, 2, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    assert (
        store.deliveries.claim_due_deliveries(
            utc(2025, 1, 15, 8, 0) + DEFAULT_GRACE + timedelta(seconds=1)
        )
        == []
    )
    assert store.subscriptions.get_subscription(2).next_run_at == utc(2025, 1, 16, 8, 0)


def test_no_burst_of_stale_deliveries_after_downtime(store):
    for uid, tz in enumerate(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC-03:30"], 1):
        store.subscriptions.subscribe(uid, uid, "08:00", tz, now=utc(2025, 1, 10, 0, 0))
    back_up = utc(2025, 1, 15, 20, 0)  # five days down
    assert store.deliveries.claim_due_deliveries(back_up) == []
    assert delivery_rows(store) == 0
    for uid in range(1, 5):
        sub = store.subscriptions.get_subscription(uid)
        assert back_up < sub.next_run_at <= back_up + timedelta(days=1)
        assert sub.next_run_at.astimezone(parse_timezone(sub.timezone)).hour == 8
    # And the schedule carries on normally afterwards.
    sent = run_ticks(store, back_up, back_up + timedelta(days=1))
    assert sorted(user for user, _, _ in sent) == [1, 2, 3, 4]


def test_killed_between_claim_and_send_is_redelivered_once_after_restart(db_url):
    first = Store(db_url)
    first.subscriptions.subscribe(1, 100, "08:00", "Asia/Kolkata", now=utc(2025, 1, 15, 0, 0))
    due = utc(2025, 1, 15, 2, 30)
    [claimed] = first.deliveries.claim_due_deliveries(due)
    first.close()  # the process dies here: nothing sent, nothing marked

    restarted = Store(db_url)
    # No second claim.
    assert restarted.deliveries.claim_due_deliveries(due + timedelta(minutes=1)) == []
    # Lease still held.
    assert restarted.deliveries.pending_deliveries(due + timedelta(minutes=1)) == []
    later = due + DEFAULT_LEASE
    [again] = restarted.deliveries.pending_deliveries(later)
    assert (again.user_id, again.chat_id, again.local_date) == (1, 100, claimed.local_date)
    assert restarted.deliveries.pending_deliveries(later) == []  # handed out once
    assert restarted.deliveries.mark_delivered(1, again.local_date, now=later)
    assert restarted.deliveries.pending_deliveries(later + timedelta(hours=1)) == []
    assert restarted.deliveries.claim_due_deliveries(later + timedelta(hours=1)) == []
    assert restarted.deliveries.get_delivery(1, claimed.local_date).status == "sent"
    assert delivery_rows(restarted) == 1
    restarted.close()


def test_pending_too_old_or_unsubscribed_is_not_redelivered(store):
    store.subscriptions.subscribe(1, 1, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    store.subscriptions.subscribe(2, 2, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    assert len(store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 8, 0))) == 2
    store.subscriptions.unsubscribe(2)
    assert [d.user_id for d in store.deliveries.pending_deliveries(utc(2025, 1, 15, 8, 10))] == [1]
    store.subscriptions.subscribe(3, 3, "09:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 9, 0))
    # The next morning yesterday's unsent quiz is stale: not sent late.
    assert store.deliveries.pending_deliveries(utc(2025, 1, 16, 7, 0)) == []


def test_two_workers_interleaved_never_both_claim(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cas.sqlite3'}"
    worker_a, worker_b = Store(url), Store(url)
    for uid in range(1, 6):
        worker_a.subscriptions.subscribe(
            uid, uid, "08:00", "Europe/Berlin", now=utc(2025, 1, 15, 0, 0)
        )
    now = utc(2025, 1, 15, 7, 0)
    from_b = []
    read_due = worker_a.deliveries._due_subscriptions

    def read_then_other_worker_claims(at, limit):
        seen = read_due(at, limit)  # A has read the due rows...
        # ...B claims them before A writes.
        from_b.extend(worker_b.deliveries.claim_due_deliveries(at))
        return seen

    monkeypatch.setattr(worker_a.deliveries, "_due_subscriptions", read_then_other_worker_claims)
    from_a = worker_a.deliveries.claim_due_deliveries(now)
    assert from_a == []
    assert sorted(d.user_id for d in from_b) == [1, 2, 3, 4, 5]
    assert delivery_rows(worker_a) == 5
    worker_a.close()
    worker_b.close()


def test_claim_loses_to_a_resubscribe_between_read_and_write(sqlite_store, monkeypatch):
    store = sqlite_store
    store.subscriptions.subscribe(1, 1, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    read_due = store.deliveries._due_subscriptions

    def read_then_user_resubscribes(at, limit):
        seen = read_due(at, limit)
        # The user changes the time meanwhile.
        store.subscriptions.subscribe(1, 1, "20:00", "UTC", now=at)
        return seen

    monkeypatch.setattr(store.deliveries, "_due_subscriptions", read_then_user_resubscribes)
    # A stale read: no claim.
    assert store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 8, 0)) == []
    sub = store.subscriptions.get_subscription(1)
    assert (sub.local_time, sub.next_run_at) == ("20:00", utc(2025, 1, 15, 20, 0))
    monkeypatch.undo()
    [delivery] = store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 20, 0))
    assert delivery.local_date == date(2025, 1, 15)


def test_claim_loses_to_an_unsubscribe_between_read_and_write(sqlite_store, monkeypatch):
    store = sqlite_store
    store.subscriptions.subscribe(1, 1, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    read_due = store.deliveries._due_subscriptions

    def read_then_user_unsubscribes(at, limit):
        seen = read_due(at, limit)
        store.subscriptions.unsubscribe(1)
        return seen

    monkeypatch.setattr(store.deliveries, "_due_subscriptions", read_then_user_unsubscribes)
    assert store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 8, 0)) == []
    assert delivery_rows(store) == 0


def test_postgresql_replicas_skip_rows_another_replica_is_claiming(postgres, monkeypatch):
    url = postgres.new_database()
    replica_a, replica_b = Store(url), Store(url)
    for uid in range(1, 6):
        replica_a.subscriptions.subscribe(uid, uid, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    from_b: list = []
    insert = replica_a.deliveries._insert_claim

    def insert_while_b_claims(session, seen, now, grace, worker):
        if not from_b:  # A holds the locks on every due row: B must skip them, not wait
            from_b.append(replica_b.deliveries.claim_due_deliveries(now, worker="b"))
        return insert(session, seen, now, grace, worker)

    monkeypatch.setattr(replica_a.deliveries, "_insert_claim", insert_while_b_claims)
    from_a = replica_a.deliveries.claim_due_deliveries(utc(2025, 1, 15, 8, 0), worker="a")
    assert from_b == [[]]
    assert [d.user_id for d in from_a] == [1, 2, 3, 4, 5]
    monkeypatch.undo()
    assert replica_b.deliveries.claim_due_deliveries(utc(2025, 1, 15, 8, 1), worker="b") == []
    replica_a.close()
    replica_b.close()


def test_a_live_replica_keeps_its_claims_and_a_dead_ones_are_taken_over(store):
    store.subscriptions.subscribe(1, 1, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    store.subscriptions.subscribe(2, 2, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    due = utc(2025, 1, 15, 8, 0)
    [one] = store.deliveries.claim_due_deliveries(due, limit=1, worker="alive")
    [two] = store.deliveries.claim_due_deliveries(due, worker="dead")
    lease = timedelta(seconds=30)
    later = due + timedelta(seconds=20)
    assert store.deliveries.renew_claims("alive", later) == 1
    # Past the dead replica's lease, not the live one's renewed lease.
    takeover = due + timedelta(seconds=40)
    taken = store.deliveries.pending_deliveries(takeover, lease=lease, worker="survivor")
    assert [d.user_id for d in taken] == [two.user_id]
    assert store.deliveries.holds_claim("survivor", two.user_id, two.local_date)
    assert not store.deliveries.holds_claim("dead", two.user_id, two.local_date)
    assert store.deliveries.holds_claim("alive", one.user_id, one.local_date)
    assert store.deliveries.pending_deliveries(takeover, lease=lease, worker="other") == []


def test_concurrent_claimers_in_threads_split_users_without_overlap(db_url):
    setup = Store(db_url)
    users = range(1, 61)
    for uid in users:
        setup.subscriptions.subscribe(uid, uid, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    workers = [Store(db_url) for _ in range(4)]
    barrier = threading.Barrier(len(workers))
    results: list[list[int]] = [[] for _ in workers]
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait()
            for tick in range(3):  # repeated ticks must not re-claim
                claimed = workers[index].deliveries.claim_due_deliveries(utc(2025, 1, 15, 8, tick))
                results[index].extend(d.user_id for d in claimed)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    everyone = [uid for result in results for uid in result]
    assert sorted(everyone) == list(users)  # each user claimed by exactly one worker, once
    assert delivery_rows(setup) == len(users)
    for store in (setup, *workers):
        store.close()


def _claim_in_process(url: str, now: datetime, barrier, queue) -> None:
    store = Store(url)
    barrier.wait()
    queue.put([d.user_id for d in store.deliveries.claim_due_deliveries(now)])
    store.close()


def test_concurrent_claimers_in_processes_split_users_without_overlap(db_url):
    setup = Store(db_url)
    for uid in range(1, 41):
        setup.subscriptions.subscribe(uid, uid, "08:00", "Asia/Kolkata", now=utc(2025, 1, 15, 0, 0))
    context = multiprocessing.get_context("spawn")
    barrier, queue = context.Barrier(2), context.Queue()
    processes = [
        context.Process(
            target=_claim_in_process, args=(db_url, utc(2025, 1, 15, 2, 45), barrier, queue)
        )
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    claimed = [queue.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    assert sorted(claimed[0] + claimed[1]) == list(range(1, 41))
    assert delivery_rows(setup) == 40
    setup.close()


def test_resubscribing_later_the_same_day_gives_no_second_quiz(store):
    store.subscriptions.subscribe(1, 1, "08:00", "Europe/Berlin", now=utc(2025, 1, 15, 6, 0))
    assert len(store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 7, 0))) == 1
    sub = store.subscriptions.subscribe(1, 1, "18:00", "Europe/Berlin", now=utc(2025, 1, 15, 9, 0))
    assert sub.next_run_at == utc(2025, 1, 16, 17, 0)  # today already had its quiz
    store.subscriptions.unsubscribe(1)
    store.subscriptions.subscribe(1, 1, "20:00", "Europe/Berlin", now=utc(2025, 1, 15, 10, 0))
    sent = run_ticks(store, utc(2025, 1, 15, 10, 0), utc(2025, 1, 16, 23, 0))
    assert [(user, day) for user, day, _ in sent] == [(1, date(2025, 1, 16))]


def test_moving_to_a_zone_that_is_behind_gives_no_second_quiz_that_day(store):
    store.subscriptions.subscribe(1, 1, "08:00", "Asia/Kolkata", now=utc(2025, 1, 14, 12, 0))
    # 08:00 on the 15th in Kolkata.
    [first] = store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 2, 30))
    assert first.local_date == date(2025, 1, 15)
    # Flying to New York: it is still the 14th there; the 15th at 08:00 New York already had one.
    assert (
        store.subscriptions.set_timezone(1, "america/new_york", now=utc(2025, 1, 15, 3, 0))
        == "America/New_York"
    )
    assert store.subscriptions.get_subscription(1).next_run_at == utc(2025, 1, 16, 13, 0)
    assert store.users.get_user(1).timezone == "America/New_York"


def test_a_day_with_a_recorded_delivery_is_never_claimed_again(store):
    store.subscriptions.subscribe(1, 1, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    with store.db.transaction() as session:  # recorded by another path, e.g. an older worker
        session.add(
            DailyDeliveryRow(
                user_id=1,
                chat_id=1,
                local_date=date(2025, 1, 15),
                status="sent",
                created_at=utc(2025, 1, 15, 1, 0),
                claimed_at=utc(2025, 1, 15, 1, 0),
            )
        )
    assert store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 8, 0)) == []
    assert store.subscriptions.get_subscription(1).next_run_at == utc(2025, 1, 16, 8, 0)
    assert delivery_rows(store) == 1


def test_subscribe_validates_input_and_stores_nothing_on_error(store):
    with pytest.raises(ScheduleError):
        store.subscriptions.subscribe(1, 1, "25:00", "UTC")
    with pytest.raises(ScheduleError):
        store.subscriptions.subscribe(1, 1, "08:00", "Mars/Base")
    assert store.subscriptions.get_subscription(1) is None
    sub = store.subscriptions.subscribe(1, 1, "8:05", "utc+5:30", now=utc(2025, 1, 15, 0, 0))
    assert (sub.local_time, sub.timezone, sub.next_run_at) == (
        "08:05",
        "UTC+05:30",
        utc(2025, 1, 15, 2, 35),
    )
    assert store.users.get_user(1).timezone == "UTC+05:30"


def test_unsubscribed_users_are_not_claimed(store):
    store.subscriptions.subscribe(1, 1, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    assert store.subscriptions.unsubscribe(1) is True
    assert store.subscriptions.unsubscribe(1) is False
    assert store.deliveries.claim_due_deliveries(utc(2025, 1, 15, 8, 0)) == []
    assert store.subscriptions.get_subscription(1).active is False


def test_set_timezone_moves_the_next_run(store):
    store.subscriptions.subscribe(1, 1, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    store.subscriptions.set_timezone(1, "Asia/Kolkata", now=utc(2025, 1, 15, 0, 0))
    sub = store.subscriptions.get_subscription(1)
    assert (sub.timezone, sub.next_run_at) == ("Asia/Kolkata", utc(2025, 1, 15, 2, 30))


def test_a_quiz_being_sent_when_its_replica_died_is_never_sent_again(store):
    store.subscriptions.subscribe(1, 1, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    store.subscriptions.subscribe(2, 2, "08:00", "UTC", now=utc(2025, 1, 15, 0, 0))
    due = utc(2025, 1, 15, 8, 0)
    sending, refused = store.deliveries.claim_due_deliveries(due, worker="dead")
    assert store.deliveries.start_sending("dead", sending.user_id, sending.local_date)
    assert not store.deliveries.start_sending("other", refused.user_id, refused.local_date)
    assert store.deliveries.start_sending("dead", refused.user_id, refused.local_date)
    assert store.deliveries.send_failed("dead", refused.user_id, refused.local_date)
    taken = store.deliveries.pending_deliveries(due + DEFAULT_LEASE, worker="survivor")
    # The one that may have arrived says so; the refused one is plainly pending again.
    assert {(d.user_id, d.status) for d in taken} == {(1, "sending"), (2, "pending")}
    assert not store.deliveries.start_sending("survivor", 1, sending.local_date)
    assert store.deliveries.mark_delivered(1, sending.local_date)
    assert store.deliveries.get_delivery(1, sending.local_date).status == "sent"
