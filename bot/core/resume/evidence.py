"""Where a résumé shows each skill: in a job or project line (evidence), in the summary, or
only in a list. A long skills list that no job or project backs up is keyword stuffing."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.resume.lexicon import count_skills
from bot.core.resume.sections import split_sections

EVIDENCE_SECTIONS = frozenset({"experience", "projects", "publications"})
SHOWN, IN_SUMMARY, LISTED, STUFFED = 1.0, 0.75, 0.5, 0.2
# A long list is normal; a long list that almost nothing backs up is stuffing: at least 15
# listed with at most one backed by a job or project, or 25 with under a sixth backed.
STUFFING_MIN_LISTED = 15
STUFFING_MAX_BACKED = 1
STUFFING_LONG_LIST = 25
STUFFING_MAX_SHARE = 1 / 6


@dataclass(frozen=True)
class Stuffing:
    listed: int
    shown: int
    unbacked: list[str]


@dataclass(frozen=True)
class SkillEvidence:
    best: dict[str, tuple[float, str]]  # skill -> (strength, the line that shows it)
    listed: list[str]
    shown: set[str]
    stuffing: Stuffing | None

    def strength(self, name: str) -> tuple[float, str | None]:
        strength, line = self.best.get(name, (0.0, None))
        return strength, line


def _strength_of(section: str, structured: bool) -> float:
    if not structured or section in EVIDENCE_SECTIONS:
        return SHOWN
    return IN_SUMMARY if section == "summary" else LISTED


def skill_evidence(text: str) -> SkillEvidence:
    """Skills of a résumé with their strongest evidence line."""
    layout = split_sections(text)
    structured = any(s.name in EVIDENCE_SECTIONS for s in layout.sections)
    places = [("preamble", layout.preamble)] + [(s.name, s.text) for s in layout.sections]
    listed = list(count_skills(layout.text_of("skills")))
    shown: set[str] = set()
    found: list[tuple[str, float, str]] = []
    for section, body in places:
        strength = _strength_of(section, structured)
        for line in body.split("\n"):
            names = count_skills(line, with_implied=True)
            if strength == SHOWN:
                shown.update(names)
            found.extend((name, strength, line.strip()) for name in names)
    stuffing = None
    if structured and len(listed) >= STUFFING_MIN_LISTED:
        backed = [name for name in listed if name in shown]
        share = len(backed) / len(listed)
        if len(backed) <= STUFFING_MAX_BACKED or (
            len(listed) >= STUFFING_LONG_LIST and share < STUFFING_MAX_SHARE
        ):
            stuffing = Stuffing(len(listed), len(backed), [n for n in listed if n not in shown])
    best: dict[str, tuple[float, str]] = {}
    for name, strength, line in found:
        if stuffing is not None and strength == LISTED:
            strength = STUFFED
        if strength > best.get(name, (0.0, ""))[0]:
            best[name] = (strength, line)
    return SkillEvidence(best, listed, shown, stuffing)
