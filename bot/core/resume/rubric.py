"""The résumé rubric (`knowledge/resume/rubric.yaml`): conditions, tips and their sources.

Both the file review and the guided conversation draw their tips from here, so every piece
of advice carries the article section it rests on and a verbatim quote from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.core.resume.lexicon import KNOWLEDGE_DIR
from bot.knowledge.yaml_io import read_yaml

RUBRIC_PATH = KNOWLEDGE_DIR / "rubric.yaml"
SOURCE_SEPARATOR = " › "
BACKGROUNDS = ("self_taught", "bootcamp", "related_degree", "other_degree", "phd")

_SELF_TAUGHT_WORDS = re.compile(r"self[- ]taught|taught myself|self[- ]stud|self[- ]directed", re.I)
_BOOTCAMP_WORDS = re.compile(r"boot[- ]?camp|immersive", re.I)
_PORTFOLIO_LINK = re.compile(r"github|gitlab|bitbucket|kaggle\.com|huggingface\.co|hf\.co", re.I)
_TANGENTIAL = re.compile(
    r"\b(?:data|analy\w*|statistic\w*|math\w*|comput\w*|software|engineer\w*|develop\w*|"
    r"programm\w*|python|sql|machine learning|ml|ai|model\w*|quantitative|research\w*|"
    r"algorithm\w*|excel|dashboard\w*|forecast\w*|database\w*)\b",
    re.I,
)


@dataclass
class Facts:
    """Everything the rubric's conditions may look at."""

    sections: list[str] = field(default_factory=list)
    jobs: int = 0
    projects: int = 0
    degree_field: str | None = None
    degree_related: bool | None = None
    phd: bool = False
    self_taught: bool = False
    bootcamp: bool = False
    text: str = ""
    summary_text: str = ""
    experience_text: str = ""
    projects_needing_work: list[str] = field(default_factory=list)
    has_jd: bool = False
    jd_missing: list[str] = field(default_factory=list)

    def before(self, first: str, second: str) -> bool:
        """Both sections present and `first` comes earlier."""
        names = self.sections
        return first in names and second in names and names.index(first) < names.index(second)


CONDITIONS: dict[str, Callable[[Facts], bool]] = {
    "missing_summary": lambda f: "summary" not in f.sections and not (f.self_taught or f.bootcamp),
    "summary_not_first": lambda f: "summary" in f.sections and f.sections[0] != "summary",
    "self_taught_not_in_summary": lambda f: (
        f.self_taught and not _SELF_TAUGHT_WORDS.search(f.summary_text)
    ),
    "bootcamp_not_in_summary": lambda f: f.bootcamp and not _BOOTCAMP_WORDS.search(f.summary_text),
    "projects_below_experience": lambda f: (
        f.projects > f.jobs and f.before("experience", "projects")
    ),
    "experience_below_projects": lambda f: (
        f.jobs > f.projects and f.before("projects", "experience")
    ),
    "unrelated_degree_not_last": lambda f: (
        f.degree_related is False
        and not f.phd
        and "education" in f.sections
        and f.sections[-1] != "education"
    ),
    "phd_education_low": lambda f: (
        f.phd and (f.before("experience", "education") or f.before("projects", "education"))
    ),
    "missing_projects": lambda f: "projects" not in f.sections,
    "project_write_ups_incomplete": lambda f: bool(f.projects_needing_work),
    "experience_not_tangential": lambda f: f.jobs == 0 or not _TANGENTIAL.search(f.experience_text),
    "no_portfolio_link": lambda f: f.projects > 0 and not _PORTFOLIO_LINK.search(f.text),
    "no_job_description": lambda f: not f.has_jd,
    "jd_missing_keywords": lambda f: f.has_jd and bool(f.jd_missing),
    "nontraditional_route": lambda f: (
        not f.phd
        and f.degree_related is not True
        and (f.degree_related is False or f.self_taught or f.bootcamp)
    ),
}


@dataclass(frozen=True)
class Tip:
    """One piece of advice; `source` is "<article title> › <section heading>"."""

    rule_id: str
    text: str
    source: str
    quote: str

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


@dataclass(frozen=True)
class Rule:
    id: str
    when: str
    guided_when: Any
    section: str
    tip: str
    detail: str
    quote: str


@dataclass(frozen=True)
class Rubric:
    article: str
    article_path: str
    rules: tuple[Rule, ...]

    def source(self, rule: Rule) -> str:
        return f"{self.article}{SOURCE_SEPARATOR}{rule.section}"

    def review_tips(self, facts: Facts) -> list[Tip]:
        tips = []
        for rule in self.rules:
            if rule.when and CONDITIONS[rule.when](facts):
                text = rule.tip
                if rule.detail:
                    text = f"{text} {rule.detail.format_map(_placeholders(facts))}"
                tips.append(Tip(rule.id, text, self.source(rule), rule.quote))
        return tips

    def guided_tips(self, background: str, more_projects: bool) -> list[Tip]:
        tips = []
        for rule in self.rules:
            if _guided_applies(rule.guided_when, background, more_projects):
                tips.append(Tip(rule.id, rule.tip, self.source(rule), rule.quote))
        return tips


def _placeholders(facts: Facts) -> dict[str, str]:
    return {
        "jobs": str(facts.jobs),
        "projects": str(facts.projects),
        "degree_field": facts.degree_field or "unknown",
        "projects_needing_work": "; ".join(facts.projects_needing_work),
        "jd_missing": ", ".join(facts.jd_missing[:12]),
    }


def _guided_applies(constraint: Any, background: str, more_projects: bool) -> bool:
    if constraint is None:
        return False
    if constraint == "always":
        return True
    if "background" in constraint and background not in constraint["background"]:
        return False
    if "more_projects" in constraint and bool(constraint["more_projects"]) != more_projects:
        return False
    return True


@lru_cache(maxsize=4)
def load_rubric(path: Path = RUBRIC_PATH) -> Rubric:
    data = read_yaml(path)
    rules = []
    for entry in data["rules"]:
        when = entry.get("when")
        if when and when not in CONDITIONS:
            raise ValueError(f"rubric rule {entry['id']!r}: unknown condition {when!r}")
        guided = entry.get("guided_when")
        if isinstance(guided, dict):
            unknown = set(guided.get("background", ())) - set(BACKGROUNDS)
            if unknown or set(guided) - {"background", "more_projects"}:
                raise ValueError(f"rubric rule {entry['id']!r}: bad guided_when {guided!r}")
        elif guided not in (None, "always"):
            raise ValueError(f"rubric rule {entry['id']!r}: bad guided_when {guided!r}")
        rules.append(
            Rule(
                id=str(entry["id"]),
                when=str(when or ""),
                guided_when=guided,
                section=str(entry["section"]),
                tip=" ".join(str(entry["tip"]).split()),
                detail=str(entry.get("detail", "")),
                quote=str(entry["quote"]),
            )
        )
    return Rubric(str(data["article"]), str(data.get("article_path", "")), tuple(rules))


def recommend_order(*, more_projects: bool, education_high: bool) -> list[str]:
    """Section order the article recommends.

    Summary first; Projects above Experience only with more projects than jobs (Projects);
    Education right after the summary for a PhD or a related degree, otherwise at the bottom
    (Education). Skills, which the article does not place, follow the main sections.
    """
    main = ["projects", "experience"] if more_projects else ["experience", "projects"]
    if education_high:
        return ["summary", "education", *main, "skills"]
    return ["summary", *main, "skills", "education"]
