"""Split a résumé into its sections, whatever their headings are called or look like.

Headings come from the vocabulary in knowledge/resume/headings.yaml (see headings.py);
"Skills: Python, SQL" may carry content on the same line; prose above the first heading is a
summary; a heading-shaped line the vocabulary cannot place becomes an "unplaced" section that
the review names (never merged silently into the section above). A résumé with no headings
at all is split by what its blocks contain (inference.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.resume.headings import (
    CANONICAL,
    MAIN,
    OTHER,
    UNPLACED,
    classify_heading,
    heading_style,
    normalize_heading,
    unplaced_heading,
)

__all__ = [
    "CANONICAL",
    "MAIN",
    "OTHER",
    "UNPLACED",
    "Layout",
    "Section",
    "classify_heading",
    "find_sections",
    "normalize_heading",
    "split_sections",
]

# Only unmistakable labels may carry content on the same line ("Skills: Python, SQL").
_INLINE_LABELS = frozenset(
    (
        "summary",
        "profile",
        "objective",
        "about me",
        "experience",
        "work experience",
        "professional experience",
        "work history",
        "employment",
        "projects",
        "portfolio",
        "education",
        "academic background",
        "skills",
        "technical skills",
        "personal projects",
        "selected projects",
        "key skills",
        "relevant coursework",
        "coursework",
        "certifications",
        "certificates",
        "publications",
    )
)
_MIN_SUMMARY_WORDS = 10  # a two-line synopsis above the first heading


@dataclass(frozen=True)
class Section:
    """One résumé section. `name` is a CANONICAL name, "other" or "unplaced"; `heading` is
    None when the section was inferred (a summary paragraph, or a résumé without headings)."""

    name: str
    heading: str | None
    text: str
    label: str = ""


@dataclass(frozen=True)
class Layout:
    preamble: str
    sections: list[Section]
    inferred: bool = False
    unplaced: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Canonical section names, in order of first appearance."""
        seen: list[str] = []
        for section in self.sections:
            if section.name in CANONICAL and section.name not in seen:
                seen.append(section.name)
        return seen

    def text_of(self, name: str) -> str:
        return "\n".join(s.text for s in self.sections if s.name == name).strip()

    def heading_of(self, name: str) -> str | None:
        """The heading as the reader sees it ("## Projects:" shows as "Projects")."""
        heading = next((s.heading for s in self.sections if s.name == name and s.heading), None)
        if heading is None:
            return None
        cleaned = re.sub(r"^[#*_\s]+|[*_:：\s]+$", "", heading)
        return cleaned if len(cleaned) <= 40 else cleaned[:40] + "…"


def _inline_heading(line: str) -> tuple[str, str, str] | None:
    """("skills", "skills", "Python, SQL") for "Skills: Python, SQL"; also "EDUCATION BSc ..."."""
    match = re.match(
        r"^\s*(?:#{1,6}\s*)?\**([A-Za-z][A-Za-z &/’'-]{2,40}?)\**\s*[:：]\s*(\S.*)$", line
    )
    if match and normalize_heading(match.group(1)) in _INLINE_LABELS:
        name = classify_heading(match.group(1))
        if name and name != OTHER:
            return name, normalize_heading(match.group(1)), match.group(2).strip()
    # PDF text sometimes glues an ALL-CAPS heading to the first line of its section.
    words = line.split()
    caps = 0
    while caps < min(len(words), 4) and re.fullmatch(r"[A-Z][A-Z&/-]*:?", words[caps]):
        caps += 1
    for cut in range(caps, 0, -1):
        label, rest = " ".join(words[:cut]), " ".join(words[cut:])
        if rest and not rest.isupper() and normalize_heading(label) in _INLINE_LABELS:
            name = classify_heading(label)
            if name and name != OTHER:
                return name, normalize_heading(label), rest
    return None


def _is_underline(line: str) -> bool:
    return bool(re.fullmatch(r"\s*[=\-_~]{3,}\s*", line))


def _known_heading_styles(lines: list[str]) -> set[str]:
    styles = set()
    for line in lines:
        if line.strip() and classify_heading(line):
            style = heading_style(line)
            if style:
                styles.add(style)
    return styles


def split_sections(text: str) -> Layout:
    """Split résumé text into a preamble (name, contacts) and ordered sections."""
    lines = [raw.rstrip() for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    styles = _known_heading_styles(lines)
    preamble: list[str] = []
    sections: list[tuple[str, str, str, list[str]]] = []
    unplaced: list[str] = []
    for line in lines:
        if _is_underline(line):
            continue
        name = classify_heading(line) if line.strip() else None
        if name:
            sections.append((name, line.strip(), normalize_heading(line), []))
            continue
        inline = _inline_heading(line) if line.strip() else None
        current = sections[-1][0] if sections else None
        if inline and inline[0] != current:
            sections.append((inline[0], line.strip(), inline[1], [inline[2]]))
            continue
        if sections and line.strip() and unplaced_heading(line, styles):
            sections.append((UNPLACED, line.strip(), normalize_heading(line), []))
            unplaced.append(line.strip().strip("#*_ :"))
            continue
        (sections[-1][3] if sections else preamble).append(line)
    result = [
        Section(name, heading, "\n".join(body).strip(), label)
        for name, heading, label, body in sections
    ]
    preamble_text = "\n".join(preamble).strip()
    if sum(1 for s in result if s.name in MAIN) < 2:
        from bot.core.resume.inference import infer_layout  # only résumés without headings need it

        inferred = infer_layout(text)
        if inferred is not None and len(inferred.names) > len({s.name for s in result} & set(MAIN)):
            return inferred
    implicit = implicit_summary(preamble_text)
    if implicit and not any(s.name == "summary" for s in result):
        result.insert(0, Section("summary", None, implicit, ""))
    return Layout(preamble_text, result, False, unplaced)


def find_sections(text: str) -> list[Section]:
    """Ordered sections of a résumé (canonical names plus "other" and "unplaced")."""
    return split_sections(text).sections


_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
CONTACT = re.compile(r"@|https?://|www\.|linkedin|github\.com|\+?\d[\d ()./-]{7,}\d", re.I)


def implicit_summary(preamble: str) -> str:
    """Prose above the first heading (not the name or contact lines) acts as a summary."""
    prose = [
        line.strip()
        for line in preamble.split("\n")
        if line.strip()
        and not CONTACT.search(line)
        and not _YEAR.search(line)  # dated lines are entries (a job, a degree), not a summary
        and len(line.split()) >= 6
    ]
    if sum(len(line.split()) for line in prose) >= _MIN_SUMMARY_WORDS:
        return "\n".join(prose)
    return ""
