"""Find a résumé's sections whatever their headings are called or look like.

Handles "WORK HISTORY", "Professional Experience:", "## Selected Projects", "**Skills**",
letter-spaced "E D U C A T I O N" from PDF templates, "Skills: Python, SQL" with content on
the same line, and a summary paragraph with no heading above the first section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CANONICAL = ("summary", "experience", "projects", "education", "skills")
OTHER = "other"

_HEADS: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary",
        "profile",
        "about me",
        "about",
        "objective",
        "career objective",
        "personal statement",
        "statement",
        "overview",
        "introduction",
        "bio",
        "who i am",
        "summary of qualifications",
        "professional profile",
        "personal profile",
    ),
    "experience": (
        "experience",
        "experiences",
        "work history",
        "employment",
        "employment history",
        "career history",
        "work",
        "internships",
        "internship",
        "positions",
        "career",
        "professional background",
        "research",
        "jobs",
        "positions held",
        "professional experience",
        "work experience",
    ),
    "projects": (
        "projects",
        "project",
        "portfolio",
        "project portfolio",
        "open source",
        "open source contributions",
        "open source projects",
        "contributions",
        "competitions",
        "kaggle",
        "kaggle competitions",
        "hackathons",
        "capstone",
        "capstone project",
        "passion projects",
        "project highlights",
        "highlight reel",
    ),
    "education": (
        "education",
        "academic background",
        "academics",
        "educational background",
        "qualifications",
        "academic qualifications",
        "degrees",
        "coursework",
        "relevant coursework",
        "training",
        "studies",
        "schooling",
        "academic history",
        "education and training",
    ),
    "skills": (
        "skills",
        "skill",
        "tools",
        "technologies",
        "tech stack",
        "stack",
        "toolbox",
        "toolkit",
        "competencies",
        "core competencies",
        "expertise",
        "areas of expertise",
        "programming languages",
        "proficiencies",
        "technical proficiencies",
        "software",
        "skills summary",
        "summary of skills",
        "technical summary",
        "frameworks",
        "tools and technologies",
        "languages and tools",
        "languages and technologies",
    ),
    OTHER: (
        "certifications",
        "certification",
        "certificates",
        "licenses",
        "awards",
        "honors",
        "honours",
        "achievements",
        "accomplishments",
        "publications",
        "papers",
        "languages",
        "spoken languages",
        "interests",
        "hobbies",
        "references",
        "volunteering",
        "volunteer experience",
        "volunteer work",
        "leadership",
        "activities",
        "extracurricular activities",
        "extracurriculars",
        "contact",
        "contact information",
        "contact details",
        "additional information",
        "memberships",
        "affiliations",
        "patents",
        "talks",
        "presentations",
        "conferences",
        "courses",
        "online courses",
        "mooc",
        "links",
        "personal details",
    ),
}
_LOOKUP = {phrase: name for name, phrases in _HEADS.items() for phrase in phrases}
# Words that may precede a heading's head noun: "Relevant Work Experience", "ML Projects".
_MODIFIERS = frozenset(
    "selected relevant key personal professional technical academic work notable recent core "
    "other additional independent featured my side major ml machine learning deep data science "
    "ai software engineering industry select previous past practical hands on university "
    "school formal programming research analytics analytical computer technology tech "
    "personal open source".split()
)
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
    )
)
_MAX_HEADING_WORDS = 6
_MIN_SUMMARY_WORDS = 15


@dataclass(frozen=True)
class Section:
    """One résumé section. `name` is a CANONICAL name or "other"; `heading` is None when
    the section was inferred (a summary paragraph above the first heading)."""

    name: str
    heading: str | None
    text: str
    label: str = ""


@dataclass(frozen=True)
class Layout:
    preamble: str
    sections: list[Section]

    @property
    def names(self) -> list[str]:
        """Canonical section names, in order of first appearance."""
        seen: list[str] = []
        for section in self.sections:
            if section.name != OTHER and section.name not in seen:
                seen.append(section.name)
        return seen

    def text_of(self, name: str) -> str:
        return "\n".join(s.text for s in self.sections if s.name == name).strip()


def _collapse_letter_spacing(line: str) -> str:
    # "W O R K   E X P E R I E N C E" -> "WORK EXPERIENCE"
    chunks = [chunk for chunk in re.split(r"\s{2,}", line.strip()) if chunk]
    if chunks and all(re.fullmatch(r"(?:\S ){2,}\S", chunk) for chunk in chunks):
        return " ".join(chunk.replace(" ", "") for chunk in chunks)
    return line


def normalize_heading(line: str) -> str:
    """Lower-case heading words with markdown, icons, colons and numbering stripped."""
    text = _collapse_letter_spacing(line.strip())
    text = re.sub(r"^#{1,6}\s*", "", text)
    text = re.sub(r"^[^\w(]+", "", text)  # bullets, icons, bold markers
    text = re.sub(r"^(?:\d{1,2}|[ivx]{1,4})[.)]\s+", "", text, flags=re.I)
    text = re.sub(r"\([^)]*\)", " ", text)  # "Projects (selected)"
    text = re.sub(r"[\s:：\-–—_*#=|.>]+$", "", text)
    text = text.lower().replace("’", "'")
    text = re.sub(r"\s*(?:&|/|\+)\s*", " and ", text)
    text = re.sub(r"[-'_*]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _lookup_part(part: str) -> str | None:
    words = part.split()
    while words:
        name = _LOOKUP.get(" ".join(words))
        if name:
            return name
        if words[0] not in _MODIFIERS:
            return None
        words = words[1:]
    return None


def classify_heading(line: str) -> str | None:
    """Canonical name, "other", or None when `line` is not a section heading."""
    normalized = normalize_heading(line)
    if not normalized or len(normalized.split()) > _MAX_HEADING_WORDS or len(line) > 80:
        return None
    if line.rstrip().endswith((".", ",", ";")) and not line.rstrip().endswith("..."):
        return None
    parts = [p for p in re.split(r",| and ", normalized) if p.strip()]
    names = [_lookup_part(p.strip()) for p in parts]
    if not names or any(name is None for name in names):
        return None
    canonical = [name for name in names if name != OTHER]
    return canonical[0] if canonical else OTHER


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


def split_sections(text: str) -> Layout:
    """Split résumé text into a preamble (name, contacts) and ordered sections."""
    preamble: list[str] = []
    sections: list[tuple[str, str, str, list[str]]] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
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
        (sections[-1][3] if sections else preamble).append(line)
    result = [
        Section(name, heading, "\n".join(body).strip(), label)
        for name, heading, label, body in sections
    ]
    preamble_text = "\n".join(preamble).strip()
    implicit = _implicit_summary(preamble_text)
    if implicit and not any(s.name == "summary" for s in result):
        result.insert(0, Section("summary", None, implicit, ""))
    return Layout(preamble_text, result)


def find_sections(text: str) -> list[Section]:
    """Ordered sections of a résumé (canonical names plus "other")."""
    return split_sections(text).sections


_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-4]\d)\b")
_CONTACT = re.compile(r"@|https?://|www\.|linkedin|github\.com|\+?\d[\d ()./-]{7,}\d", re.I)


def _implicit_summary(preamble: str) -> str:
    """Prose above the first heading (not the name or contact lines) acts as a summary."""
    prose = [
        line.strip()
        for line in preamble.split("\n")
        if line.strip()
        and not _CONTACT.search(line)
        and not _YEAR.search(line)  # dated lines are entries (a job, a degree), not a summary
        and len(line.split()) >= 6
    ]
    if sum(len(line.split()) for line in prose) >= _MIN_SUMMARY_WORDS:
        return "\n".join(prose)
    return ""
