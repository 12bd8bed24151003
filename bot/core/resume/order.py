"""The article's section order for a background, and the moves that get a résumé there.

Source: How to Get a Machine Learning Internship › Write a Resume That Flatters Your
Background (projects above experience with more projects, or short on formal ML education),
› Education (at the bottom for a field outside ML and its tangential fields; PhDs ahead).
Experience leads for people with real engineering jobs. Skills, which the article does not
place, follow the main sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

# Sections whose place the order covers. Skills only anchors moves (Education "below
# Skills"): the article does not place it, so no tip ever asks to move it.
ORDERED = ("summary", "experience", "projects", "education", "skills")
PROJECTS_FIRST = ("bootcamp", "self_taught", "other_field")


def order_for(kind: str, jobs: int, projects: int, current: list[str] | None = None) -> list[str]:
    """Recommended order of the five main sections for a background (career.KINDS).

    With as many projects as jobs the article has no preference: the résumé's own order of
    the two (`current`) stands.
    """
    by_count = ["projects", "experience"] if projects > jobs else ["experience", "projects"]
    if projects == jobs and current and {"projects", "experience"} <= set(current):
        by_count = [name for name in current if name in ("projects", "experience")]
    if kind == "phd":
        return ["summary", "education", *by_count, "skills"]
    if kind == "engineer":
        return ["summary", "experience", "projects", "skills", "education"]
    if kind in PROJECTS_FIRST:
        return ["summary", "projects", "experience", "skills", "education"]
    if kind == "related_degree":
        return ["summary", "education", *by_count, "skills"]
    return ["summary", *by_count, "skills", "education"]


@dataclass(frozen=True)
class Move:
    """Put `section` above `anchor` (or, with `to_bottom`, below every other main section)."""

    section: str
    anchor: str
    to_bottom: bool = False


def moves(found: list[str], recommended: list[str], *, strict_bottom: bool = False) -> list[Move]:
    """The fewest sections to move so that `found` follows the recommended order.

    Among equally short answers, moving a section up is preferred ("Projects above
    Experience" rather than "Experience below Projects"). Skills counts only with
    `strict_bottom` (a degree the article sends to the very bottom, below Skills too).
    """
    considered = ORDERED if strict_bottom else tuple(n for n in ORDERED if n != "skills")
    current = [name for name in found if name in considered]
    target = [name for name in recommended if name in current]
    for size in range(len(current) + 1):
        options = [
            set(moved)
            for moved in combinations(current, size)
            if [n for n in current if n not in moved] == [n for n in target if n not in moved]
        ]
        if options:
            best = max(
                options,
                key=lambda moved: ("skills" not in moved, _upward(moved, current, target)),
            )
            return [_describe(name, target) for name in target if name in best]
    return []


def _upward(moved: set[str], current: list[str], target: list[str]) -> int:
    """How many moved sections go up past a section that stays where it is."""

    def kept_before(order: list[str], name: str) -> int:
        return sum(1 for other in order[: order.index(name)] if other not in moved)

    return sum(1 for name in moved if kept_before(target, name) < kept_before(current, name))


def _describe(name: str, target: list[str]) -> Move:
    index = target.index(name)
    if index == len(target) - 1:
        return Move(name, target[index - 1], to_bottom=True)
    return Move(name, target[index + 1])
