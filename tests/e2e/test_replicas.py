"""Two bot processes in webhook mode share one PostgreSQL behind a round-robin load balancer:
each subscriber gets exactly one daily quiz, also when a replica is killed (kill -9) while
delivering; a conversation continues on whichever replica takes the next message; a single
process killed mid-delivery and restarted sends no duplicate."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.core.store import Store
from tests.e2e.replicas import BotReplica, LoadBalancer, private_data_dir

INTRO = "Your daily quiz"


@pytest.fixture
def database(postgres):
    store = Store(postgres.new_database())
    yield store
    store.close()


@pytest.fixture
def make_replica(fake_api, built_settings, database, tmp_path):
    started: list[BotReplica] = []

    async def make(name: str) -> BotReplica:
        workdir = tmp_path / name
        workdir.mkdir(exist_ok=True)
        data = workdir / "data"
        if not data.exists():
            private_data_dir(built_settings.data_dir, data)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(workdir),
            "HF_HUB_OFFLINE": "1",
            "TELEGRAM_BOT_TOKEN": fake_api.token,
            "TELEGRAM_BASE_URL": fake_api.base_url,
            "TELEGRAM_BASE_FILE_URL": fake_api.base_file_url,
            "CAREERBOT_DATA_DIR": str(data),
            "CAREERBOT_KNOWLEDGE_DIR": str(built_settings.knowledge_dir),
            "CAREERBOT_DATABASE_URL": database.engine.url.render_as_string(hide_password=False),
            "CAREERBOT_TICK_SECONDS": "0.5",
        }
        replica = BotReplica(name, workdir, env)
        started.append(replica)
        return await replica.start()

    yield make
    for replica in started:  # a test that failed half-way leaves no process behind
        if replica.process is not None and replica.process.returncode is None:
            replica.process.kill()


async def stop_all(replicas: list[BotReplica]) -> None:
    await asyncio.gather(*(r.stop() for r in replicas))


def polls_per_user(fake_api, users) -> Counter:
    return Counter({u.id: len(fake_api.sent_messages(u.chat_id, method="sendPoll")) for u in users})


def intros_per_user(fake_api, users) -> Counter:
    return Counter(
        {
            u.id: sum(INTRO in (m.text or "") for m in fake_api.sent_messages(u.chat_id))
            for u in users
        }
    )


async def subscribe_all(fake_api, users, database: Store) -> None:
    """Every user sends /daily through the load balancer; then their run is due now."""
    for user in users:
        user.send_text("/daily 09:00")
    for user in users:
        [reply] = await fake_api.wait_for_messages(user.chat_id, 1, timeout=60)
        assert "09:00" in reply.text
    with database.engine.begin() as conn:
        assert conn.execute(
            text("UPDATE subscriptions SET next_run_at = :now"), {"now": datetime.now(UTC)}
        ).rowcount == len(users)


def unsent_claims(database: Store) -> list[tuple[int, str]]:
    with database.engine.connect() as conn:
        return list(
            conn.execute(
                text("SELECT user_id, claimed_by FROM daily_deliveries WHERE status <> 'sent'")
            )
        )


async def wait_until_all_sent(database: Store, count: int, timeout: float = 90) -> None:
    """Every subscriber's delivery is marked sent: from then on nothing can send another today
    (no claim is left, and every subscription's next run is tomorrow)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        with database.engine.connect() as conn:
            sent = conn.scalar(text("SELECT count(*) FROM daily_deliveries WHERE status = 'sent'"))
            due = conn.scalar(
                text("SELECT count(*) FROM subscriptions WHERE next_run_at <= :now"),
                {"now": datetime.now(UTC)},
            )
        if sent == count and due == 0:
            return
        assert asyncio.get_running_loop().time() < deadline, f"{sent}/{count} sent, {due} due"
        await asyncio.sleep(0.2)


async def test_two_replicas_send_one_quiz_each_even_when_one_is_killed_mid_delivery(
    fake_api, make_replica, database
):
    users = [fake_api.user(5000 + i) for i in range(50)]
    replicas = list(await asyncio.gather(make_replica("a"), make_replica("b")))
    async with LoadBalancer(fake_api, replicas) as balancer:
        await subscribe_all(fake_api, users, database)
        assert set(balancer.served_by.values()) == {"a", "b"}  # both took /daily commands
        # Delivery is under way (Telegram's 30 messages/s spreads it over seconds): kill the
        # replica that holds unsent claims, in the middle of them.
        await fake_api.wait_for_calls("sendPoll", count=5, timeout=60)
        holders = Counter(worker for _, worker in unsent_claims(database))
        assert holders, "every quiz was already sent: nothing was killed mid-delivery"
        victim_pid = int(holders.most_common(1)[0][0].split(":")[1])
        [victim] = [r for r in replicas if r.process.pid == victim_pid]
        victim.kill()
        await wait_until_all_sent(database, len(users))
        survivor = next(r for r in replicas if r is not victim)
        assert survivor.process.returncode is None
    await stop_all(replicas)
    assert polls_per_user(fake_api, users) == Counter({u.id: 1 for u in users})
    assert all(n <= 1 for n in intros_per_user(fake_api, users).values())


async def test_a_conversation_continues_on_the_other_replica(fake_api, make_replica, database):
    user = fake_api.user(5100)
    replicas = list(await asyncio.gather(make_replica("a"), make_replica("b")))
    async with LoadBalancer(fake_api, replicas) as balancer:
        user.send_text("/interview technical")
        [question] = await fake_api.wait_for_messages(user.chat_id, 1, timeout=30)
        user.send_text("Bias is error from wrong assumptions; variance is sensitivity to data.")
        [_, feedback] = await fake_api.wait_for_messages(user.chat_id, 2, timeout=30)
        user.send_text("/forget")
        [*_, confirm] = await fake_api.wait_for_messages(user.chat_id, 3, timeout=30)
        user.press_button(confirm, "forget:yes")
        [*_, done] = await fake_api.wait_for_messages(user.chat_id, 4, timeout=30)
        served = [balancer.served_by[uid] for uid in sorted(balancer.served_by)]
    await stop_all(replicas)
    assert served == ["a", "b", "a", "b"]  # every message on the other replica than the last
    assert "Score:" in feedback.text and "Model answer" in feedback.text
    assert "deleted" in done.text
    assert database.interviews.interview_results(5100) == []


async def test_a_single_replica_killed_mid_delivery_and_restarted_sends_no_duplicate(
    fake_api, make_replica, database
):
    users = [fake_api.user(5200 + i) for i in range(30)]
    first = await make_replica("solo")
    async with LoadBalancer(fake_api, [first]):
        await subscribe_all(fake_api, users, database)
        await fake_api.wait_for_calls("sendPoll", count=3, timeout=60)
        assert unsent_claims(database), "every quiz was already sent before the kill"
        first.kill()
        await first.process.wait()
    restarted = await make_replica("solo")
    async with LoadBalancer(fake_api, [restarted]):
        await wait_until_all_sent(database, len(users))
    await stop_all([restarted])
    assert polls_per_user(fake_api, users) == Counter({u.id: 1 for u in users})
    assert all(n <= 1 for n in intros_per_user(fake_api, users).values())
