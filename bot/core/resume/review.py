"""Review a résumé against "How to Get a Machine Learning Internship".

`review_resume(text, jd_text)` finds the sections, infers the author's background (jobs vs
projects, degree field, PhD, self-taught / boot camp), recommends the article's section
order, lists project write-ups that lack a purpose or a method, and attaches rubric tips,
each with its source section. Text that is not a résumé gets an explanation, not advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.resume.background import Background, infer_degree, infer_pathway, resume_signals
from bot.core.resume.entries import project_gaps, split_entries
from bot.core.resume.jd import JDMatch, match_job_description
from bot.core.resume.rubric import Facts, Tip, load_rubric, recommend_order
from bot.core.resume.sections import CANONICAL, split_sections

MIN_WORDS = 25
NOT_A_RESUME = (
    "This doesn't look like a résumé: I couldn't find the usual sections (summary, "
    "experience, projects, education, skills) or details such as dates, roles and contacts. "
    "Please send your résumé as a PDF, a .docx or plain text, with its section headings."
)
TOO_SHORT = (
    "There is too little text here to review. Please send your whole résumé (PDF, .docx or "
    "pasted text) so I can look at its sections."
)


@dataclass(frozen=True)
class ProjectIssue:
    title: str
    missing: list[str]

    def to_json(self) -> dict:
        return {"project": self.title, "missing": list(self.missing)}


@dataclass(frozen=True)
class ResumeReview:
    sections: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    recommended_order: list[str] = field(default_factory=list)
    background: Background | None = None
    tips: list[Tip] = field(default_factory=list)
    jd_match: JDMatch | None = None
    project_issues: list[ProjectIssue] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict:
        data: dict = {}
        if self.error is not None:
            data["error"] = self.error
        data.update(
            {
                "sections": list(self.sections),
                "missing": list(self.missing),
                "recommended_order": list(self.recommended_order),
                "background": self.background.to_json() if self.background else {},
                "tips": [tip.to_json() for tip in self.tips],
                "jd_match": self.jd_match.to_json() if self.jd_match else None,
                "project_issues": [issue.to_json() for issue in self.project_issues],
            }
        )
        return data


def error_review(message: str) -> ResumeReview:
    return ResumeReview(error=message)


def _is_resume(found: list[str], text: str) -> bool:
    signals = resume_signals(text)
    if len(found) >= 2:
        return True
    if len(found) == 1:
        return len(signals) >= 2
    return len(signals) >= 4


def review_resume(text: str, jd_text: str | None = None) -> ResumeReview:
    """Review résumé text; with `jd_text`, also match it against the job description."""
    text = (text or "").strip()
    if len(text.split()) < MIN_WORDS:
        return error_review(TOO_SHORT if text else "The résumé is empty. " + TOO_SHORT)
    layout = split_sections(text)
    found = layout.names
    if not _is_resume(found, text):
        return error_review(NOT_A_RESUME)

    jobs = len(split_entries(layout.text_of("experience")))
    project_entries = split_entries(layout.text_of("projects"))
    issues = [
        ProjectIssue(entry.title or "(untitled project)", gaps)
        for entry in project_entries
        if (gaps := project_gaps(entry))
    ]
    degree_field, degree_related, phd = infer_degree(layout, text)
    self_taught, bootcamp = infer_pathway(text, has_degree=degree_field is not None or phd)
    background = Background(
        jobs=jobs,
        projects=len(project_entries),
        degree_field=degree_field,
        degree_related=degree_related,
        phd=phd,
        self_taught=self_taught,
        bootcamp=bootcamp,
    )
    jd_match = match_job_description(text, jd_text) if jd_text and jd_text.strip() else None
    facts = Facts(
        sections=found,
        jobs=background.jobs,
        projects=background.projects,
        degree_field=degree_field,
        degree_related=degree_related,
        phd=phd,
        self_taught=self_taught,
        bootcamp=bootcamp,
        text=text,
        summary_text=layout.text_of("summary"),
        experience_text=layout.text_of("experience"),
        projects_needing_work=[
            f"{issue.title} (no {' or '.join(issue.missing)})" for issue in issues
        ],
        has_jd=jd_match is not None,
        jd_missing=jd_match.missing if jd_match else [],
    )
    return ResumeReview(
        sections=found,
        missing=[name for name in CANONICAL if name not in found],
        recommended_order=recommend_order(
            more_projects=background.projects > background.jobs,
            education_high=phd or degree_related is True,
        ),
        background=background,
        tips=load_rubric().review_tips(facts),
        jd_match=jd_match,
        project_issues=issues,
    )
