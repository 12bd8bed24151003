"""Which résumé section a heading line names, from the vocabulary in knowledge/resume/headings.yaml.

Handles "WORK HISTORY", "Professional Experience:", "## Selected Projects", "**Skills**",
letter-spaced "E D U C A T I O N" from PDF templates, "Skills & tools", "ACADEMIC FORMATION",
and tells a heading it cannot place ("COMPLEMENTARY ACTIVITIES") from an ordinary line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.core.resume.lexicon import KNOWLEDGE_DIR
from bot.knowledge.yaml_io import read_yaml

HEADINGS_PATH = KNOWLEDGE_DIR / "headings.yaml"
MAIN = ("summary", "experience", "projects", "education", "skills")
CANONICAL = (*MAIN, "certifications", "coursework", "publications")
OTHER = "other"  # a heading the review knows but does not review (Languages, Interests...)
UNPLACED = "unplaced"  # heading-shaped, but nothing in the vocabulary says what it is
_MAX_HEADING_WORDS = 6


@dataclass(frozen=True)
class Vocabulary:
    lookup: dict[str, str]
    modifiers: frozenset[str]
    trailing: frozenset[str]
    section_nouns: frozenset[str]


@lru_cache(maxsize=2)
def vocabulary(path: Path = HEADINGS_PATH) -> Vocabulary:
    data = read_yaml(path)
    lookup = {phrase: name for name, phrases in data["sections"].items() for phrase in phrases}
    lookup.update({phrase: OTHER for phrase in data["other"]})
    return Vocabulary(
        lookup,
        frozenset(data["modifiers"]),
        frozenset(data["trailing_modifiers"]),
        frozenset(data["section_nouns"]),
    )


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


def _strip_leading(words: list[str]) -> str | None:
    vocab = vocabulary()
    while words:
        name = vocab.lookup.get(" ".join(words))
        if name:
            return name
        if words[0] not in vocab.modifiers:
            return None
        words = words[1:]
    return None


def _lookup_part(part: str) -> str | None:
    """ "relevant work experience" → experience; "projects developed" → projects."""
    words = part.split()
    name = _strip_leading(words)
    while name is None and len(words) > 1 and words[-1] in vocabulary().trailing:
        words = words[:-1]
        name = _strip_leading(words)
    return name


def _shape_allows(line: str, normalized: str) -> bool:
    if not normalized or len(normalized.split()) > _MAX_HEADING_WORDS or len(line) > 80:
        return False
    return not (line.rstrip().endswith((".", ",", ";")) and not line.rstrip().endswith("..."))


def classify_heading(line: str) -> str | None:
    """Canonical name, "other", or None when `line` is not a known section heading."""
    normalized = normalize_heading(line)
    if not _shape_allows(line, normalized):
        return None
    parts = [p for p in re.split(r",| and ", normalized) if p.strip()]
    names = [_lookup_part(p.strip()) for p in parts]
    if not names or any(name is None for name in names):
        return None
    canonical = [name for name in names if name != OTHER]
    return canonical[0] if canonical else OTHER


_DATE_OR_DIGIT = re.compile(r"\d")
_SMALL = frozenset("a an the of and & for in on with to at by".split())
_ENTRY_LABEL = re.compile(
    r"^(?:key |main )?(?:responsibilities|functions|tasks|duties|achievements|results?|tech|"
    r"stack|tools used|technologies used|skills used|built with|role|description|impact|"
    r"outcome|links?|github|demo|dataset|data|method|methods|approach|advisor|supervisor|"
    r"thesis|team)$"
)
_CONTACT = re.compile(r"@|https?://|www\.|\.com\b|\.io\b|linkedin|github", re.I)


def heading_style(line: str) -> str | None:
    """ "caps", "markdownN", "bold" or "colon" when a line is laid out like a heading."""
    stripped = line.strip()
    level = re.match(r"^(#{1,4})\s+\S", stripped)
    if level:
        return f"markdown{len(level.group(1))}"  # "### Title" under "## Projects" is an entry
    if re.fullmatch(r"\*\*[^*]{2,60}\*\*:?|__[^_]{2,60}__:?", stripped):
        return "bold"
    letters = [ch for ch in stripped if ch.isalpha()]
    if len(letters) >= 4 and all(ch.isupper() for ch in letters):
        return "caps"
    words = stripped.rstrip(":：").split()
    if stripped.endswith((":", "：")) and 0 < len(words) <= 5 and words[0][:1].isupper():
        return "colon"  # "Experience:" on its own line
    if 0 < len(words) <= 4 and all(w[:1].isupper() or w.lower() in _SMALL for w in words):
        return "title"  # "Work Experience", like many a project title: see unplaced_heading
    return None


def unplaced_heading(line: str, styles: set[str]) -> bool:
    """A line laid out like the résumé's other headings that the vocabulary cannot place.

    Only lines in a style the résumé already uses for known headings count, so a company
    name in capitals inside a section of Title Case headings is not taken for a heading.
    """
    style = heading_style(line)
    if style is None or style not in styles or classify_heading(line) is not None:
        return False
    normalized = normalize_heading(line)
    words = normalized.split()
    if not _shape_allows(line, normalized) or not 1 <= len(words) <= 4:
        return False
    if style == "title" and words[-1] not in vocabulary().section_nouns:
        return False  # a Title Case line is a heading only if it ends like one ("... Activities")
    if _DATE_OR_DIGIT.search(line) or _CONTACT.search(line) or re.search(r"[,|•·@]", line):
        return False
    return not _ENTRY_LABEL.match(normalized)  # "Responsibilities:" inside a job


def unplaced_advice(path: Path = HEADINGS_PATH) -> tuple[str, str]:
    """(source, tip template with {line}) for a heading the review cannot place."""
    data = read_yaml(path)["unplaced"]
    return str(data["source"]), " ".join(str(data["tip"]).split())
