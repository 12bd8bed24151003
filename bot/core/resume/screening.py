"""Is this text a résumé? Sections must hold what such sections hold, and a letter is not one.

A recipe blog with "Experience" and "Education" headings has no dated roles under the first
and no degree or school under the second; a cover letter opens with "Dear ..." and closes
with "Sincerely". Both are refused with an explanation, not reviewed.
"""

from __future__ import annotations

import re

from bot.core.resume.background import resume_signals
from bot.core.resume.entries import split_entries
from bot.core.resume.inference import DEGREE, is_entry_of
from bot.core.resume.lexicon import count_skills
from bot.core.resume.sections import Layout

NOT_A_RESUME = (
    "This doesn't look like a résumé: I couldn't find the usual sections (summary, "
    "experience, projects, education, skills) with what they usually hold, such as roles and "
    "dates, degrees and schools, or skills. Please send your résumé as a PDF, a .docx or "
    "plain text, with its section headings."
)
COVER_LETTER = (
    "This looks like a cover letter, not a résumé: it opens with a greeting and closes with a "
    "sign-off. Please send the résumé itself (PDF, .docx or plain text); I can review the "
    "letter's claims once they are on your résumé."
)
_GREETING = re.compile(r"^\s*(?:dear\b|to whom it may concern|hello\b|hi\b)", re.I | re.M)
_SIGN_OFF = re.compile(
    r"^\s*(?:sincerely|yours (?:sincerely|faithfully|truly)|(?:best|kind|warm) regards|regards|"
    r"respectfully|best wishes|thank you for your (?:time|consideration))\b",
    re.I | re.M,
)


def _holds_what_it_should(name: str, text: str) -> bool:
    if not text.strip():
        return False
    if name == "experience":
        return any(is_entry_of(entry, "experience") for entry in split_entries(text))
    if name == "education":
        return bool(DEGREE.search(text))
    if name == "projects":
        return any(is_entry_of(entry, "projects") for entry in split_entries(text))
    if name == "skills":
        return len(count_skills(text)) >= 2
    return name in ("certifications", "coursework", "publications")


def refusal(layout: Layout, text: str) -> str | None:
    """Why `text` cannot be reviewed as a résumé, or None when it can."""
    if _GREETING.search(text) and _SIGN_OFF.search(text):
        return COVER_LETTER
    valid = [n for n in layout.names if _holds_what_it_should(n, layout.text_of(n))]
    signals = resume_signals(text)
    if len(valid) >= 2 or (len(valid) == 1 and len(signals) >= 2):
        return None
    if not layout.names and len(signals) >= 4:
        return None  # no headings at all, but contacts, dates, roles and skills
    return NOT_A_RESUME
