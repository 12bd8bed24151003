"""Match a résumé against a job description, requirement by requirement, with evidence.

Source: How to Get a Machine Learning Internship › Tailor Each Resume to the Job. Each
requirement (jd_parse.py) is met, with the résumé line that shows it, or missing. A skill
shown in a job or project line counts fully, one only listed counts half, and a long skills
list that no job or project backs up is named keyword stuffing and counts for little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.core.resume.background import infer_degree
from bot.core.resume.career import is_technical, technical_years
from bot.core.resume.entries import split_entries
from bot.core.resume.evidence import SkillEvidence, skill_evidence
from bot.core.resume.jd_parse import Requirement, parse_requirements, repeated_phrases
from bot.core.resume.sections import split_sections

__all__ = ["JDMatch", "RequirementResult", "match_job_description", "repeated_phrases"]


@dataclass(frozen=True)
class RequirementResult:
    requirement: Requirement
    strength: float  # 0 missing, 1 shown in a job or project; between: listed, summary
    evidence: str | None = None  # the résumé line that shows it
    matched_as: str | None = None  # which alternative ("LightGBM" for "XGBoost or LightGBM")

    @property
    def met(self) -> bool:
        return self.strength > 0

    def to_json(self) -> dict:
        return {
            **self.requirement.to_json(),
            "met": self.met,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class JDMatch:
    """`score` 0-100: the weighted share of the posting's requirements the résumé shows."""

    score: int
    results: list[RequirementResult] = field(default_factory=list)
    keyword_stuffing: bool = False

    @property
    def matched(self) -> list[str]:
        return [r.matched_as or r.requirement.text for r in self._ordered() if r.met]

    @property
    def missing(self) -> list[str]:
        return [r.requirement.text for r in self._ordered() if not r.met]

    def _ordered(self) -> list[RequirementResult]:
        return sorted(
            self.results,
            key=lambda r: (not r.requirement.required, -r.requirement.weight, r.requirement.text),
        )

    def to_json(self) -> dict:
        return {
            "score": self.score,
            "matched": self.matched,
            "missing": self.missing,
            "requirements": [r.to_json() for r in self._ordered()],
            "keyword_stuffing": self.keyword_stuffing,
        }


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    # "ranking models" also finds "ranking model": stem a plural, then allow one back.
    stems = [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in phrase.split()
    ]
    parts = [re.escape(word) + "(?:s|es)?" for word in stems]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(parts) + r"(?!\w)", re.I)


def _degree_result(requirement: Requirement, resume_text: str) -> RequirementResult:
    layout = split_sections(resume_text)
    field_name, related, phd = infer_degree(layout, resume_text)
    if requirement.level >= 3 and not phd:
        return RequirementResult(requirement, 0.0)
    fits = field_name is not None and (
        field_name in requirement.options or (requirement.related_ok and related is True)
    )
    if not fits:
        return RequirementResult(requirement, 0.0)
    scope = layout.text_of("education") or resume_text
    line = next(
        (ln.strip() for ln in scope.split("\n") if field_name in ln.lower()),
        field_name,
    )
    return RequirementResult(requirement, 1.0, line, field_name)


def _years_result(requirement: Requirement, resume_text: str, today: date) -> RequirementResult:
    jobs = split_entries(split_sections(resume_text).text_of("experience"))
    years = technical_years(jobs, today)
    if years + 0.05 < requirement.level:
        return RequirementResult(requirement, 0.0)
    titles = "; ".join(" ".join(job.title.split()) for job in jobs if is_technical(job))
    return RequirementResult(requirement, 1.0, f"about {years:g} years: {titles}", None)


def _skill_result(requirement: Requirement, evidence: SkillEvidence) -> RequirementResult:
    best: RequirementResult = RequirementResult(requirement, 0.0)
    for name in requirement.options:
        strength, line = evidence.strength(name)
        if strength > best.strength:
            best = RequirementResult(requirement, strength, line, name)
    return best


def _phrase_result(requirement: Requirement, resume_text: str) -> RequirementResult:
    pattern = _phrase_pattern(requirement.options[0])
    line = next((ln.strip() for ln in resume_text.split("\n") if pattern.search(ln)), None)
    return RequirementResult(requirement, 1.0 if line else 0.0, line)


def match_job_description(
    resume_text: str,
    jd_text: str,
    today: date | None = None,
    evidence: SkillEvidence | None = None,
) -> JDMatch:
    """Each requirement of the posting, met (with evidence) or missing, and a score."""
    requirements = parse_requirements(jd_text)
    if not requirements:
        return JDMatch(0)
    evidence = evidence or skill_evidence(resume_text)
    today = today or date.today()
    results = []
    for requirement in requirements:
        if requirement.kind == "degree":
            results.append(_degree_result(requirement, resume_text))
        elif requirement.kind == "years":
            results.append(_years_result(requirement, resume_text, today))
        elif requirement.kind == "phrase":
            results.append(_phrase_result(requirement, resume_text))
        else:
            results.append(_skill_result(requirement, evidence))
    total = sum(r.requirement.weight for r in results)
    score = round(100 * sum(r.requirement.weight * r.strength for r in results) / total)
    return JDMatch(score, results, evidence.stuffing is not None)
