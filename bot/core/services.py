"""Everything the adapters share, opened once per process: answers, user state, features."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from bot.config import Settings
from bot.core.answers.batching import AnswerBatcher, QuestionLogBatcher
from bot.core.answers.compose import Answer
from bot.core.answers.generator import AnswerGenerator
from bot.core.answers.service import AnswerService, open_answer_service
from bot.core.flood import FloodGuard
from bot.core.interview.service import InterviewService
from bot.core.quiz.service import QuizService
from bot.core.store import Store
from bot.knowledge.banks import BankError, load_interview_bank, load_quiz_bank
from bot.knowledge.embedder import Embedder
from bot.knowledge.index import IndexProblem, check_manifest, manifest_path, read_manifest

log = logging.getLogger(__name__)


def _open_banks(
    settings: Settings, store: Store, embedder: Embedder
) -> tuple[QuizService | None, InterviewService | None]:
    """Quiz and interview services; a bank that fails validation disables only its feature."""
    quiz: QuizService | None = None
    interview: InterviewService | None = None
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
    generator: AnswerGenerator | None = None  # when an LLM endpoint is configured
    quiz: QuizService | None = None  # None if the quiz bank failed validation
    interview: InterviewService | None = None  # None if the interview bank failed validation
    _manifest_seen: tuple | None = field(default=None, repr=False)

    @classmethod
    def open(cls, settings: Settings, answers: AnswerService | None = None) -> Services:
        # Cheapest refusals first, so a start that fails writes nothing: the manifest (read
        # only), then the database, and only then Chroma (which writes its files on open).
        if answers is None:
            check_manifest(settings, onnx_backend=False)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = Store.from_settings(settings)
        if answers is None:
            try:
                answers = open_answer_service(settings)
            except BaseException:
                store.close()
                raise
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
        if answer.kind not in ("empty", "no_text", "smalltalk", "gibberish"):
            log_id = await self.question_log.log(
                user_id=user_id,
                question=question[:2000].encode("utf-8", "replace").decode(),  # no lone surrogate
                in_scope=answer.in_scope,
                top_score=answer.top_score,
                latency_ms=int(answer.latency_ms),
            )
        return AskResult(answer, log_id)

    async def refresh_index(self) -> bool:
        """Serve a re-ingested index: True when a new one was swapped in.

        The manifest is written last by ingest and its stamp changes at every run, so a cheap
        stat tells when to look. The fresh AnswerService (passages, keyword index, anchors) is
        opened off the event loop and swapped in whole; answers under way finish on the old one.
        An index that fails its checks is logged once and the loaded one stays in service."""
        path = manifest_path(self.settings)
        try:
            seen = path.stat()
        except OSError:
            return False
        signature = (seen.st_mtime_ns, seen.st_size, seen.st_ino)
        if signature == self._manifest_seen:
            return False
        self._manifest_seen = signature
        if read_manifest(self.settings).get("stamp") == self.answers.kb.stamp:
            return False
        try:
            fresh = await asyncio.to_thread(
                AnswerService.open, self.settings, self.answers.kb.embedder
            )
        except IndexProblem as exc:  # logged once: retried when the manifest changes again
            log.error("re-ingested index not served, the loaded one stays: %s", exc)
            return False
        except Exception as exc:  # noqa: BLE001 - e.g. Chroma unreachable for a moment: retry
            self._manifest_seen = None
            log.warning("index reload failed (%s), retrying: the loaded one stays", exc)
            return False
        self.answers = self.batcher.service = fresh
        log.info(
            "index reloaded: %d passages (stamp %s)",
            len(fresh.kb.retriever.passages),
            fresh.kb.stamp,
        )
        return True

    def close(self) -> None:
        self.batcher.close()
        self.store.close()
