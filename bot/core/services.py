"""Everything the adapters share, opened once per process: answers, user state, features."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from bot.config import Settings

from .answers import Answer
from .batching import AnswerBatcher
from .flood import FloodGuard
from .service import AnswerService
from .store import Store

log = logging.getLogger(__name__)


@dataclass
class AskResult:
    answer: Answer
    log_id: int | None  # question_log row, for feedback buttons


@dataclass
class Services:
    settings: Settings
    answers: AnswerService
    store: Store
    batcher: AnswerBatcher
    flood: FloodGuard
    generator: object | None = None  # AnswerGenerator when an LLM endpoint is configured
    extras: dict = field(default_factory=dict)  # feature services (quiz, interview, résumé)

    @classmethod
    def open(cls, settings: Settings, answers: AnswerService | None = None) -> "Services":
        from .generator import AnswerGenerator

        if answers is None:
            from .onnx_embedder import load_query_embedder

            answers = AnswerService.open(settings, load_query_embedder(settings.index_dir, settings.embedder))
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return cls(settings=settings, answers=answers, store=Store.from_settings(settings),
                   batcher=AnswerBatcher(answers),
                   flood=FloodGuard(settings.flood_max_messages, settings.flood_window),
                   generator=AnswerGenerator.from_settings(settings))

    async def ask(self, user_id: int, question: str) -> AskResult:
        """Answer a user's question and log it (question, scope, top score, latency)."""
        answer = await self.batcher.answer(question)
        if self.generator is not None and answer.in_scope:
            answer = await self.generator.rewrite(answer)
        log_id = None
        if answer.kind not in ("empty", "no_text", "smalltalk"):
            log_id = await asyncio.to_thread(
                self.store.log_question, user_id, question[:2000], answer.in_scope,
                answer.top_score, int(answer.latency_ms))
        return AskResult(answer, log_id)

    def close(self) -> None:
        self.batcher.close()
        self.store.close()
