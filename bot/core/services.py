"""Everything the adapters share, opened once per process: answers, user state, features."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.config import Settings
from bot.core.answers.batching import AnswerBatcher, QuestionLogBatcher
from bot.core.answers.compose import Answer
from bot.core.answers.service import AnswerService
from bot.core.flood import FloodGuard
from bot.core.store import Store

log = logging.getLogger(__name__)


def _open_banks(settings: Settings, store: Store, embedder):
    """Quiz and interview services; a bank that fails validation disables only its feature."""
    from bot.core.interview.service import InterviewService
    from bot.core.quiz.service import QuizService
    from bot.knowledge.banks import BankError, load_interview_bank, load_quiz_bank

    quiz = interview = None
    try:
        quiz = QuizService(store.quiz, store.cards, load_quiz_bank(settings.knowledge_dir / "quiz"))
    except (BankError, OSError) as exc:
        log.error("quiz bank unusable, /quiz disabled: %s", exc)
    try:
        interview = InterviewService(
            store.interviews, load_interview_bank(settings.knowledge_dir / "interview"), embedder
        )
    except (BankError, OSError) as exc:
        log.error("interview bank unusable, /interview disabled: %s", exc)
    return quiz, interview


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
    question_log: QuestionLogBatcher
    flood: FloodGuard
    generator: object | None = None  # AnswerGenerator when an LLM endpoint is configured
    quiz: object | None = None  # QuizService (None if the bank failed validation)
    interview: object | None = None  # InterviewService

    @classmethod
    def open(cls, settings: Settings, answers: AnswerService | None = None) -> Services:
        from bot.core.answers.generator import AnswerGenerator

        if answers is None:
            from bot.knowledge.onnx_embedder import load_query_embedder

            answers = AnswerService.open(
                settings, load_query_embedder(settings.index_dir, settings.embedder)
            )
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = Store.from_settings(settings)
        quiz, interview = _open_banks(settings, store, answers.kb.embedder)
        return cls(
            settings=settings,
            answers=answers,
            store=store,
            batcher=AnswerBatcher(answers),
            question_log=QuestionLogBatcher(store.questions),
            flood=FloodGuard(settings.flood_max_messages, settings.flood_window),
            generator=AnswerGenerator.from_settings(settings),
            quiz=quiz,
            interview=interview,
        )

    async def ask(self, user_id: int, question: str) -> AskResult:
        """Answer a user's question and log it (question, scope, top score, latency)."""
        answer = await self.batcher.answer(question)
        if self.generator is not None and answer.in_scope:
            answer = await self.generator.rewrite(answer)
        log_id = None
        if answer.kind not in ("empty", "no_text", "smalltalk"):
            log_id = await self.question_log.log(
                user_id=user_id,
                question=question[:2000],
                in_scope=answer.in_scope,
                top_score=answer.top_score,
                latency_ms=int(answer.latency_ms),
            )
        return AskResult(answer, log_id)

    def close(self) -> None:
        self.batcher.close()
        self.store.close()
