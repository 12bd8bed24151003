"""Terminal /resume and /match: the Telegram résumé coach as numbered prompts.

/resume          two questions (type a number), then the section order and cited tips
/resume PATH     review a PDF, DOCX or TXT file from disk; it becomes the last résumé
/match [JD]      match a job description (pasted on one line) against the last résumé
"""

from __future__ import annotations

from pathlib import Path

from bot.core.resume import (
    GUIDED_STEPS,
    ResumeInputError,
    advise,
    match_job_description,
    parse_more_projects,
)
from bot.core.resume import session as coach
from bot.terminal.chat import ChatReply, TerminalCommand

NO_RESUME = (
    "I don't have a résumé from you yet: review one first with /resume PATH (PDF, DOCX or TXT)."
)
JD_PROMPT = "Paste the job description on one line:"
FILE_HINT = (
    "Review your résumé file with /resume PATH (PDF, DOCX or TXT) for a full review of "
    "its sections, order and project write-ups."
)


def _text(blocks: list[str]) -> str:
    return "\n\n".join(blocks)


def resume_terminal_commands(services, user_id: int) -> dict[str, TerminalCommand]:
    store = services.store
    last: dict[str, str] = {}  # the résumé reviewed in this session (else the stored one)

    def ask(step_index: int, answers: dict[str, str], retry: str = "") -> ChatReply:
        step = GUIDED_STEPS[step_index]

        def on_answer(line: str) -> ChatReply | str:
            value = coach.parse_choice(step, line)
            if value is None:
                return ask(
                    step_index, answers, f"Please type a number from 1 to {len(step.choices)}.\n"
                )
            chosen = {**answers, step.key: value}
            if step_index + 1 < len(GUIDED_STEPS):
                return ask(step_index + 1, chosen)
            advice = advise(chosen["background"], parse_more_projects(chosen["more_projects"]))
            return _text(coach.format_guided_advice(advice, FILE_HINT))

        return ChatReply(retry + coach.numbered_question(step), expect=on_answer)

    def review_file(argument: str) -> str:
        path = Path(argument.strip().strip("'\"")).expanduser()
        try:
            text, review = coach.read_and_review(coach.read_resume_path(path), path.name)
        except ResumeInputError as error:
            return error.message
        if review.error is None:
            last["text"] = text
            store.resumes.save_resume(user_id, path.name[:256], text)
            footer = "Saved as your last résumé: /match compares it with a job description."
            return _text(
                [f"Résumé review of {path.name}", *coach.format_review_text(review), footer]
            )
        return _text(coach.format_review_text(review))

    def resume(argument: str) -> ChatReply | str:
        return review_file(argument) if argument.strip() else ask(0, {})

    def match(argument: str) -> ChatReply | str:
        resume_text = last.get("text")
        if resume_text is None:
            stored = store.resumes.get_resume(user_id)
            resume_text = stored.text if stored is not None else None
        if resume_text is None:
            return NO_RESUME

        def on_jd(jd_text: str) -> str:
            return _text(coach.format_match(match_job_description(resume_text, jd_text)))

        return on_jd(argument) if argument.strip() else ChatReply(JD_PROMPT, expect=on_jd)

    return {"/resume": resume, "/match": match}
