"""The guided /resume conversation, without Telegram: two questions, then advice.

The Telegram layer shows `GUIDED_STEPS` one by one as button rows and calls `advise` with the
answers. Order and tips come from the same rubric as the file review.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.resume.rubric import BACKGROUNDS, Tip, load_rubric, recommend_order


@dataclass(frozen=True)
class Choice:
    value: str  # short, safe for callback data (64 bytes)
    label: str


@dataclass(frozen=True)
class GuidedStep:
    key: str
    question: str
    choices: tuple[Choice, ...]


GUIDED_STEPS: tuple[GuidedStep, ...] = (
    GuidedStep(
        key="background",
        question="How did you get into machine learning?",
        choices=(
            Choice("self_taught", "Self-taught"),
            Choice("bootcamp", "Boot camp"),
            Choice("related_degree", "Degree in a related field"),
            Choice("other_degree", "Degree in another field"),
            Choice("phd", "PhD"),
        ),
    ),
    GuidedStep(
        key="more_projects",
        question="Do you have more projects or more work experience?",
        choices=(
            Choice("projects", "More projects"),
            Choice("experience", "More work experience"),
        ),
    ),
)


@dataclass(frozen=True)
class GuidedAdvice:
    recommended_order: list[str]
    tips: list[Tip]

    def to_json(self) -> dict:
        return {
            "recommended_order": list(self.recommended_order),
            "tips": [tip.to_json() for tip in self.tips],
        }


def parse_more_projects(value: str) -> bool:
    """The second step's button value as `advise`'s `more_projects`."""
    if value not in ("projects", "experience"):
        raise ValueError(f"unknown answer {value!r}")
    return value == "projects"


def advise(background: str, more_projects: bool) -> GuidedAdvice:
    """Section order and tips for a background (a `GUIDED_STEPS[0]` value)."""
    if background not in BACKGROUNDS:
        raise ValueError(f"unknown background {background!r}; expected one of {BACKGROUNDS}")
    order = recommend_order(
        more_projects=more_projects, education_high=background in ("related_degree", "phd")
    )
    return GuidedAdvice(order, load_rubric().guided_tips(background, more_projects))
