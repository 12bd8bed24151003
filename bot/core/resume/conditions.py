"""When each rubric tip applies to a reviewed résumé, and which of its lines it is about.

Every condition takes the `Facts` of one résumé and yields one dict of placeholders per tip
(`line`, the résumé line quoted, and `section`, where it belongs, plus whatever the tip's
wording needs). The detectors are the ones that inferred the background, so a tip never
asks for what the résumé already has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bot.core.resume.background import BOOTCAMP, SELF_TAUGHT, Background
from bot.core.resume.bullets import phrases, vague_summary_line
from bot.core.resume.career import is_technical
from bot.core.resume.entries import Entry
from bot.core.resume.evidence import SkillEvidence
from bot.core.resume.jd import JDMatch
from bot.core.resume.order import Move
from bot.core.resume.sections import Layout

Values = dict[str, str]
TITLES = {
    "summary": "Summary",
    "experience": "Experience",
    "projects": "Projects",
    "education": "Education",
    "skills": "Skills",
    "certifications": "Certifications",
    "coursework": "Coursework",
    "publications": "Publications",
}
# GitHub and the like, or a site of one's own (the article's "build your own website").
_PORTFOLIO_LINK = re.compile(
    r"(?i:github|gitlab|bitbucket|kaggle\.com|huggingface\.co|hf\.co|https?://(?!(?:www\.)?linkedin))|"
    r"(?<![@\w.-])[a-z0-9-]+\.(?:dev|io|me|ai|app|site|page|tech|xyz)\b"  # lower case: a link
)
_MOOC_LINE = re.compile(
    r"\b(?:coursera|edx|udacity|udemy|fast\.ai|datacamp|online courses?)\b", re.I
)
_NUMBER = re.compile(r"\d")
# Work the article calls tangential, in the words people use for it.
_TANGENTIAL = re.compile(
    r"\b(?:data|analy[sz]\w*|statistic\w*|math\w*|comput\w*|software|programm\w*|coded|"
    r"scripts?|automat\w*|spreadsheets?|dashboards?|database\w*|forecast\w*|report(?:ing|s)|"
    r"metrics|model(?:s|ed|ing|led|ling)?|quantitative|research\w*|algorithm\w*|excel)\b",
    re.I,
)
MAX_JD_GAPS = 5


@dataclass
class Facts:
    """Everything the rubric's conditions may look at, for one résumé."""

    layout: Layout
    background: Background
    text: str
    jobs: list[Entry] = field(default_factory=list)
    projects: list[Entry] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    project_gaps: list[tuple[Entry, list[str]]] = field(default_factory=list)
    evidence: SkillEvidence | None = None
    years: float = 0.0
    technical_jobs: int = 0
    jd: JDMatch | None = None

    @property
    def sections(self) -> list[str]:
        return self.layout.names

    def heading(self, name: str) -> str:
        return self.layout.heading_of(name) or TITLES.get(name, name.title())

    def line_matching(self, pattern: re.Pattern[str], scope: str | None = None) -> str | None:
        text = self.layout.text_of(scope) if scope else self.text
        return next((ln.strip() for ln in text.split("\n") if pattern.search(ln)), None)


def _who(facts: Facts) -> str:
    b = facts.background
    if b.kind == "phd":
        return "a PhD researcher, in what"
    if b.kind == "engineer":
        return f"an engineer with about {facts.years:g} years of work"
    if b.kind == "bootcamp":
        return "a boot camp graduate, and what you did before"
    if b.kind == "self_taught":
        return "self-taught, and what you came from"
    if b.degree_field:
        return f"your {b.degree_field} degree and where it is taking you"
    return "your route into machine learning"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _achievement(facts: Facts) -> str:
    weak = phrases()
    for entry in [*facts.projects, *facts.jobs]:
        for line in entry.body:
            if _NUMBER.search(line) and not (
                weak.weak_openers.search(line) or weak.vague.search(line)
            ):
                return f"“{_short(line)}”"
    if facts.projects:
        return f"your project “{facts.projects[0].title}”"
    return f"your work as “{facts.jobs[0].title}”" if facts.jobs else "your best piece of work"


def _short(line: str, words: int = 14) -> str:
    parts = line.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def missing_summary(f: Facts) -> Iterator[Values]:
    route = f.background.self_taught or f.background.bootcamp  # their own tips say it
    if "summary" not in f.sections and f.layout.sections and not route:
        first = f.layout.sections[0]
        line = first.heading or _short(first.text.split("\n")[0])
        yield {"line": line, "section": "summary", "who": _who(f), "achievement": _achievement(f)}


def summary_not_first(f: Facts) -> Iterator[Values]:
    names = f.sections
    if "summary" in names and names[0] != "summary":
        yield {"line": f.heading("summary"), "section": "summary", "first": f.heading(names[0])}


def vague_summary(f: Facts) -> Iterator[Values]:
    found = vague_summary_line(f.layout.text_of("summary"))
    if found:
        sentence, words = found
        yield {"line": _short(sentence, 18), "section": "summary", "words": words,
               "achievement": _achievement(f)}  # fmt: skip


def _route_not_in_summary(f: Facts, pattern: re.Pattern[str]) -> Iterator[Values]:
    summary = f.layout.text_of("summary")
    if summary and pattern.search(summary):
        return
    line = f.line_matching(pattern) or (
        f.line_matching(_MOOC_LINE) if pattern is SELF_TAUGHT else None
    )
    if line:
        gap = "your summary does not say so" if summary else "you have no summary to say so"
        yield {"line": _short(line), "section": "summary", "gap": gap}


def self_taught_not_in_summary(f: Facts) -> Iterator[Values]:
    if f.background.self_taught:
        yield from _route_not_in_summary(f, SELF_TAUGHT)


def bootcamp_not_in_summary(f: Facts) -> Iterator[Values]:
    if f.background.bootcamp:
        yield from _route_not_in_summary(f, BOOTCAMP)


def _move_values(f: Facts, move: Move) -> Values:
    first_job = f.jobs[0].title if f.jobs else ""
    kind = f.background.kind
    if move.section == "education" and move.to_bottom and kind != "engineer":
        kind = "unrelated" if f.background.degree_related is False else "count"
    return {
        "line": f.heading(move.section),
        "section": move.section,
        "anchor": f.heading(move.anchor),
        "where": f"{'below' if move.to_bottom else 'above'} “{f.heading(move.anchor)}”",
        "reason_key": kind,
        "jobs": _plural(len(f.jobs), "job")
        if f.technical_jobs == len(f.jobs)
        else _plural(f.technical_jobs, "technical job"),
        "projects": _plural(len(f.projects), "project"),
        "job": _short(first_job, 8),
        "years": f"{f.years:g}",
        "degree_field": f.background.degree_field or "",
    }


def _moves_of(
    section: str, down: bool | None = None, phd: bool | None = None
) -> Callable[[Facts], Iterator[Values]]:
    def condition(f: Facts) -> Iterator[Values]:
        if phd is not None and f.background.phd != phd:
            return
        for move in f.moves:
            if move.section == section and (down is None or move.to_bottom == down):
                yield _move_values(f, move)

    return condition


def missing_projects(f: Facts) -> Iterator[Values]:
    if "projects" in f.sections or f.projects:
        return
    if f.background.phd and "publications" in f.sections:
        return  # publications are a researcher's portfolio
    listed = f.evidence.listed[:3] if f.evidence else []
    names = ", ".join(f.heading(n) for n in f.sections)
    yield {"line": names, "section": "projects", "sections": names,
           "skills": ", ".join(listed) or "the tools you know"}  # fmt: skip


def project_write_up_incomplete(f: Facts) -> Iterator[Values]:
    advice = {
        "purpose": "add one line on what it is for: who uses it, or what it predicts or finds.",
        "method": "add one or two sentences on how you built it: the data, the model, the tools.",
        "purpose or method": "add what it is for, then one or two sentences on how you built it.",
    }
    for entry, gaps in f.project_gaps:
        missing = " or ".join(gaps)
        yield {"line": entry.title or _short(entry.text), "section": "projects",
               "missing": missing, "advice": advice[missing]}  # fmt: skip


def experience_not_tangential(f: Facts) -> Iterator[Values]:
    tangential = any(is_technical(job) or _TANGENTIAL.search(job.text) for job in f.jobs)
    if f.jobs and not f.background.phd and not tangential:
        yield {"line": _short(f.jobs[0].title, 10), "section": "experience"}


def no_portfolio_link(f: Facts) -> Iterator[Values]:
    if f.projects and not _PORTFOLIO_LINK.search(f.text):
        yield {"line": f.projects[0].title, "section": "projects"}


def skills_without_evidence(f: Facts) -> Iterator[Values]:
    stuffing = f.evidence.stuffing if f.evidence else None
    if stuffing:
        first = f.layout.text_of("skills").split("\n")[0]
        yield {"line": _short(first, 8), "section": "skills", "listed": str(stuffing.listed),
               "shown": str(stuffing.shown), "examples": ", ".join(stuffing.unbacked[:4])}  # fmt: skip


def no_job_description(f: Facts) -> Iterator[Values]:
    if f.jd is None:
        shown = sorted(f.evidence.shown, key=str.lower)[:5] if f.evidence else []
        yield {"line": "", "section": "", "skills": ", ".join(shown) or "your skills"}


def jd_missing_requirements(f: Facts) -> Iterator[Values]:
    if f.jd is None:
        return
    missing = [r for r in f.jd.results if not r.met and r.requirement.required]
    missing.sort(key=lambda r: -r.requirement.weight)
    if missing:
        asks = [f"“{_short(r.requirement.text, 16)}”" for r in missing[:MAX_JD_GAPS]]
        yield {"line": ", ".join(asks), "section": "jd"}


def nontraditional_route(f: Facts) -> Iterator[Values]:
    kind = f.background.kind
    if kind not in ("bootcamp", "self_taught", "other_field") or not f.projects:
        return
    pattern = {"bootcamp": BOOTCAMP, "self_taught": SELF_TAUGHT}.get(kind)
    if pattern is not None:
        line = f.line_matching(pattern)
    else:
        field_name = re.escape(f.background.degree_field or "")
        line = f.line_matching(re.compile(field_name, re.I), "education") if field_name else None
    if line:
        yield {"line": _short(line), "section": "summary", "project": f.projects[0].title}


CONDITIONS: dict[str, Callable[[Facts], Iterator[Values]]] = {
    "missing_summary": missing_summary,
    "summary_not_first": summary_not_first,
    "vague_summary": vague_summary,
    "self_taught_not_in_summary": self_taught_not_in_summary,
    "bootcamp_not_in_summary": bootcamp_not_in_summary,
    "move_projects_up": _moves_of("projects"),
    "move_experience_up": _moves_of("experience"),
    "move_education_down": _moves_of("education", down=True),
    "move_education_up": _moves_of("education", down=False, phd=True),
    "move_education_up_degree": _moves_of("education", down=False, phd=False),
    "missing_projects": missing_projects,
    "project_write_up_incomplete": project_write_up_incomplete,
    "experience_not_tangential": experience_not_tangential,
    "no_portfolio_link": no_portfolio_link,
    "skills_without_evidence": skills_without_evidence,
    "no_job_description": no_job_description,
    "jd_missing_requirements": jd_missing_requirements,
    "nontraditional_route": nontraditional_route,
}
