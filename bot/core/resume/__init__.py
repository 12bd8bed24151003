"""Résumé review, Telegram-free: extract text, find sections, review, match a job description.

Public API:
    extract_text(data, filename, mime_type=None) -> str          (raises ResumeInputError)
    find_sections(text) -> list[Section]
    review_resume(text, jd_text=None) -> ResumeReview             (.to_json())
    match_job_description(resume_text, jd_text) -> JDMatch
    GUIDED_STEPS, advise(background, more_projects) -> GuidedAdvice
    resume_report(path, jd_path=None) -> dict                     (the CLI's JSON)

How a review is built: headings.py + sections.py (sections under any heading; inference.py
when there are none) → entries.py (jobs, projects) → background.py + career.py (who wrote
it) → order.py (the article's order and the moves to get there) → conditions.py + rubric.py
(tips about this résumé's lines, citing the article) + bullets.py (bullet feedback, beyond
the article) → jd_parse.py + evidence.py + jd.py (requirements met with evidence) →
blocks.py (verdict first, notes by section). Wording and vocabulary live in knowledge/resume/.
"""

from bot.core.resume.errors import ResumeInputError
from bot.core.resume.extract import PASTED_TEXT, extract_text
from bot.core.resume.guided import (
    GUIDED_STEPS,
    GuidedAdvice,
    GuidedStep,
    advise,
    parse_more_projects,
)
from bot.core.resume.jd import JDMatch, match_job_description
from bot.core.resume.report import resume_report
from bot.core.resume.review import ResumeReview, review_resume
from bot.core.resume.rubric import Tip
from bot.core.resume.sections import Section, find_sections, split_sections

__all__ = [
    "GUIDED_STEPS",
    "PASTED_TEXT",
    "GuidedAdvice",
    "GuidedStep",
    "JDMatch",
    "ResumeInputError",
    "ResumeReview",
    "Section",
    "Tip",
    "advise",
    "extract_text",
    "find_sections",
    "match_job_description",
    "parse_more_projects",
    "resume_report",
    "review_resume",
    "split_sections",
]
