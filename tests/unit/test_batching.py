"""MicroBatcher: what arrives together is processed together, and a running batch gathers the next."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.answers.batching import MicroBatcher


class Recording(MicroBatcher):
    """Doubles its items; each batch takes `delay` seconds and is recorded."""

    def __init__(self, delay: float = 0.05, fail_on: object = None, **kwargs) -> None:
        super().__init__(**{"window": 0.003, "max_batch": 100, **kwargs})
        self.delay = delay
        self.fail_on = fail_on
        self.batches: list[list] = []
        self.running = 0
        self.most_at_once = 0
        self.gate: asyncio.Event | None = None  # when set: a batch also waits for the gate

    async def process(self, items: list) -> list:
        self.batches.append(list(items))
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await asyncio.sleep(self.delay)
            if self.gate is not None:
                await self.gate.wait()
            if self.fail_on in items:
                raise ValueError("model failed")
            return [item * 2 for item in items]
        finally:
            self.running -= 1


async def running(batcher: Recording, batches: int) -> None:
    """Wait until the batcher has started `batches` batches (yielding to the loop only)."""
    while len(batcher.batches) < batches:
        await asyncio.sleep(0)


async def test_items_arriving_while_a_batch_runs_go_together_in_the_next() -> None:
    batcher = Recording(max_in_flight=1)
    batcher.gate = asyncio.Event()  # batch [1] runs until the test opens the gate
    first = asyncio.ensure_future(batcher.submit(1))
    await asyncio.wait_for(running(batcher, 1), 5)
    later = [asyncio.ensure_future(batcher.submit(i)) for i in range(2, 12)]
    await asyncio.sleep(0.01)  # longer than the window: the next items arrive in another one
    more = [asyncio.ensure_future(batcher.submit(i)) for i in range(12, 15)]
    batcher.gate.set()
    results = await asyncio.gather(first, *later, *more)
    assert results == [i * 2 for i in range(1, 15)]
    assert batcher.batches == [[1], list(range(2, 15))]  # not one batch per window
    assert batcher.most_at_once == 1


async def test_no_more_than_max_in_flight_batches_run_and_max_batch_holds() -> None:
    batcher = Recording(max_in_flight=2, max_batch=4)
    results = await asyncio.gather(*(batcher.submit(i) for i in range(20)))
    assert results == [i * 2 for i in range(20)]
    assert batcher.most_at_once == 2
    assert all(len(b) <= 4 for b in batcher.batches)
    assert sorted(i for b in batcher.batches for i in b) == list(range(20))  # each exactly once


async def test_a_failed_batch_fails_its_waiters_only_and_the_batcher_goes_on() -> None:
    batcher = Recording(max_in_flight=1, fail_on=3)
    doomed = [asyncio.ensure_future(batcher.submit(i)) for i in (3, 4)]
    await asyncio.wait_for(running(batcher, 1), 5)  # the doomed batch is running
    survivor = asyncio.ensure_future(batcher.submit(5))
    for future in doomed:
        with pytest.raises(ValueError, match="model failed"):
            await future
    assert await survivor == 10
    assert await batcher.submit(6) == 12  # still serving afterwards


async def test_a_lone_item_is_processed_after_the_window_without_a_full_batch() -> None:
    batcher = Recording(delay=0.0, max_in_flight=1, window=0.003)
    assert await asyncio.wait_for(batcher.submit(21), timeout=30) == 42
    assert batcher.batches == [[21]]


class Idling(Recording):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.idle_after: list[int] = []  # how many batches had run each time it fell idle

    def idle(self, loop) -> None:
        self.idle_after.append(len(self.batches))


async def test_the_batcher_falls_idle_once_after_a_burst_not_between_its_batches() -> None:
    batcher = Idling(max_in_flight=2, max_batch=4, delay=0.01)
    await asyncio.gather(*(batcher.submit(i) for i in range(20)))
    assert len(batcher.batches) >= 5
    assert batcher.idle_after == [len(batcher.batches)]
    assert await batcher.submit(99) == 198
    assert batcher.idle_after == [len(batcher.batches) - 1, len(batcher.batches)]


class Echo:
    def answer_many(self, questions: list[str]) -> list[str]:
        return [q.upper() for q in questions]


async def test_the_answer_batcher_gives_memory_back_when_idle_at_most_once_per_interval() -> None:
    import threading

    from bot.core.answers.batching import AnswerBatcher

    trimmed = threading.Semaphore(0)
    calls: list[str] = []

    def trim() -> None:
        calls.append(threading.current_thread().name)
        trimmed.release()

    batcher = AnswerBatcher(Echo(), max_batch=4, trim=trim, trim_interval=3600)
    try:
        answers = await asyncio.gather(*(batcher.answer(f"q{i}") for i in range(10)))
        assert answers == [f"Q{i}" for i in range(10)]
        assert await asyncio.to_thread(trimmed.acquire, timeout=30)
        assert await batcher.answer("again") == "AGAIN"  # idle again within the interval
        await asyncio.gather(*(batcher.answer(f"r{i}") for i in range(6)))
        await asyncio.to_thread(batcher._executor.shutdown, wait=True)  # whatever was scheduled ran
        assert len(calls) == 1
        assert calls[0].startswith("answers")  # in a worker thread, off the event loop
    finally:
        batcher.close()
