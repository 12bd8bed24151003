"""A quiz in plain text: questions, typed answers, outcomes and summaries."""

from __future__ import annotations

from bot.core.quiz.service import AnswerOutcome, QuizSummary
from bot.knowledge.banks import TOPICS, QuizQuestion


def render_question_text(
    question: QuizQuestion, number: int | None = None, total: int | None = None
) -> str:
    """The question and its options numbered "1) ... 2) ..." for the terminal."""
    head = f"Question {number}/{total}: " if number is not None and total is not None else ""
    lines = [f"{head}{question.question}"]
    lines += [f"{i}) {option}" for i, option in enumerate(question.options, start=1)]
    return "\n".join(lines)


def parse_option(text: str, question: QuizQuestion) -> int | None:
    """The 0-based option a typed reply picks: "2", "b", or the option's own text."""
    reply = text.strip().rstrip(").").strip().casefold()
    if reply.isdigit() and 1 <= int(reply) <= len(question.options):
        return int(reply) - 1
    if len(reply) == 1 and "a" <= reply <= "z" and ord(reply) - ord("a") < len(question.options):
        return ord(reply) - ord("a")
    folded = [option.casefold() for option in question.options]
    return folded.index(reply) if reply in folded else None


def render_outcome_text(outcome: AnswerOutcome) -> str:
    verdict = (
        "✅ Correct!"
        if outcome.correct
        else (f"❌ Not quite — the answer is: {outcome.question.correct_option}")
    )
    lines = [verdict, outcome.explanation]
    if outcome.summary is not None:
        lines += ["", render_summary_text(outcome.summary)]
    return "\n".join(lines)


def render_summary_text(summary: QuizSummary) -> str:
    lines = [f"Quiz finished: {summary.text}."]
    if summary.weakest_topic:
        lines.append(
            f"Worth revising: {TOPICS.get(summary.weakest_topic, summary.weakest_topic)}"
            f" (/quiz {summary.weakest_topic})."
        )
    elif summary.total:
        lines.append("A perfect round. 🎉")
    if summary.streak:
        days = "day" if summary.streak == 1 else "days"
        lines.append(
            f"🔥 Daily streak: {summary.streak} {days}"
            + (" — a milestone, well done!" if summary.milestone else ".")
        )
    return "\n".join(lines)
