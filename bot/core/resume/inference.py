"""Sections of a résumé written without headings, read from what each block contains.

Blocks are separated by blank lines. Dated entries with a role ("Data Analyst, Nordstrom,
2021 – Present") are jobs; entries whose lines built or trained something are projects; a
line naming a degree or a university is education; a list of known skills is skills; prose
before any entry is the summary. Used only when the text has fewer than two known headings.
"""

from __future__ import annotations

import re

from bot.core.resume.entries import Entry, has_date, is_job_title, split_entries
from bot.core.resume.lexicon import count_skills
from bot.core.resume.sections import CONTACT, Layout, Section

DEGREE = re.compile(
    r"\b(?:b\.?\s?sc?\.?|m\.?\s?sc?\.?|b\.?a\.?|m\.?a\.?|ph\.?\s?d|bachelor|master|doctor(?:ate)?|"
    r"associate of|diploma|degree|university|college|institute of technology|polytechnic|"
    r"school of|mba|gpa)\b",
    re.I,
)
_BUILT = re.compile(
    r"\b(?:built|build|trained|train|developed|created|implemented|designed|wrote|deployed|"
    r"fine-tuned|scraped|predicts?|classif\w+|detects?|recommends?|app|model|dashboard)\b",
    re.I,
)
_MIN_SUMMARY_WORDS = 15


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _is_skills_line(line: str) -> bool:
    items = [item.strip() for item in re.split(r"[,;|•·]", line) if item.strip()]
    if len(items) < 3 or has_date(line):
        return False
    known = sum(1 for item in items if count_skills(item))
    return known / len(items) >= 0.5


def _entry_kind(entry: Entry) -> str | None:
    if entry.dated and is_job_title(entry.title):
        return "experience"
    if entry.body and (_BUILT.search(entry.text) or count_skills(entry.text)):
        return "projects"
    return None


def is_entry_of(entry: Entry, section: str) -> bool:
    """Whether an entry reads like a job ("experience") or a project ("projects")."""
    if section == "experience":
        return entry.dated and is_job_title(entry.title)
    return bool(_BUILT.search(entry.text) or count_skills(entry.text))


def _classify(block: list[str], seen_entries: bool) -> list[tuple[str, str]]:
    """(section name, text) pieces of one block, in order."""
    text = "\n".join(block)
    if all(_is_skills_line(line) for line in block):
        return [("skills", text)]
    if all(DEGREE.search(line) for line in block) and len(block) <= 4:
        return [("education", text)]
    words = len(text.split())
    prose = not any(has_date(line) for line in block) and not any(CONTACT.search(x) for x in block)
    if prose and not seen_entries and words >= _MIN_SUMMARY_WORDS and len(block) <= 6:
        return [("summary", text)]
    pieces = []
    for entry in split_entries(text):
        kind = _entry_kind(entry)
        if kind is None:
            return []
        pieces.append((kind, entry.text))
    return pieces


def infer_layout(text: str) -> Layout | None:
    """A layout from content alone, or None when no entries (jobs or projects) are found."""
    blocks = _blocks(text)
    preamble: list[str] = []
    pieces: list[tuple[str, str]] = []
    for block in blocks:
        found = _classify(block, any(k in ("experience", "projects") for k, _ in pieces))
        if not found and not pieces:
            preamble.extend(block)
            continue
        pieces.extend(found)
    if not any(kind in ("experience", "projects") for kind, _ in pieces):
        return None
    sections: list[Section] = []
    for kind, piece in pieces:
        if sections and sections[-1].name == kind:
            sections[-1] = Section(kind, None, sections[-1].text + "\n\n" + piece, "inferred")
        else:
            sections.append(Section(kind, None, piece, "inferred"))
    return Layout("\n".join(preamble), sections, inferred=True)
