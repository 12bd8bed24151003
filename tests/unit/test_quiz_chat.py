"""Terminal parity: /quiz, /interview and /stats in the text chat."""

from __future__ import annotations

import io

from bot.core.services import Services
from bot.terminal.chat import run_terminal_chat
from bot.terminal.commands import terminal_commands


class QuizTaker(io.StringIO):
    """A user at the terminal: types the scripted lines, answering quiz questions correctly."""

    def __init__(self, script: list[str], out: io.StringIO, bank: dict) -> None:
        super().__init__()
        self.script, self.out, self.bank = list(script), out, bank

    def readline(self, *args) -> str:
        if not self.script:
            return ""
        line = self.script.pop(0)
        if line == "<right>":  # the number shown next to the key: options are shuffled
            shown = self.out.getvalue().splitlines()
            asked = max(i for i, s in enumerate(shown) if s.startswith("Question "))
            key = self.bank[shown[asked].split(": ", 1)[1]].correct_option
            number = next(
                s.partition(") ")[0] for s in shown[asked + 1 :] if s.partition(") ")[2] == key
            )
            return number + "\n"
        return line + "\n"


def test_quiz_interview_and_stats_in_the_terminal(built_settings, answer_service, tmp_path):
    settings = built_settings.model_copy(update={"data_dir": tmp_path / "data"})
    services = Services.open(settings, answers=answer_service)
    try:
        out = io.StringIO()
        bank = {q.question: q for q in services.quiz.bank}
        script = [
            "/quiz statistics",
            "banana",
            *["<right>"] * 5,
            "/interview behavioural",
            "I built a project.",
            "/stats",
            "/quiz astrology",
        ]
        run_terminal_chat(
            services.answers,
            QuizTaker(script, out, bank),
            out,
            terminal_commands(services, user_id=7),
        )
        text = out.getvalue()
    finally:
        services.close()
    assert text.count("Question ") == 5 and "Please answer with a number" in text
    assert "Quiz finished: 5/5" in text
    assert "Interview question (behavioural)" in text and "Score:" in text
    assert "Answered: 5 questions, 5 correct" in text
    assert "astrology" in text
