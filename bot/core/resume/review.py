"""Review a résumé against "How to Get a Machine Learning Internship".

`review_resume(text, jd_text)` finds the sections (under any heading, or none), infers the
author's background (jobs, projects, degree, PhD, self-taught, boot camp, engineering work),
recommends the article's section order for that background, and writes tips about this
résumé's own lines, each citing the article; bullet-level notes and unplaced headings go
beyond the article and say so. Text that is not a résumé gets an explanation, not advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core.resume.background import Background, infer_degree, infer_pathway
from bot.core.resume.bullets import BulletNote, bullet_notes, grouped_advice, phrases
from bot.core.resume.career import (
    background_kind,
    is_engineering_job,
    is_technical,
    technical_years,
)
from bot.core.resume.conditions import Facts
from bot.core.resume.entries import split_entries
from bot.core.resume.evidence import skill_evidence
from bot.core.resume.headings import unplaced_advice
from bot.core.resume.jd import JDMatch, match_job_description
from bot.core.resume.order import moves, order_for
from bot.core.resume.projects import project_gaps
from bot.core.resume.rubric import Tip, load_rubric
from bot.core.resume.screening import NOT_A_RESUME, refusal
from bot.core.resume.sections import MAIN, split_sections

__all__ = ["NOT_A_RESUME", "ProjectIssue", "ResumeReview", "error_review", "review_resume"]

MIN_WORDS = 25
MAX_BULLET_TIPS = 4  # the worst bullets; every flagged bullet is in `bullet_notes`
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
    unplaced: list[str] = field(default_factory=list)
    bullet_notes: list[BulletNote] = field(default_factory=list)
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
                "unplaced": list(self.unplaced),
                "bullet_notes": [note.to_json() for note in self.bullet_notes],
            }
        )
        return data


def error_review(message: str) -> ResumeReview:
    return ResumeReview(error=message)


def _beyond_tips(unplaced: list[str], notes: list[BulletNote]) -> list[Tip]:
    """Tips that go beyond the article: unplaced headings and the worst bullets."""
    source, advice = unplaced_advice()
    tips = [
        Tip("unplaced_heading", advice.format(line=heading), source, "", heading, "", True)
        for heading in unplaced
    ]
    # Each weak opener or vague phrase is its own tip (the worst few); bullets without a
    # result are quoted together, one tip per section.
    wording = [n for n in notes if n.problem != "no_result"]
    worst = sorted(wording, key=lambda n: _PROBLEM_RANK[n.problem])[:MAX_BULLET_TIPS]
    groups = [
        [n for n in notes if n.problem == "no_result" and n.section == section]
        for section in ("experience", "projects")
    ]
    for group in [[note] for note in worst] + [g for g in groups if g]:
        first = group[0]
        tips.append(
            Tip(f"bullet_{first.problem}", grouped_advice(group), _bullet_source(), "",
                first.line, first.section, True)
        )  # fmt: skip
    tips.sort(key=lambda t: (t.rule_id != "unplaced_heading", _first_index(notes, t.line)))
    return tips


def _first_index(notes: list[BulletNote], line: str) -> int:
    return next((i for i, note in enumerate(notes) if note.line == line), -1)


def review_resume(text: str, jd_text: str | None = None, today: date | None = None) -> ResumeReview:
    """Review résumé text; with `jd_text`, also match it against the job description."""
    text = (text or "").strip()
    if len(text.split()) < MIN_WORDS:
        return error_review(TOO_SHORT if text else "The résumé is empty. " + TOO_SHORT)
    layout = split_sections(text)
    problem = refusal(layout, text)
    if problem:
        return error_review(problem)
    found = layout.names
    jobs = split_entries(layout.text_of("experience"))
    projects = split_entries(layout.text_of("projects"))
    gaps = [(entry, missing) for entry in projects if (missing := project_gaps(entry))]
    degree_field, degree_related, phd = infer_degree(layout, text)
    self_taught, bootcamp = infer_pathway(text, has_degree=degree_field is not None or phd)
    engineering = sum(1 for job in jobs if is_engineering_job(job))
    kind = background_kind(
        phd=phd, engineering_jobs=engineering, jobs=len(jobs), projects=len(projects),
        bootcamp=bootcamp, self_taught=self_taught, degree_related=degree_related,
    )  # fmt: skip
    background = Background(
        len(jobs), len(projects), degree_field, degree_related, phd, self_taught, bootcamp,
        kind, engineering,
    )  # fmt: skip
    # "More projects than work experience": the work that counts is technical work.
    technical = sum(1 for job in jobs if is_technical(job))
    recommended = order_for(kind, technical, len(projects), found)
    evidence = skill_evidence(text)
    has_jd = bool(jd_text and jd_text.strip())
    jd_match = match_job_description(text, jd_text, today, evidence) if has_jd else None
    facts = Facts(
        layout=layout,
        background=background,
        text=text,
        jobs=jobs,
        projects=projects,
        moves=moves(found, recommended, strict_bottom=degree_related is False),
        project_gaps=gaps,
        evidence=evidence,
        years=technical_years(jobs, today),
        technical_jobs=technical,
        jd=jd_match,
    )
    notes = bullet_notes(layout)
    return ResumeReview(
        sections=found,
        missing=[name for name in MAIN if name not in found],
        recommended_order=recommended,
        background=background,
        tips=load_rubric().review_tips(facts) + _beyond_tips(layout.unplaced, notes),
        jd_match=jd_match,
        project_issues=[ProjectIssue(e.title or "(untitled project)", m) for e, m in gaps],
        unplaced=list(layout.unplaced),
        bullet_notes=notes,
    )


_PROBLEM_RANK = {"weak_opener": 0, "noun_opener": 1, "vague": 2, "no_result": 3}


def _bullet_source() -> str:
    return phrases().source
