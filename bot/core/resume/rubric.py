"""The résumé rubric (`knowledge/resume/rubric.yaml`): conditions, tips and their sources.

Both the file review and the guided conversation draw their tips from here, so every piece
of advice carries the article section it rests on and a verbatim quote from it. In a review,
a rule's condition (conditions.py) yields the résumé lines the tip is about; the tip quotes
the line, and no line means no tip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.core.resume.conditions import CONDITIONS, Facts
from bot.core.resume.lexicon import KNOWLEDGE_DIR
from bot.knowledge.yaml_io import read_yaml

__all__ = ["BACKGROUNDS", "CONDITIONS", "Facts", "Rubric", "Tip", "load_rubric"]

RUBRIC_PATH = KNOWLEDGE_DIR / "rubric.yaml"
SOURCE_SEPARATOR = " › "
BACKGROUNDS = ("self_taught", "bootcamp", "related_degree", "other_degree", "phd")
MAX_GENERIC_TIPS = 1


@dataclass(frozen=True)
class Tip:
    """One piece of advice; `source` is "<article title> › <section heading>", or says the
    advice goes beyond the article. `line` is the résumé line it is about ("" if none) and
    `section` the résumé section it belongs to (for per-section notes)."""

    rule_id: str
    text: str
    source: str
    quote: str
    line: str = ""
    section: str = ""
    beyond_article: bool = False

    def to_json(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


@dataclass(frozen=True)
class Rule:
    id: str
    when: str
    guided_when: Any
    section: str
    tip: str
    review: str
    quote: str
    reasons: dict[str, str] = field(default_factory=dict)
    generic: bool = False


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Rubric:
    article: str
    article_path: str
    rules: tuple[Rule, ...]

    def source(self, rule: Rule) -> str:
        return f"{self.article}{SOURCE_SEPARATOR}{rule.section}"

    def review_tips(self, facts: Facts) -> list[Tip]:
        """Tips for this résumé, each about a line of it; at most one generic tip."""
        tips: list[Tip] = []
        generic = 0
        for rule in self.rules:
            if not rule.when:
                continue
            for values in CONDITIONS[rule.when](facts):
                if rule.generic:
                    if generic >= MAX_GENERIC_TIPS:
                        continue
                    generic += 1
                values = _Blank(values)
                if "reason_key" in values:
                    reason = rule.reasons.get(values["reason_key"]) or rule.reasons.get("count", "")
                    values["reason"] = " ".join(reason.split()).format_map(values)
                text = rule.review.format_map(values)
                tips.append(
                    Tip(rule.id, text, self.source(rule), rule.quote, values["line"],
                        values["section"])
                )  # fmt: skip
        return tips

    def guided_tips(self, background: str, more_projects: bool) -> list[Tip]:
        tips = []
        for rule in self.rules:
            if _guided_applies(rule.guided_when, background, more_projects):
                tips.append(Tip(rule.id, rule.tip, self.source(rule), rule.quote))
        return tips


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


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


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
                tip=_one_line(entry["tip"]),
                review=_one_line(entry.get("review") or entry["tip"]),
                quote=str(entry["quote"]),
                reasons={str(k): str(v) for k, v in (entry.get("reasons") or {}).items()},
                generic=bool(entry.get("generic", False)),
            )
        )
    return Rubric(str(data["article"]), str(data.get("article_path", "")), tuple(rules))


def recommend_order(*, more_projects: bool, education_high: bool) -> list[str]:
    """Section order for the guided conversation (its two answers; see order.py for reviews).

    Summary first; Projects above Experience only with more projects than jobs (Projects);
    Education right after the summary for a PhD or a related degree, otherwise at the bottom
    (Education). Skills, which the article does not place, follow the main sections.
    """
    main = ["projects", "experience"] if more_projects else ["experience", "projects"]
    if education_high:
        return ["summary", "education", *main, "skills"]
    return ["summary", *main, "skills", "education"]
