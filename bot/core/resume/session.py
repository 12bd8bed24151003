"""What the Telegram and terminal résumé coaches share: wording, layout and the blocking work.

Replies are built as `Block`s (an optional title, lines, an optional source) so each adapter
renders them its own way: plain text in the terminal, escaped HTML in Telegram. Nothing here
logs résumé or job-description text.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.resume.blocks import (
    NO_ASKS,
    Block,
    match_blocks,
    match_detail_blocks,
    match_summary_block,
    order_text,
    review_blocks,
    section_title,
    tip_blocks,
)
from bot.core.resume.errors import ResumeInputError
from bot.core.resume.extract import MAX_FILE_BYTES, PASTED_TEXT, extract_text, too_large_error
from bot.core.resume.guided import GUIDED_STEPS, GuidedAdvice, GuidedStep
from bot.core.resume.jd import JDMatch
from bot.core.resume.review import ResumeReview, review_resume

__all__ = [
    "JD_PROMPT", "NO_ASKS", "PHOTO_REPLY", "SEND_FILE_HINT", "Block", "choice_label",
    "format_guided_advice", "format_match", "format_review_text", "guided_blocks",
    "looks_like_question", "match_blocks", "match_detail_blocks", "match_summary_block",
    "numbered_question", "order_text", "parse_choice", "read_and_review", "read_resume_path",
    "review_blocks", "review_pasted", "section_title", "tip_blocks",
]  # fmt: skip

SEND_FILE_HINT = (
    "Send me your résumé as a file (PDF, DOCX or TXT) at any time for a full review of its "
    "sections, order and project write-ups."
)
JD_PROMPT = (
    "Paste the job description as one message: I'll check each of its requirements (skills, "
    "degree, years) against your résumé, with the line that shows it, and give a match score."
)
PHOTO_REPLY = (
    "That's a photo. I can only read résumés with real text in them: please send your résumé "
    "as a file (PDF, .docx or .txt), not as a picture, or paste the text."
)


def guided_blocks(advice: GuidedAdvice, file_hint: str = SEND_FILE_HINT) -> list[Block]:
    """Advice at the end of the guided questions: the order, the tips, then the file hint."""
    return [
        Block("Recommended section order", (order_text(advice.recommended_order),)),
        *tip_blocks(advice.tips, "Tips for your background"),
        Block(None, (f"📎 {file_hint}",)),
    ]


def format_review_text(review: ResumeReview) -> list[str]:
    return [block.plain() for block in review_blocks(review)]


def format_guided_advice(advice: GuidedAdvice, file_hint: str = SEND_FILE_HINT) -> list[str]:
    return [block.plain() for block in guided_blocks(advice, file_hint)]


def format_match(match: JDMatch) -> list[str]:
    return [block.plain() for block in match_blocks(match)]


# ---- the guided questions as numbered choices (terminal) ------------------------------------
def numbered_question(step: GuidedStep) -> str:
    options = "\n".join(f"  {i}. {c.label}" for i, c in enumerate(step.choices, start=1))
    return f"{step.question}\n{options}\nType a number."


def parse_choice(step: GuidedStep, answer: str) -> str | None:
    """The choice's value for "2", "boot camp" or "bootcamp"; None if it is none of them."""
    answer = answer.strip().rstrip(".").lower()
    if answer.isdigit() and 1 <= int(answer) <= len(step.choices):
        return step.choices[int(answer) - 1].value
    for choice in step.choices:
        if answer in (choice.value.replace("_", " "), choice.value, choice.label.lower()):
            return choice.value
    return None


def choice_label(step_key: str, value: str) -> str | None:
    step = next((s for s in GUIDED_STEPS if s.key == step_key), None)
    choice = next((c for c in step.choices if c.value == value), None) if step else None
    return choice.label if choice else None


# ---- blocking work: call through a thread from async code ------------------------------------
def read_and_review(
    data: bytes,
    filename: str,
    mime_type: str | None = None,
) -> tuple[str, ResumeReview]:
    """Extract and review an upload or pasted text. Raises `ResumeInputError`."""
    text = extract_text(data, filename or "", mime_type)
    return text, review_resume(text)


def review_pasted(text: str) -> tuple[str, ResumeReview]:
    return read_and_review(text.encode("utf-8"), PASTED_TEXT, "text/plain")


def read_resume_path(path: Path) -> bytes:
    """A résumé file's bytes, refusing huge files before reading them."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise too_large_error(size)
        return path.read_bytes()
    except OSError as error:
        raise ResumeInputError(
            f"Can't open {path.name!r}: {error.strerror or error}.", "io"
        ) from None


def looks_like_question(text: str) -> bool:
    """A short message ending in "?" is a question, not a pasted résumé or job description."""
    return text.rstrip().endswith("?") and len(text.split()) <= 30 and "\n" not in text.strip()
