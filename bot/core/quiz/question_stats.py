"""Which quiz questions measure something, from every user's stored attempts.

A question most users miss may have a bad key or an ambiguous option; one nobody misses is
too easy to teach anything. Both lists leave out questions fewer than `MIN_USERS` users
answered: below that, one user's slip or lucky guess decides the figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.store import QuestionAccuracy, QuizStore
from bot.knowledge.banks import QuizQuestion

MIN_USERS = 5
TOP = 5
MOSTLY_MISSED = 0.5  # share of users who missed a question at least once
_SNIPPET = 60


@dataclass(frozen=True)
class QuestionReport:
    min_users: int
    most_missed: list[QuestionAccuracy]  # missed by at least half its users, worst first
    never_missed: list[QuestionAccuracy]  # nobody missed it, most answered first


def question_report(quiz: QuizStore, min_users: int = MIN_USERS, top: int = TOP) -> QuestionReport:
    rows = quiz.question_accuracy(min_users)
    most = [r for r in rows if r.missed_share >= MOSTLY_MISSED][:top]
    never = sorted(
        (r for r in rows if r.users_missed == 0), key=lambda r: (-r.users, r.question_id)
    )
    return QuestionReport(min_users, most, never[:top])


def report_sections(
    report: QuestionReport, bank: Iterable[QuizQuestion] = ()
) -> list[tuple[str, list[str]]]:
    """Plain-text (title, lines) sections for /admin; `bank` adds each question's opening."""
    texts = {q.id: q.question for q in bank}

    def line(row: QuestionAccuracy) -> str:
        text = texts.get(row.question_id, "")
        if len(text) > _SNIPPET:
            text = text[: _SNIPPET - 1].rstrip() + "…"
        return (
            f"{row.question_id}: {row.users_missed} of {row.users} users missed it "
            f"({row.correct}/{row.attempts} answers right)" + (f" — {text}" if text else "")
        )

    empty = [f"none yet (counting questions at least {report.min_users} users answered)"]
    return [
        ("Quiz questions most users miss (a bad key?)", [*map(line, report.most_missed)] or empty),
        ("Quiz questions nobody misses (too easy?)", [*map(line, report.never_missed)] or empty),
    ]
