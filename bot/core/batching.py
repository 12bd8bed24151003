"""Questions that arrive together are embedded together, off the event loop."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from .answers import Answer

BATCH_WINDOW_SECONDS = 0.003  # long enough to gather a burst, too short for anyone to notice
MAX_BATCH = 64


class AnswerBatcher:
    """Collects questions for a few milliseconds and answers them with one model call."""

    def __init__(self, service, window: float = BATCH_WINDOW_SECONDS, max_batch: int = MAX_BATCH,
                 workers: int = 2) -> None:
        self._service = service
        self._window = window
        self._max_batch = max_batch
        self._pending: list[tuple[str, asyncio.Future]] = []
        self._flush_handle: asyncio.TimerHandle | None = None
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="answers")

    async def answer(self, question: str) -> Answer:
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        self._pending.append((question, future))
        if len(self._pending) >= self._max_batch:
            self._flush(loop)
        elif self._flush_handle is None:
            self._flush_handle = loop.call_later(self._window, self._flush, loop)
        return await future

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        batch, self._pending = self._pending, []
        if batch:
            loop.create_task(self._run(batch))

    async def _run(self, batch: list[tuple[str, asyncio.Future]]) -> None:
        loop = asyncio.get_running_loop()
        try:
            answers = await loop.run_in_executor(
                self._executor, self._service.answer_many, [q for q, _ in batch])
        except Exception as exc:  # noqa: BLE001 - every waiter learns of the failure
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), answer in zip(batch, answers, strict=True):
            if not future.done():
                future.set_result(answer)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


class QuestionLogBatcher:
    """Question-log rows written a batch per transaction: one SQLite commit, not one per answer."""

    def __init__(self, store, window: float = 0.02, max_batch: int = 200) -> None:
        self._store = store
        self._window = window
        self._max_batch = max_batch
        self._pending: list[tuple[dict, asyncio.Future]] = []
        self._flush_handle: asyncio.TimerHandle | None = None

    async def log(self, **entry) -> int:
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        self._pending.append((entry, future))
        if len(self._pending) >= self._max_batch:
            self._flush(loop)
        elif self._flush_handle is None:
            self._flush_handle = loop.call_later(self._window, self._flush, loop)
        return await future

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        batch, self._pending = self._pending, []
        if batch:
            loop.create_task(self._write(batch))

    async def _write(self, batch: list[tuple[dict, asyncio.Future]]) -> None:
        try:
            ids = await asyncio.to_thread(self._store.log_questions, [e for e, _ in batch])
        except Exception as exc:  # noqa: BLE001 - every waiter learns of the failure
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), row_id in zip(batch, ids, strict=True):
            if not future.done():
                future.set_result(row_id)
