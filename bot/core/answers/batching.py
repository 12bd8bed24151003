"""Work that arrives together is done together: one model call, one transaction."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.core.answers.compose import Answer
from bot.core.store import QuestionStore
from bot.knowledge.memory import trim_malloc

BATCH_WINDOW_SECONDS = 0.003  # long enough to gather a burst, too short for anyone to notice
# Two batches at once: one embeds (onnxruntime, off the GIL) while the other retrieves and
# composes in Python. More would only queue for the same two cores (docs/performance.md).
ANSWER_WORKERS = 2
# When the answer batcher falls idle, malloc's free pages go back to the system, at most this
# often: after a burst ~7 MiB less RSS for ~1 ms of a worker's time (docs/performance.md).
TRIM_INTERVAL_SECONDS = 1.0


class MicroBatcher:
    """Collects submissions for a few milliseconds (or up to `max_batch`), processes them at once.

    At most `max_in_flight` batches run at a time; what arrives meanwhile waits and goes in the
    next batch, so a burst is worked through in few large batches instead of many small ones.
    """

    def __init__(self, window: float, max_batch: int, max_in_flight: int = 1) -> None:
        self._window = window
        self._max_batch = max_batch
        self._max_in_flight = max_in_flight
        self._in_flight = 0
        self._pending: list[tuple[Any, asyncio.Future]] = []
        self._flush_handle: asyncio.TimerHandle | None = None

    async def submit(self, item: Any) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        self._pending.append((item, future))
        if len(self._pending) >= self._max_batch:
            self._flush(loop)
        elif self._flush_handle is None:
            self._flush_handle = loop.call_later(self._window, self._flush, loop)
        return await future

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        if self._in_flight >= self._max_in_flight or not self._pending:
            return  # the batch that is running starts the next one when it ends
        batch = self._pending[: self._max_batch]
        del self._pending[: self._max_batch]
        self._in_flight += 1
        loop.create_task(self._run(batch, loop))

    async def _run(self, batch: list[tuple[Any, asyncio.Future]], loop) -> None:
        try:
            results = await self.process([item for item, _ in batch])
        except Exception as exc:  # noqa: BLE001 - every waiter learns of the failure
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
        else:
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)
        finally:
            self._in_flight -= 1
            if self._pending:  # they have waited at least one batch already
                self._flush(loop)
            elif self._in_flight == 0:
                self.idle(loop)

    async def process(self, items: list) -> list:
        """One result per item, in order."""
        raise NotImplementedError

    def idle(self, loop: asyncio.AbstractEventLoop) -> None:
        """Called when the last running batch ends and nothing waits (once after a burst)."""


class AnswerBatcher(MicroBatcher):
    """Questions embedded and retrieved together, in worker threads (off the event loop)."""

    def __init__(
        self,
        service,
        window: float = BATCH_WINDOW_SECONDS,
        max_batch: int = 64,
        workers: int = ANSWER_WORKERS,
        trim: Callable[[], None] = trim_malloc,
        trim_interval: float = TRIM_INTERVAL_SECONDS,
    ) -> None:
        super().__init__(window, max_batch, max_in_flight=workers)
        self.service = service  # replaced whole when the index is reloaded
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="answers")
        self._trim = trim
        self._trim_interval = trim_interval
        self._trimmed_at = float("-inf")

    async def answer(self, question: str) -> Answer:
        return await self.submit(question)

    async def process(self, items: list) -> list:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.service.answer_many, items)

    def idle(self, loop: asyncio.AbstractEventLoop) -> None:
        """What a burst's batches freed goes back to the system, off the event loop."""
        now = time.monotonic()
        if now - self._trimmed_at >= self._trim_interval:
            self._trimmed_at = now
            try:
                loop.run_in_executor(self._executor, self._trim)
            except RuntimeError:  # closed meanwhile (the index reloaded, the bot stopping)
                pass

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class QuestionLogBatcher(MicroBatcher):
    """Question-log rows written a batch per transaction: one SQLite commit, not one per answer."""

    def __init__(self, questions: QuestionStore, window: float = 0.0, max_batch: int = 200) -> None:
        # No waiting: the answer's feedback buttons need the row id. Rows that arrive while a
        # transaction runs go in the next one, so a burst still writes in a few transactions.
        super().__init__(window, max_batch, max_in_flight=1)
        self._questions = questions

    async def log(self, **entry) -> int:
        return await self.submit(entry)

    async def process(self, items: list) -> list:
        return await asyncio.to_thread(self._questions.log_questions, items)
