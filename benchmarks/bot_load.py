"""The real bot under load through the project's fake Bot API on 127.0.0.1.

Scenarios (each a fresh application, one process holding bot and fake server):
- users50x20: 50 users send 20 questions each at once (limiter off): every question answered
  once; end-to-end latency per question (update queued → answer received by the fake).
- burst: 100 users send 10 questions each at once, limiter off: drain time, answers/second
  (questions drawn from the eval set, so popular ones repeat; and all-unique, the worst case).
- sustained: 20 questions/s from 100 users for 20 s with the default limiter (30 msg/s).
- load sweep: 10 to 300 questions/s offered for 5 s each (limiter off): latency vs load.
The fake server and its simulated users run in a second process, as Telegram would be elsewhere:
latency runs from the update being queued at the fake to the answer reaching it.
Also: peak RSS of the bot process.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time

import common

from tests.e2e.fake_bot_api import FakeBotApi  # noqa: E402  (common puts the root on sys.path)


class TimedFake(FakeBotApi):
    """The fake, stamping when each message reached it."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: dict[int, list[float]] = {}

    def _record(self, method, message, params, files, plain, raw_key):
        if method == "sendMessage":
            self.arrivals.setdefault(message["chat"]["id"], []).append(time.perf_counter())
        return super()._record(method, message, params, files, plain, raw_key)


SWEEP_RATES = (10, 50, 100, 150, 200, 250, 300)  # questions per second offered, limiter off
SWEEP_SECONDS = 5


def burst_questions(questions: list[str], count: int, unique: bool) -> list[str]:
    """The questions users send, in order: eval questions drawn at random (popular ones repeat);
    "unique": no two alike, so no cached vector helps (the worst case)."""
    rng = random.Random(7)
    drawn = [rng.choice(questions) for _ in range(count)]
    return [f"{q} (take {i})" for i, q in enumerate(drawn)] if unique else drawn


def burst_floor(service, texts: list[str], batch: int = 64) -> dict:
    """The bare cost of the same questions: each distinct one embedded once (batches of `batch`)
    plus one Chroma search per question, no Telegram, no retrieval fusion, no composition."""
    collection = service.kb.retriever._passages_col
    embedding_texts = [service.embedding_text(service.prepare(t)) for t in texts]
    distinct = list(dict.fromkeys(embedding_texts))
    started = time.perf_counter()
    vectors = {}
    for start in range(0, len(distinct), batch):
        chunk = distinct[start : start + batch]
        vectors.update(zip(chunk, service.kb.embedder.embed_documents(chunk), strict=True))
    for start in range(0, len(embedding_texts), batch):
        chunk = [vectors[t].tolist() for t in embedding_texts[start : start + batch]]
        collection.query(query_embeddings=chunk, n_results=12, include=["distances"])
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "distinct_questions": len(distinct),
        "answers_per_second": round(len(texts) / seconds, 1),
    }


def _fake_side(
    conn, users: int, per_user: int, spread_seconds: float, timeout: float, unique: bool
) -> None:
    """Child process: the fake Bot API plus the simulated users (Telegram is not in our process)."""

    async def run() -> None:
        questions = common.eval_questions()
        async with TimedFake() as api:
            people = [api.user(10_000 + i) for i in range(users)]
            conn.send({"port": api.port, "token": api.token})
            await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # "go"
            sent: dict[int, list[float]] = {u.chat_id: [] for u in people}
            schedule = [(u, k) for k in range(per_user) for u in people]
            texts = burst_questions(questions, len(schedule), unique)
            started = time.perf_counter()
            for i, ((user, _), text) in enumerate(zip(schedule, texts, strict=True)):
                if spread_seconds:
                    due = started + spread_seconds * i / len(schedule)
                    await asyncio.sleep(max(0.0, due - time.perf_counter()))
                sent[user.chat_id].append(time.perf_counter())
                user.send_text(text)
            deadline = time.perf_counter() + timeout
            while sum(len(v) for v in api.arrivals.values()) < len(schedule):
                if time.perf_counter() > deadline:
                    break
                await asyncio.sleep(0.005)
            drained = time.perf_counter() - started
            await asyncio.sleep(0.3)  # anything arriving now would be a duplicate
            latencies = [
                (arrived - queued) * 1000
                for chat, queued_list in sent.items()
                for queued, arrived in zip(queued_list, api.arrivals.get(chat, []))
            ]
            answered = sum(len(v) for v in api.arrivals.values())
            conn.send(
                {
                    "questions": len(schedule),
                    "answered": answered,
                    "exactly_once": answered == len(schedule)
                    and all(len(api.arrivals.get(c, [])) == per_user for c in sent),
                    "drain_seconds": round(drained, 3),
                    "answers_per_second": round(answered / drained, 1),
                    "latency_ms": common.summary_ms(latencies),
                }
            )
            # Serve until the bot has stopped: its last getUpdates must find the fake still up.
            await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # "bye"

    asyncio.run(run())


async def run_scenario(
    services_factory,
    users: int,
    per_user: int,
    rate_limit: float,
    spread_seconds: float = 0.0,
    timeout: float = 600,
    unique: bool = False,
) -> dict:
    """The bot in this process, the fake Bot API and its users in another (one core each)."""
    import multiprocessing

    from bot.telegram.app import build_application

    parent, child = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_fake_side,
        args=(child, users, per_user, spread_seconds, timeout, unique),
        daemon=True,
    )
    process.start()
    loop = asyncio.get_running_loop()
    endpoint = await loop.run_in_executor(None, parent.recv)
    app = build_application(*services_factory(endpoint, rate_limit))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        parent.send("go")
        figures = await loop.run_in_executor(None, parent.recv)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        parent.send("bye")
        process.join(timeout=30)
    return figures


def main() -> int:
    run = common.Run("bot_load")
    from bot.core.answers.service import AnswerService
    from bot.core.services import Services
    from bot.knowledge.onnx_embedder import OnnxEmbedder, onnx_file

    results: dict = {}
    with common.temp_settings("load") as base:
        common.build_index(base)
        answers = AnswerService.open(base, OnnxEmbedder(onnx_file(base.index_dir)))

        def factory(endpoint, rate_limit):
            from bot.config import get_settings

            url = f"http://127.0.0.1:{endpoint['port']}"
            settings = get_settings(
                TELEGRAM_BOT_TOKEN=endpoint["token"],
                TELEGRAM_BASE_URL=f"{url}/bot",
                TELEGRAM_BASE_FILE_URL=f"{url}/file/bot",
                CAREERBOT_DATA_DIR=base.data_dir,
                CAREERBOT_RATE_LIMIT=rate_limit,
                CAREERBOT_FLOOD_MAX=10_000,
            )
            return settings, Services.open(settings, answers=answers)

        answers.answer("warm up")
        scenarios = {
            "users50x20": dict(users=50, per_user=20, rate_limit=0),
            "burst100x10": dict(users=100, per_user=10, rate_limit=0),
            "burst100x10_unique": dict(users=100, per_user=10, rate_limit=0, unique=True),
            "sustained20qps": dict(users=100, per_user=4, rate_limit=30, spread_seconds=20.0),
        }
        sweep = []
        for rate in SWEEP_RATES:  # latency vs load: eval questions spread evenly over 5 s
            answers.clear_vector_cache()
            figures = asyncio.run(
                run_scenario(
                    factory,
                    users=50,
                    per_user=rate * SWEEP_SECONDS // 50,
                    rate_limit=0,
                    spread_seconds=SWEEP_SECONDS,
                )
            )
            figures["offered_per_second"] = rate
            sweep.append(figures)
            lat = figures["latency_ms"]
            print(
                f"load {rate}/s offered: {figures['answered']}/{figures['questions']} answered, "
                f"latency p50 {lat['p50']} ms p95 {lat['p95']} ms"
            )
        results["load_sweep"] = sweep
        for name, kwargs in scenarios.items():
            answers.clear_vector_cache()  # each scenario starts with no question seen before
            figures = asyncio.run(run_scenario(factory, **kwargs))
            if not kwargs.get("spread_seconds"):  # a burst: beside it, its floor in this run
                texts = burst_questions(
                    common.eval_questions(),
                    kwargs["users"] * kwargs["per_user"],
                    kwargs.get("unique", False),
                )
                answers.clear_vector_cache()
                figures["floor"] = burst_floor(answers, texts)
            results[name] = figures
            lat = figures["latency_ms"]
            floor = figures.get("floor")
            beside = (
                f" | floor (embed {floor['distinct_questions']} distinct + search each) "
                f"{floor['seconds']}s = {floor['answers_per_second']}/s"
                if floor
                else ""
            )
            print(
                f"{name}: {figures['answered']}/{figures['questions']} answered "
                f"(exactly once: {figures['exactly_once']}), drained in {figures['drain_seconds']}s "
                f"= {figures['answers_per_second']}/s; latency p50 {lat['p50']} ms p95 {lat['p95']} ms"
                f"{beside}"
            )
    results["memory"] = common.rss_mb()
    print(f"peak RSS {results['memory']['peak_rss_mb']} MiB (bot + fake server + ingest's model)")
    run.finish(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
