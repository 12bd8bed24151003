"""Bullet-level feedback: duties instead of deeds, vague words, no result.

The phrases live in knowledge/resume/bullets.yaml. This is common résumé practice (what
Resume Worded or Jobscan point out), not advice from the article, and tips built from it say
so. Each note quotes the bullet and suggests a shape; it never writes content for the student.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.core.resume.entries import split_entries
from bot.core.resume.lexicon import KNOWLEDGE_DIR
from bot.core.resume.sections import Layout
from bot.knowledge.yaml_io import read_yaml

BULLETS_PATH = KNOWLEDGE_DIR / "bullets.yaml"
# Worst first: a duty opener says least, a missing result is the mildest.
PROBLEMS = ("weak_opener", "noun_opener", "vague", "no_result")


@dataclass(frozen=True)
class Phrases:
    source: str
    weak_openers: re.Pattern[str]
    noun_openers: re.Pattern[str]
    vague: re.Pattern[str]
    results: re.Pattern[str]
    shapes: dict[str, str]
    why: dict[str, str]
    tip: str
    group_tip: str
    summary_vague: str


def _alternation(phrases: list[str]) -> str:
    ordered = sorted((str(p) for p in phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"[\s-]+") for p in ordered)


@lru_cache(maxsize=2)
def phrases(path: Path = BULLETS_PATH) -> Phrases:
    data = read_yaml(path)
    return Phrases(
        source=str(data["source"]),
        weak_openers=re.compile(rf"^(?:{_alternation(data['weak_openers'])})\b", re.I),
        noun_openers=re.compile(rf"^(?:{_alternation(data['noun_openers'])})\b", re.I),
        vague=re.compile(rf"(?<!\w)(?:{_alternation(data['vague_phrases'])})(?!\w)", re.I),
        results=re.compile(rf"\d|(?<!\w)(?:{_alternation(data['result_words'])})(?!\w)", re.I),
        shapes={str(k): " ".join(str(v).split()) for k, v in data["shapes"].items()},
        why={str(k): str(v) for k, v in data["why"].items()},
        tip=str(data["tip"]),
        group_tip=str(data["group_tip"]),
        summary_vague=" ".join(str(data["summary_vague"]).split()),
    )


@dataclass(frozen=True)
class BulletNote:
    """What is wrong with one bullet: `problem` (one of PROBLEMS) and the words at fault."""

    section: str
    line: str
    problem: str
    words: str = ""

    def advice(self) -> str:
        """The tip: the bullet quoted, what is wrong, the shape to try."""
        found = phrases()
        why = found.why[self.problem].format(words=self.words)
        return found.tip.format(line=self.line, why=why, shape=found.shapes[self.problem])

    def to_json(self) -> dict[str, str]:
        return {"line": self.line, "problem": self.problem, "section": self.section}


def _note(line: str, section: str, in_job: bool) -> BulletNote | None:
    found = phrases()
    for problem, pattern in (
        ("weak_opener", found.weak_openers),
        ("noun_opener", found.noun_openers),
        ("vague", found.vague),
    ):
        match = pattern.search(line)
        if match:
            return BulletNote(section, line, problem, match.group(0))
    if in_job and not found.results.search(line) and len(line.split()) >= 4:
        return BulletNote(section, line, "no_result")
    return None


def bullet_notes(layout: Layout) -> list[BulletNote]:
    """Notes on the description lines of jobs and projects, in résumé order."""
    notes = []
    for section in ("experience", "projects"):
        for entry in split_entries(layout.text_of(section)):
            for line in entry.body:
                line = line.strip()
                if not line or line.endswith(":"):
                    continue
                note = _note(line, section, in_job=section == "experience")
                if note:
                    notes.append(note)
    return notes


MAX_QUOTED = 3


def grouped_advice(notes: list[BulletNote]) -> str:
    """One tip for several bullets with the same problem (no result), each quoted."""
    if len(notes) == 1:
        return notes[0].advice()
    found = phrases()
    lines = "; ".join(f"“{note.line}”" for note in notes[:MAX_QUOTED])
    return found.group_tip.format(lines=lines, shape=found.shapes[notes[0].problem])


def vague_summary_line(summary: str) -> tuple[str, str] | None:
    """(sentence, vague words) for the first summary sentence made of clichés, if any."""
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(summary.split())):
        match = phrases().vague.search(sentence)
        if match:
            return sentence, match.group(0)
    return None
