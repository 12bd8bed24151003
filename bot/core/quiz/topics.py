"""Topic names as users type them: slugs, aliases ("stats", "machine learning") and "all"."""

from __future__ import annotations

import re

from bot.knowledge.banks import TOPICS

_ALL_TOPICS_WORDS = frozenset({"", "all", "any", "mixed", "mix", "random", "everything"})

TOPIC_ALIASES: dict[str, str] = {
    # probability
    "stats": "probability",
    "stat": "probability",
    "statistics": "probability",
    "prob": "probability",
    "probabilities": "probability",
    "maths": "probability",
    "math": "probability",
    "probability and statistics": "probability",
    "probability statistics": "probability",
    # ml
    "machine learning": "ml",
    "algorithms ml": "ml",
    "ml algorithms": "ml",
    "libraries": "ml",
    "deep learning": "ml",
    "dl": "ml",
    "sklearn": "ml",
    "pytorch": "ml",
    "ai": "ml",
    # modeling
    "modelling": "modeling",
    "models": "modeling",
    "model": "modeling",
    "evaluation": "modeling",
    "data modeling": "modeling",
    "data modelling": "modeling",
    "metrics": "modeling",
    # programming
    "coding": "programming",
    "code": "programming",
    "python": "programming",
    "dsa": "programming",
    "algorithms": "programming",
    "data structures": "programming",
    "cs": "programming",
    "data structures algorithms": "programming",
    # engineering
    "software engineering": "engineering",
    "swe": "engineering",
    "system design": "engineering",
    "systems": "engineering",
    "software": "engineering",
    "eng": "engineering",
    # career
    "careers": "career",
    "internship": "career",
    "internships": "career",
    "resume": "career",
    "résumé": "career",
    "cv": "career",
    "portfolio": "career",
    "jobs": "career",
    "job": "career",
}


def topic_choices_text() -> str:
    return ", ".join(TOPICS)


def resolve_topic(text: str | None) -> str | None:
    """The topic slug `text` names ("stats", "Statistics", "ML", "machine-learning" ...), or
    None when it names none. Blank or "all" is not a topic: check with `is_all_topics`."""
    key = re.sub(r"[\s_\-/&]+", " ", (text or "").casefold()).strip(" .!?")
    for candidate in (key, key.replace(" and ", " ")):
        if candidate in TOPICS:
            return candidate
        if candidate in TOPIC_ALIASES:
            return TOPIC_ALIASES[candidate]
    return None


def is_all_topics(text: str | None) -> bool:
    return (text or "").strip().casefold() in _ALL_TOPICS_WORDS
