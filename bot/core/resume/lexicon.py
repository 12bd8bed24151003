"""The skills lexicon (`knowledge/resume/skills.yaml`) and matching it against text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.knowledge.yaml_io import read_yaml

# Rubric and lexicons ship with the code (they are reviewed with it), so they live at a
# fixed place in the repository rather than under the configurable knowledge_dir.
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge" / "resume"
SKILLS_PATH = KNOWLEDGE_DIR / "skills.yaml"
# Skill kinds that describe *how* something was built: evidence of a project's method.
METHOD_KINDS = frozenset({"library", "technique", "language", "tool", "math", "data"})


@dataclass(frozen=True)
class Skill:
    name: str
    kind: str
    weight: float
    patterns: tuple[re.Pattern[str], ...]
    implies: tuple[str, ...] = field(default=())


def _variant(alias: str) -> str:
    body = re.escape(alias).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?")
    plural = "(?:s|es)?" if alias[-1:].isalpha() else ""
    return body + plural


# A version after a name: "YOLOv8", "YOLO11", "Python 3.11", "GPT-4o", "Llama 3", "TensorFlow 2".
_VERSION = r"(?:[\s-]?v?\d+(?:\.\d+)*[a-z]?)?"


def _pattern(
    aliases: list[str], *, case_sensitive: bool, versioned: bool = False
) -> re.Pattern[str] | None:
    if not aliases:
        return None
    alternation = "|".join(_variant(a) for a in sorted(aliases, key=len, reverse=True))
    if versioned:
        alternation = f"(?:{alternation}){_VERSION}"
    # Word boundaries that also respect symbols inside names (C++, C#, .NET, A/B, R&D).
    if case_sensitive:
        boundary_before, boundary_after = r"(?<![\w&.'’/-])", r"(?![\w&'’+#/-]|\.\w)"
    else:
        boundary_before, boundary_after = r"(?<![\w+#.])", r"(?![\w+#]|\.\w)"
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(f"{boundary_before}(?:{alternation}){boundary_after}", flags)


@lru_cache(maxsize=4)
def load_skills(path: Path = SKILLS_PATH) -> tuple[Skill, ...]:
    entries = read_yaml(path)["skills"]
    skills: list[Skill] = []
    for entry in entries:
        name = str(entry["name"])
        exact = [str(a) for a in entry.get("exact", [])]
        loose = [str(a) for a in entry.get("aliases", [])]
        if not exact:
            loose.insert(0, name)
        versioned = bool(entry.get("versioned", False))
        patterns = [
            p
            for p in (
                _pattern(exact, case_sensitive=True, versioned=versioned),
                _pattern(loose, case_sensitive=False, versioned=versioned),
            )
            if p is not None
        ]
        skills.append(
            Skill(
                name=name,
                kind=str(entry.get("kind", "technique")),
                weight=float(entry.get("weight", 1.0)),
                patterns=tuple(patterns),
                implies=tuple(str(i) for i in entry.get("implies", [])),
            )
        )
    return tuple(skills)


@lru_cache(maxsize=4)
def _by_name(skills: tuple[Skill, ...]) -> dict[str, Skill]:
    return {skill.name: skill for skill in skills}


def skill_by_name() -> dict[str, Skill]:
    return _by_name(load_skills())


def count_skills(text: str, *, with_implied: bool = False) -> dict[str, int]:
    """How often each lexicon skill is mentioned in `text` (only skills mentioned)."""
    return dict(_counted(text, with_implied))


@lru_cache(maxsize=8192)  # a review looks at the same lines several times
def _counted(text: str, with_implied: bool) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for skill in load_skills():
        hits = sum(len(pattern.findall(text)) for pattern in skill.patterns)
        if hits:
            counts[skill.name] = hits
    if with_implied:
        by_name = skill_by_name()
        pending = list(counts)
        while pending:
            skill = by_name.get(pending.pop())
            for implied in skill.implies if skill else ():
                if implied not in counts:
                    counts[implied] = 1
                    pending.append(implied)
    return tuple(counts.items())


def clear_skill_cache() -> None:
    """Forget counted lines (benchmarks measure a review of text never seen before)."""
    _counted.cache_clear()
