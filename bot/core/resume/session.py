"""What the Telegram and terminal résumé coaches share: wording, layout and the blocking work.

Replies are built as `Block`s (an optional title, lines, an optional source) so each adapter
renders them its own way: plain text in the terminal, escaped HTML in Telegram. Nothing here
logs résumé or job-description text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.core.resume.errors import ResumeInputError
from bot.core.resume.extract import MAX_FILE_BYTES, PASTED_TEXT, extract_text, too_large_error
from bot.core.resume.guided import GUIDED_STEPS, GuidedAdvice, GuidedStep
from bot.core.resume.jd import JDMatch
from bot.core.resume.review import ResumeReview, review_resume
from bot.core.resume.rubric import Tip, load_rubric

SECTION_TITLES = {
    "summary": "Summary",
    "experience": "Experience",
    "projects": "Projects",
    "education": "Education",
    "skills": "Skills",
}
SEND_FILE_HINT = (
    "Send me your résumé as a file (PDF, DOCX or TXT) at any time for a full review of its "
    "sections, order and project write-ups."
)
JD_PROMPT = (
    "Paste the job description as one message: I'll list the skills it asks for, which ones "
    "your résumé shows, which it lacks, and the match percentage."
)
NO_ASKS = (
    "I couldn't find any skills or repeated requirements in that text. Please paste the full "
    "job description, including its requirements."
)
PHOTO_REPLY = (
    "That's a photo. I can only read résumés with real text in them: please send your résumé "
    "as a file (PDF, .docx or .txt), not as a picture, or paste the text."
)
_GAPS_RULE = "job_description_gaps"


@dataclass(frozen=True)
class Block:
    """One self-contained piece of a reply (messages are split between blocks)."""

    title: str | None = None
    lines: tuple[str, ...] = ()
    source: str | None = None

    def plain(self) -> str:
        parts = [f"{self.title}:"] if self.title else []
        parts.extend(self.lines)
        if self.source:
            parts.append(f"   — Source: {self.source}")
        return "\n".join(parts)


def section_title(name: str) -> str:
    return SECTION_TITLES.get(name, name.title())


def order_text(names: list[str]) -> str:
    return " → ".join(section_title(name) for name in names)


def tip_blocks(tips: list[Tip], title: str | None = "Tips") -> list[Block]:
    """One block per tip, each citing its source; the first carries the title."""
    return [
        Block(title if index == 0 else None, (f"💡 {tip.text}",), tip.source)
        for index, tip in enumerate(tips)
    ]


def _order_lines(found: list[str], recommended: list[str]) -> tuple[str, ...]:
    lines = [f"Yours: {order_text(found)}", f"Recommended: {order_text(recommended)}"]
    present = [name for name in recommended if name in found]
    if found == present:
        lines.append("Your sections already follow the recommended order.")
    else:
        lines.append("Consider moving your sections into the recommended order.")
    return tuple(lines)


def review_blocks(review: ResumeReview) -> list[Block]:
    """The review: sections found and missing, order, weak project entries, tips, JD match."""
    if review.error is not None:
        return [Block(None, (review.error,))]
    missing = ", ".join(section_title(name) for name in review.missing)
    blocks = [
        Block("Sections found", (", ".join(section_title(n) for n in review.sections),)),
        Block("Missing sections", (missing or "None: all five main sections are there.",)),
        Block("Section order", _order_lines(review.sections, review.recommended_order)),
    ]
    if review.project_issues:
        blocks.append(
            Block(
                "Projects lacking a purpose or method",
                tuple(
                    f"• {issue.title}: no {' or '.join(issue.missing)}"
                    for issue in review.project_issues
                ),
            )
        )
    if review.jd_match is not None:
        blocks.extend(match_blocks(review.jd_match, with_tip=False))
    blocks.extend(tip_blocks(review.tips))
    return blocks


def guided_blocks(advice: GuidedAdvice, file_hint: str = SEND_FILE_HINT) -> list[Block]:
    """Advice at the end of the guided questions: the order, the tips, then the file hint."""
    return [
        Block("Recommended section order", (order_text(advice.recommended_order),)),
        *tip_blocks(advice.tips, "Tips for your background"),
        Block(None, (f"📎 {file_hint}",)),
    ]


def _gaps_tip() -> Tip:
    rubric = load_rubric()
    rule = next(rule for rule in rubric.rules if rule.id == _GAPS_RULE)
    return Tip(rule.id, rule.tip, rubric.source(rule), rule.quote)


def match_blocks(match: JDMatch, with_tip: bool = True) -> list[Block]:
    """What the JD asks for, what the résumé has and lacks, and the match percentage."""
    if not match.matched and not match.missing:
        return [Block(None, (NO_ASKS,))]
    blocks = [
        Block(
            "Job description match",
            (f"{match.score}% of what the posting asks for shows on your résumé.",),
        ),
        Block("The posting asks for", (", ".join(match.matched + match.missing),)),
        Block("Your résumé has", (", ".join(match.matched) or "none of them yet",)),
        Block("Your résumé lacks", (", ".join(match.missing) or "nothing: well covered!",)),
    ]
    if with_tip and match.missing:
        blocks.extend(tip_blocks([_gaps_tip()], None))
    return blocks


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
