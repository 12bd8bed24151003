"""Sections of a résumé written without headings, read from what each block contains.

Blocks are separated by blank lines. Dated entries with a role ("Data Analyst, Nordstrom,
2021 – Present") are jobs; entries whose lines built or trained something are projects; a
line naming a degree or a university is education; a list of known skills is skills; prose
before any entry is the summary. Used only when the text has fewer than two known headings.
"""

from __future__ import annotations

import re

from bot.core.resume.entries import BULLET as _BULLET
from bot.core.resume.entries import Entry, has_date, is_job_title, split_entries
from bot.core.resume.lexicon import count_skills
from bot.core.resume.sections import CONTACT, Layout, Section

DEGREE = re.compile(
    r"(?<![\w.])(?:B\.?\s?Sc?\.?|M\.?\s?Sc?\.?|B\.?A\.?|M\.?A\.?|B\.?S\.?E\.?|Ph\.?\s?D|MBA|GPA)(?!\w)|"
    r"\b(?i:bachelor|master|doctorate|doctor of|associate of|diploma|degree|university|college|"
    r"institute of technology|polytechnic|school of)\b"
)
_BUILT = re.compile(
    r"\b(?:built|build|trained|train|developed|created|implemented|designed|wrote|deployed|"
    r"fine-tuned|scraped|predicts?|classif\w+|detects?|recommends?|app|model|dashboard)\b",
    re.I,
)
_MIN_SUMMARY_WORDS = 15


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


def _is_degree_line(line: str) -> bool:
    return bool(DEGREE.search(line)) and len(line.split()) <= 18 and not _BULLET.match(line)


def _summary_and_rest(lines: list[str]) -> tuple[str, list[str]]:
    """Leading prose (no dates, no bullets) of 15+ words is the summary."""
    lead: list[str] = []
    for line in lines:
        if line.strip() and (has_date(line) or _BULLET.match(line)):
            break
        lead.append(line)
    words = sum(len(line.split()) for line in lead)
    if words >= _MIN_SUMMARY_WORDS and not any(CONTACT.search(line) for line in lead):
        return "\n".join(x.strip() for x in lead if x.strip()), lines[len(lead) :]
    return "", lines


def _entry_pieces(lines: list[str]) -> list[tuple[str, str]]:
    pieces = []
    for entry in split_entries("\n".join(lines)):
        kind = _entry_kind(entry)
        if kind is None and pieces:
            kind = pieces[-1][0]  # a stray line belongs with the entry above
        if kind is not None:
            pieces.append((kind, entry.text))
    return pieces


def infer_layout(text: str) -> Layout | None:
    """A layout from content alone, or None when no entries (jobs or projects) are found.

    Works line by line, so it needs no blank lines (PDF text has none): skills lists and
    degree lines stand alone, prose before the first dated line is the summary, and the rest
    is split into entries, each a job or a project.
    """
    preamble: list[str] = []
    pieces: list[tuple[str, str]] = []
    chunk: list[str] = []

    def flush() -> None:
        if any(line.strip() for line in chunk):
            summary, rest = _summary_and_rest(chunk) if not pieces else ("", chunk)
            if summary:
                pieces.append(("summary", summary))
            pieces.extend(_entry_pieces(rest))
        chunk.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if stripped and _is_skills_line(stripped):
            flush()
            pieces.append(("skills", stripped))
        elif stripped and _is_degree_line(stripped) and (chunk or pieces):
            flush()
            pieces.append(("education", stripped))
        elif not pieces and not chunk and (not stripped or _is_preamble_line(stripped)):
            preamble.append(line)
        else:
            chunk.append(line)
    flush()
    if not any(kind in ("experience", "projects") for kind, _ in pieces):
        return None
    sections: list[Section] = []
    for kind, piece in pieces:
        if sections and sections[-1].name == kind:
            sections[-1] = Section(kind, None, sections[-1].text + "\n" + piece, "inferred")
        else:
            sections.append(Section(kind, None, piece, "inferred"))
    return Layout("\n".join(preamble).strip(), sections, inferred=True)


def _is_preamble_line(line: str) -> bool:
    """Name, contact and tagline lines at the top."""
    return bool(CONTACT.search(line)) or (len(line.split()) <= 6 and not has_date(line))
