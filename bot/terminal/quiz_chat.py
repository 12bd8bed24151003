"""Terminal /quiz, /interview and /stats over the same services as the Telegram bot."""

from __future__ import annotations

from bot.core.interview.service import InterviewError, render_feedback_text, resolve_kind
from bot.core.quiz.service import QuizError
from bot.core.quiz.stats import render_stats_text, user_stats
from bot.core.quiz.texts import parse_option, render_outcome_text, render_question_text
from bot.terminal.chat import ChatReply


def quiz_terminal_commands(services, user_id: int) -> dict:
    """`/quiz [topic]` asks five numbered questions; `/interview`; `/stats`."""
    quiz, interview = services.quiz, services.interview

    def ask(session) -> ChatReply:
        question = quiz.current_question(session)
        text = render_question_text(question, session.position + 1, len(session.question_ids))
        return ChatReply(
            text + "\n(answer with a number)", expect=lambda line: answer(session, line)
        )

    def answer(session, line: str) -> ChatReply | str:
        question = quiz.current_question(session)
        option = parse_option(line, question)
        if option is None:
            return ChatReply(
                f"Please answer with a number from 1 to {len(question.options)}.",
                expect=lambda again: answer(session, again),
            )
        outcome = quiz.record_answer(session.session_id, option, user_id=user_id)
        if outcome is None:
            return "That quiz is over. Start another with /quiz."
        text = render_outcome_text(outcome)
        if outcome.finished:
            return text
        following = ask(outcome.session)
        return ChatReply(f"{text}\n\n{following.text}", expect=following.expect)

    def quiz_command(argument: str) -> ChatReply | str:
        if quiz is None:
            return "The quiz is unavailable right now."
        try:
            session = quiz.start_session(user_id, 0, argument or None)
        except QuizError as exc:
            return str(exc)
        return ask(session)

    def interview_command(argument: str) -> ChatReply | str:
        if interview is None:
            return "Mock interviews are unavailable right now."
        try:
            question = interview.next_question(user_id, resolve_kind(argument or None))
        except InterviewError as exc:
            return str(exc)

        def grade(line: str) -> str:
            return render_feedback_text(interview.grade(user_id, question.id, line))

        return ChatReply(
            f"Interview question ({question.kind}):\n{question.question}\n(answer in one message)",
            expect=grade,
        )

    def stats_command(argument: str) -> str:
        return render_stats_text(user_stats(services.store, user_id))

    return {"/quiz": quiz_command, "/interview": interview_command, "/stats": stats_command}
