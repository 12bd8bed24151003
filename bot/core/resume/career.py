"""What the Experience entries say about a career: engineering jobs, years of technical work,
and the article's background (kind) that decides the section order."""

from __future__ import annotations

import re
from datetime import date

from bot.core.resume.entries import Entry
from bot.core.resume.lexicon import METHOD_KINDS, count_skills, skill_by_name

KINDS = ("phd", "engineer", "bootcamp", "self_taught", "related_degree", "other_field", "unknown")

_ENGINEERING_TITLE = re.compile(
    r"\b(?:engineer|developer|programmer|scientist|data analyst|analytics engineer|devops|sre|"
    r"architect|ml|machine learning)\b",
    re.I,
)
_TRAINEE = re.compile(
    r"\b(?:intern|internship|trainee|apprentice|practicante|student|aide)\b", re.I
)
_MONTHS = {
    m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)
}
_POINT = re.compile(
    r"\b(?:(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?"
    r"(?P<year>19[5-9]\d|20[0-4]\d)\b|\b(?P<now>present|current|now|ongoing|today)\b",
    re.I,
)
_SEASON = re.compile(r"\b(?:summer|spring|fall|autumn|winter)\s+(?:19|20)\d\d\b", re.I)


def is_engineering_job(entry: Entry) -> bool:
    """A job (not an internship) whose title is engineering, data or ML work."""
    title = entry.title
    return bool(_ENGINEERING_TITLE.search(title)) and not _TRAINEE.search(title)


def is_technical(entry: Entry) -> bool:
    """A job whose title or description shows technical work (a method skill or an ML title)."""
    if _ENGINEERING_TITLE.search(entry.title):
        return True
    kinds = {skill_by_name()[name].kind for name in count_skills(entry.text)}
    return bool(kinds & METHOD_KINDS)


def _months(match: re.Match[str], today: date) -> int:
    if match.group("now"):
        return today.year * 12 + today.month
    month = _MONTHS.get((match.group("month") or "")[:3].lower(), 0)
    return int(match.group("year")) * 12 + (month or 1)


def job_span(entry: Entry, today: date) -> tuple[int, int] | None:
    """(start, end) in months since year 0, from the entry's title lines."""
    text = " ".join(entry.title_lines)
    points = [_months(m, today) for m in _POINT.finditer(text)]
    if not points:
        return None
    if len(points) == 1:
        length = 3 if _SEASON.search(text) else 6
        return points[0], points[0] + length
    start, end = points[0], points[1]
    if end == start and not re.search(
        r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", text, re.I
    ):
        end = start + 12  # "2019 – 2019" or a bare year range counts the year
    return (start, end) if end >= start else None


def technical_years(jobs: list[Entry], today: date | None = None) -> float:
    """Years of technical work (overlapping jobs counted once)."""
    today = today or date.today()
    spans = sorted(span for job in jobs if is_technical(job) and (span := job_span(job, today)))
    months, reach = 0, 0
    for start, end in spans:
        start = max(start, reach)
        if end > start:
            months += end - start
            reach = end
    return round(months / 12, 1)


def background_kind(
    *,
    phd: bool,
    engineering_jobs: int,
    jobs: int,
    projects: int,
    bootcamp: bool,
    self_taught: bool,
    degree_related: bool | None,
) -> str:
    """The article's background, the first that applies in `KINDS` order.

    An engineer (real engineering jobs, at least as many as projects) leads with experience
    even with a boot camp or no degree; a PhD keeps education high.
    """
    if phd:
        return "phd"
    if engineering_jobs and jobs >= projects:
        return "engineer"
    if bootcamp:
        return "bootcamp"
    if self_taught:
        return "self_taught"
    if degree_related is True:
        return "related_degree"
    if degree_related is False:
        return "other_field"
    return "unknown"
