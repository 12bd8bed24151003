"""Mock interviews: pick an open question, then grade the student's answer by meaning.

Grading compares the answer with the question's talking points in embedding space. The answer
is cut into sentences and clauses; a talking point counts as covered when its best-matching
piece is similar enough. Both sides first have the question's own direction projected out:
MiniLM rates "A p-value is a value in statistics" close to any sentence about p-values, so
raw cosine rewards restating the question; after the projection what is left is what a piece
says *beyond* the topic. A piece must also be closer to the point than to the question itself.
Even so, a definition-shaped restatement ("A p-value is a value in statistics.") can still
match the definition point; in calibration such answers never covered more than one point.

Thresholds were calibrated on hand-written good, partial, poor and off-topic answers to seven
bank questions, then checked on good and poor answers to four more (tests/unit/test_interview.py
keeps four of them): per-point errors were flat for technical thresholds 0.50-0.56 and
behavioural 0.30-0.40; the held-out good answers scored 60-100, the poor ones 0. Behavioural
talking points are abstract ("say what you would do differently") and a concrete story
matches them less closely, hence the lower bar.
"""

from __future__ import annotations

import random
import re
import weakref
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from bot.core.store import InterviewStore
from bot.knowledge.banks import INTERVIEW_KINDS, InterviewQuestion
from bot.knowledge.embedder import Embedder
from bot.knowledge.text import has_letters, normalise

COVERED_THRESHOLD = {"technical": 0.52, "behavioural": 0.35}
# Below this raw similarity to every talking point and to the question, the answer is about
# something else (calibration: off-topic answers peaked at 0.15, weak on-topic ones at 0.4).
OFF_TOPIC_MAX = 0.25
MIN_WORDS = 4
MIN_CLAUSE_WORDS = 3
RECENT_WINDOW = 50

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSE_BREAK = re.compile(
    r",\s+(?:and|but|so|while|which|because)\s+|;\s*|\s+but\s+|\s+because\s+|\s+so\s+|,\s+"
)
_KIND_ALIASES = {
    "tech": "technical",
    "technical": "technical",
    "behavioral": "behavioural",
    "behavioural": "behavioural",
    "behaviour": "behavioural",
    "behavior": "behavioural",
    "hr": "behavioural",
    "career": "behavioural",
}


class InterviewError(ValueError):
    """A user-facing problem (unknown question or kind)."""


@dataclass(frozen=True)
class InterviewFeedback:
    question_id: str
    covered: list[str]
    missed: list[str]
    score: int  # 0..100: the share of talking points covered
    model_answer: str
    similarities: dict[str, float] = field(default_factory=dict)  # talking point -> best match
    message: str = ""
    off_topic: bool = False
    too_short: bool = False


def resolve_kind(text: str | None) -> str | None:
    """ "technical" / "behavioural" from loose input; None for no preference. Raises
    `InterviewError` for anything else."""
    key = (text or "").strip().casefold()
    if key in ("", "any", "all", "mixed", "random"):
        return None
    if key in _KIND_ALIASES:
        return _KIND_ALIASES[key]
    raise InterviewError(
        f'I don\'t know the interview kind "{text.strip()}". Try: {", ".join(INTERVIEW_KINDS)}.'
    )


def answer_pieces(text: str) -> list[str]:
    """Sentences of the answer, plus the clauses of sentences that have several: a point is
    often made in half a sentence, and a whole sentence would dilute it."""
    sentences = [normalise(s) for s in _SENTENCE_END.split(text or "")]
    sentences = [s for s in sentences if has_letters(s)]
    pieces = list(sentences)
    for sentence in sentences:
        clauses = [
            c.strip() for c in _CLAUSE_BREAK.split(sentence) if len(c.split()) >= MIN_CLAUSE_WORDS
        ]
        if len(clauses) > 1:
            pieces.extend(clauses)
    return list(dict.fromkeys(pieces))


def _without(vectors: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Rows of `vectors` with their component along `direction` removed, re-normalised."""
    rest = vectors - np.outer(vectors @ direction, direction)
    norms = np.linalg.norm(rest, axis=1, keepdims=True)
    return rest / np.maximum(norms, 1e-9)


@dataclass(frozen=True)
class _PointVectors:
    question: np.ndarray  # the question text, unit vector
    raw: np.ndarray  # talking points
    distinct: np.ndarray  # talking points without the question direction


class PointVectorCache:
    """Talking-point vectors per embedder and question: they never change while running."""

    def __init__(self) -> None:
        self._by_embedder: weakref.WeakKeyDictionary[object, dict] = weakref.WeakKeyDictionary()

    def get(self, question: InterviewQuestion, embedder: Embedder) -> _PointVectors:
        key = (question.id, question.question, question.talking_points)
        try:
            table = self._by_embedder.setdefault(embedder, {})
        except TypeError:  # an embedder that cannot be weakly referenced: no caching
            table = {}
        if key not in table:
            vectors = embedder.embed_documents([question.question, *question.talking_points])
            vectors = np.asarray(vectors, dtype=np.float32)
            table[key] = _PointVectors(vectors[0], vectors[1:], _without(vectors[1:], vectors[0]))
        return table[key]


_DEFAULT_CACHE = PointVectorCache()


def _message(score: int) -> str:
    if score >= 80:
        return "Great answer: you hit the key points an interviewer listens for."
    if score >= 50:
        return "Good answer: most of the essentials are there. Add the missing points next time."
    if score > 0:
        return "A fair start. Here is what else a strong answer would mention."
    return (
        "This one is tricky, and that's fine: compare with the model answer below and "
        "try it again later."
    )


def grade_answer(
    question: InterviewQuestion,
    answer_text: str,
    embedder: Embedder,
    cache: PointVectorCache | None = None,
) -> InterviewFeedback:
    """Which talking points the answer covers, judged by meaning (see the module doc)."""
    points = list(question.talking_points)
    empty = dict(
        question_id=question.id, covered=[], missed=points, model_answer=question.model_answer
    )
    words = re.findall(r"\w+", answer_text or "")
    if len(words) < MIN_WORDS:
        return InterviewFeedback(
            **empty,
            score=0,
            similarities={p: 0.0 for p in points},
            too_short=True,
            message="That's a very short answer. In an interview, aim for a few sentences: "
            "here is what a strong answer covers.",
        )
    vectors = (cache or _DEFAULT_CACHE).get(question, embedder)
    pieces = answer_pieces(answer_text)
    answer = np.asarray(embedder.embed_documents(pieces), dtype=np.float32)
    to_points = vectors.raw @ answer.T  # talking points x pieces
    to_question = answer @ vectors.question  # pieces
    relevance = float(max(to_points.max(), to_question.max()))
    distinct = vectors.distinct @ _without(answer, vectors.question).T
    # A piece only counts for a point it is closer to than to the question: otherwise it
    # restates the question rather than making the point.
    best = np.where(to_points > to_question[None, :], distinct, 0.0).max(axis=1)
    similarities = {p: round(float(s), 3) for p, s in zip(points, best)}
    if relevance < OFF_TOPIC_MAX:
        return InterviewFeedback(
            **empty,
            score=0,
            similarities=similarities,
            off_topic=True,
            message="That answer seems to be about something else. No worries: here is what "
            "this question is after.",
        )
    threshold = COVERED_THRESHOLD.get(question.kind, COVERED_THRESHOLD["technical"])
    covered = [p for p in points if similarities[p] >= threshold]
    missed = [p for p in points if similarities[p] < threshold]
    score = round(100 * len(covered) / len(points))
    return InterviewFeedback(
        question.id, covered, missed, score, question.model_answer, similarities, _message(score)
    )


def pick_question(
    bank: Iterable[InterviewQuestion],
    history: Sequence[str] = (),
    kind: str | None = None,
    rng: random.Random | None = None,
) -> InterviewQuestion:
    """A question of `kind` (any when None) not in `history` (question ids, newest first);
    once every one was asked, the one asked longest ago."""
    rng = rng if rng is not None else random.Random()
    kind = resolve_kind(kind)
    candidates = [q for q in bank if kind is None or q.kind == kind]
    if not candidates:
        raise InterviewError("There are no interview questions of that kind yet.")
    last_seen: dict[str, int] = {}
    for age, qid in enumerate(history):
        last_seen.setdefault(qid, age)
    fresh = [q for q in candidates if q.id not in last_seen]
    if fresh:
        return rng.choice(fresh)
    oldest = max(last_seen[q.id] for q in candidates)
    return rng.choice([q for q in candidates if last_seen[q.id] == oldest])


class InterviewService:
    """Questions and grading for one bank; the store keeps each user's scores."""

    def __init__(
        self, results: InterviewStore, bank: Iterable[InterviewQuestion], embedder: Embedder
    ) -> None:
        self.results = results
        self.bank = list(bank)
        self.embedder = embedder
        self._by_id = {q.id: q for q in self.bank}
        self._cache = PointVectorCache()
        # Asked but maybe never answered (so not in the store): don't ask them again soon.
        self._asked: dict[int, deque[str]] = {}

    def question(self, question_id: str) -> InterviewQuestion:
        try:
            return self._by_id[question_id]
        except KeyError:
            raise InterviewError(
                "That interview question no longer exists; ask for a new one with /interview."
            ) from None

    def history(self, user_id: int) -> list[str]:
        """Recently asked question ids, newest first."""
        stored = [r.question_id for r in self.results.interview_results(user_id, RECENT_WINDOW)]
        return list(self._asked.get(user_id, ())) + stored

    def next_question(
        self, user_id: int, kind: str | None = None, rng: random.Random | None = None
    ) -> InterviewQuestion:
        question = pick_question(self.bank, self.history(user_id), kind, rng)
        self._asked.setdefault(user_id, deque(maxlen=RECENT_WINDOW)).appendleft(question.id)
        return question

    def grade(
        self, user_id: int, question_id: str, answer: str, now: datetime | None = None
    ) -> InterviewFeedback:
        """Grade and record the score (a too-short answer is not recorded: usually a slip)."""
        feedback = grade_answer(self.question(question_id), answer, self.embedder, self._cache)
        if not feedback.too_short:
            self.results.record_interview(user_id, question_id, feedback.score, now=now)
        return feedback


def render_feedback_text(feedback: InterviewFeedback) -> str:
    """Plain text for the terminal (the Telegram adapter escapes it for HTML)."""
    total = len(feedback.covered) + len(feedback.missed)
    lines = [
        f"Score: {feedback.score}/100 ({len(feedback.covered)} of {total} key points)",
        feedback.message,
    ]
    if feedback.covered:
        lines += ["", "✅ You covered:"] + [f"  • {p}" for p in feedback.covered]
    if feedback.missed:
        lines += ["", "➕ Worth adding:"] + [f"  • {p}" for p in feedback.missed]
    lines += ["", "Model answer:", feedback.model_answer]
    return "\n".join(lines)
