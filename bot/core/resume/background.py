"""What a résumé says about its author: degree and field, PhD, self-taught or boot camp,
and whether the text is a résumé at all."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.core.resume.lexicon import KNOWLEDGE_DIR, count_skills
from bot.core.resume.sections import Layout
from bot.knowledge.yaml_io import read_yaml

FIELDS_PATH = KNOWLEDGE_DIR / "degree_fields.yaml"

_PHD = re.compile(
    r"\b(?:ph\.?\s?d\.?|d\.?\s?phil|doctor of philosophy|doctoral|doctorate)(?!\w)", re.I
)
_MASTER = re.compile(
    r"\b(?:master'?s?|m\.?\s?sc\.?|m\.?\s?eng\.?|m\.?\s?tech\.?|mba|m\.b\.a\.?|mres)(?!\w)",
    re.I,
)
_MASTER_ABBREVIATION = re.compile(r"(?<![\w.])(?:MS|M\.S\.|MA|M\.A\.|SM)(?!\w)")
_BACHELOR = re.compile(
    r"\b(?:bachelor'?s?|b\.?\s?sc\.?|b\.?\s?eng\.?|b\.?\s?tech\.?|undergraduate|honours degree)(?!\w)",
    re.I,
)
# Two-letter abbreviations only in capitals: "BA"/"MS" yes, "ba"/"ms" are other words.
_DEGREE_ABBREVIATION = re.compile(r"(?<![\w.])(?:BS|B\.S\.|BA|B\.A\.|AB|A\.B\.|BBA|BFA)(?!\w)")
_OTHER_DEGREE = re.compile(
    r"\b(?:associate'?s? degree|degree|diploma|major(?:ed|ing)? in|studied|studying|graduated)\b",
    re.I,
)
_DEGREE_NAME = re.compile(
    r"\b(?:bachelor|master|doctor)'?s?\s+of\s+(?:fine\s+arts|arts|sciences?|engineering|"
    r"technology|philosophy|applied\s+science)\b",
    re.I,
)
_MBA = re.compile(r"\b(?:mba|m\.b\.a\.?|master'?s? of business administration)(?!\w)", re.I)
_FIELD_AFTER = re.compile(
    r"\b(?:in|of|major(?:ed|ing)? in|majoring in|studied|studying)\s+((?:[A-Z][\w&-]*\s*){1,4})"
)
SELF_TAUGHT = re.compile(
    r"self[- ]taught|taught myself|teach(?:ing)? myself|self[- ]stud(?:y|ied|ying)|self[- ]directed"
    r"|self[- ]learner|self[- ]educated|learn(?:ed|t|ing) (?:it |machine learning |ML |to code )?on my own"
    r"|independent(?:ly)? stud(?:y|ied)",
    re.I,
)
_NO_DEGREE = re.compile(
    r"\bno degree\b|\bwithout (?:a )?degree\b|\bdid not (?:finish|graduate)|\bdropped out\b", re.I
)
_MOOC = re.compile(
    r"\b(?:coursera|edx|udacity|udemy|fast\.ai|datacamp|mooc|online courses?|kaggle learn)\b", re.I
)
BOOTCAMP = re.compile(
    r"boot[- ]?camp|\bimmersive\b|\b(?:springboard|general assembly|le wagon|flatiron|metis|"
    r"brainstation|lambda school|bloomtech|galvanize|ironhack|tripleten|insight data science|"
    r"codesmith|app academy|hack reactor|coding dojo|thinkful|nucamp|4geeks|holberton|"
    r"wbs coding school|turing college|codeop|data science retreat|spiced academy)\b",
    re.I,
)


@dataclass(frozen=True)
class Background:
    jobs: int
    projects: int
    degree_field: str | None
    degree_related: bool | None
    phd: bool
    self_taught: bool
    bootcamp: bool
    kind: str = "unknown"  # career.KINDS: the background the article's order depends on
    engineering_jobs: int = 0

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "jobs": self.jobs,
            "projects": self.projects,
            "degree_field": self.degree_field,
            "degree_related": self.degree_related,
            "phd": self.phd,
            "self_taught": self.self_taught,
            "bootcamp": self.bootcamp,
        }


@lru_cache(maxsize=2)
def _fields(path: Path = FIELDS_PATH) -> tuple[tuple[str, bool, re.Pattern[str]], ...]:
    data = read_yaml(path)
    fields = [(f, True) for f in data["related"]] + [(f, False) for f in data["unrelated"]]
    fields.sort(key=lambda item: len(item[0]), reverse=True)
    return tuple(
        (name, related, re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I))
        for name, related in fields
    )


def _degree_level(line: str) -> int:
    if _PHD.search(line):
        return 3
    if _MASTER.search(line) or _MASTER_ABBREVIATION.search(line):
        return 2
    if _BACHELOR.search(line) or _DEGREE_ABBREVIATION.search(line):
        return 1
    return 0 if _OTHER_DEGREE.search(line) else -1


def _field_in(text: str) -> tuple[str, bool] | None:
    if _MBA.search(text):
        return "business administration", False
    text = _DEGREE_NAME.sub(" ", text)
    best: tuple[int, str, bool] | None = None
    taken: list[tuple[int, int]] = []
    for name, related, pattern in _fields():
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue  # inside a longer field already found
            taken.append(match.span())
            if best is None or match.start() < best[0]:
                best = (match.start(), name, related)
    return (best[1], best[2]) if best else None


def infer_degree(layout: Layout, text: str) -> tuple[str | None, bool | None, bool]:
    """(degree field, is it ML-related or tangential, PhD) from Education or the whole text."""
    education = layout.text_of("education")
    scope = education or text
    lines = [line for line in scope.split("\n") if line.strip()]
    phd_scope = "\n".join([education, layout.text_of("summary"), layout.preamble])
    phd = bool(_PHD.search(phd_scope if education else text))
    degrees: list[tuple[int, str | None, bool | None]] = []
    for index, line in enumerate(lines):
        level = _degree_level(line)
        if level < 0 or _NO_DEGREE.search(line):
            continue
        found = _field_in(line)
        if found is None:
            nearby = " ".join(lines[max(0, index - 1) : index + 2])
            found = _field_in(nearby) if education else None
        if found is None:
            match = _FIELD_AFTER.search(_DEGREE_NAME.sub(" ", line))
            named = match.group(1).strip().lower() if match else None
            degrees.append((level, named, None))
        else:
            degrees.append((level, found[0], found[1]))
    if not degrees and education:
        found = _field_in(education)
        if found:
            degrees.append((0, found[0], found[1]))
    related = [d for d in degrees if d[2]]
    if related:
        best = max(related, key=lambda d: d[0])
        return best[1], True, phd
    known = [d for d in degrees if d[1]]
    if known:
        best = max(known, key=lambda d: d[0])
        return best[1], best[2], phd
    return None, None, phd


def infer_pathway(text: str, has_degree: bool) -> tuple[bool, bool]:
    """(self-taught, boot camp). Online courses alone count as self-taught only without a degree."""
    self_taught = bool(SELF_TAUGHT.search(text)) or (not has_degree and bool(_MOOC.search(text)))
    return self_taught, bool(BOOTCAMP.search(text))


_SIGNALS = {
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "phone": re.compile(r"(?<!\d)\+?\d[\d ().-]{7,}\d(?!\d)"),
    "profile_link": re.compile(r"linkedin|github|gitlab|kaggle\.com|portfolio", re.I),
    "years": re.compile(
        r"\b(?:19[5-9]\d|20[0-4]\d)\b.*\b(?:19[5-9]\d|20[0-4]\d|present|current)\b", re.I | re.S
    ),
    "degree": re.compile(
        r"\b(?:university|college|institute|school|bachelor|master|ph\.?d|degree|bsc|msc|gpa)\b",
        re.I,
    ),
    "job_title": re.compile(
        r"\b(?:intern(?:ship)?|engineer|analyst|developer|scientist|researcher|assistant|consultant|"
        r"manager|specialist|freelance|contractor)\b",
        re.I,
    ),
}


def resume_signals(text: str) -> set[str]:
    """Kinds of evidence that `text` is a résumé (contacts, dates, degrees, roles, skills)."""
    found = {name for name, pattern in _SIGNALS.items() if pattern.search(text)}
    if len(count_skills(text)) >= 3:
        found.add("skills")
    return found


def degree_field_names() -> tuple[str, ...]:
    """Every field of study the data knows, longest first (for reading job descriptions)."""
    return tuple(name for name, _related, _pattern in _fields())
