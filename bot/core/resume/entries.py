"""Split an Experience or Projects section into entries, and check project write-ups.

Résumés list entries in many shapes: a title line then bullets, "Title — what it does" on
one line, one bullet per project, or markdown sub-headings. The splitter reads line shapes
(bullet, date, title-like, prose) rather than trusting any single format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BULLET = re.compile(r"^(\s*)(?:[-*•·▪▸►◦‣●○■□➢➤✓✔–—]|\d{1,2}[.)]|o(?=\s))\s+")
_MARKDOWN_SUBHEADING = re.compile(r"^\s*(?:#{2,6}\s+\S|\*\*[^*]+\*\*\s*$|__[^_]+__\s*$)")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+)?(?:19[5-9]\d|20[0-4]\d)\b|\b\d{{1,2}}/(?:19|20)\d{{2}}\b"
    r"|\b(?:present|current|ongoing|now)\b(?=\s*\)?\s*$|\s*[|,)])",
    re.I,
)
_LABEL = re.compile(
    r"^\s*(?:purpose|goal|aim|problem|method|methods|methodology|approach|tech|stack|tools|"
    r"technologies|tech stack|results?|outcome|impact|description|dataset|data|link|links|"
    r"github|repo|demo|role|responsibilities|skills used|built with|functions|main functions|"
    r"tasks|duties|achievements|key achievements|advisor|supervisor|thesis)\s*[:：]",
    re.I,
)
_ACTION_VERBS = frozenset(
    "built build developed develop designed design created create implemented implement "
    "trained train analyzed analysed analyze analyse led managed wrote used using applied "
    "performed conducted collaborated worked improved reduced increased automated deployed "
    "fine-tuned engineered cleaned scraped collected achieved helped supported maintained "
    "explored investigated evaluated compared visualized visualised predicted leveraged "
    "optimized optimised tested migrated prepared produced presented taught tutored assisted "
    "handled processed served coordinated organized organised contributed".split()
)
_SMALL_WORDS = frozenset("a an the of for and or in on with to at by from via vs using &".split())
_ROLES = (
    r"intern|internship|engineer|analyst|developer|programmer|scientist|assistant|researcher|"
    r"consultant|manager|tutor|teacher|lead|associate|volunteer|fellow|freelancer?|cashier|"
    r"clerk|specialist|supervisor|agent|server|crew member|barista|technician|officer|"
    r"coordinator|director|administrator|representative|aide|instructor|practicante|mentor|"
    r"head|owner|founder|co-founder|contractor|operator|designer|architect|editor|writer|nurse"
)
_ROLE_OR_SEPARATOR = re.compile(rf"[,|@]|\sat\s|\b(?:{_ROLES})s?\b", re.I)
_ROLE = re.compile(rf"\b(?:{_ROLES})s?\b", re.I)
_INLINE_TITLE = re.compile(r"^(?P<title>[^:—–|]{2,60}?)\s*(?::|—|–|\s-\s|\|)\s*(?P<rest>\S.{12,})$")


@dataclass
class Entry:
    """One job or project: its title line(s) and its description lines."""

    title_lines: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    markdown: bool = False

    @property
    def title(self) -> str:
        return " · ".join(self.title_lines).strip() or (self.body[0][:60] if self.body else "")

    @property
    def text(self) -> str:
        return "\n".join(self.title_lines + self.body)

    @property
    def dated(self) -> bool:
        return any(_DATE.search(line) for line in self.title_lines)


def _strip_markup(line: str) -> str:
    line = re.sub(r"^\s*#{1,6}\s*", "", line)
    return line.replace("**", "").replace("__", "").strip()


def is_job_title(text: str) -> bool:
    """A title line naming a role ("Data Analyst, Nordstrom")."""
    return bool(_ROLE.search(text))


def has_date(line: str) -> bool:
    return bool(_DATE.search(line))


def _title_case_ratio(words: list[str]) -> float:
    considered = [w for w in words if w.lower() not in _SMALL_WORDS and re.match(r"[A-Za-z]", w)]
    if not considered:
        return 0.0
    return sum(1 for w in considered if w[0].isupper()) / len(considered)


def line_shape(line: str) -> str:
    """ "header" for a title/company/date line, "prose" for description."""
    text = _strip_markup(line)
    words = text.split()
    if not words or _LABEL.match(text):
        return "prose"
    if has_date(text) and len(words) <= 16:
        return "header"
    if len(words) > 14 or (text.endswith(".") and len(words) > 6):
        return "prose"
    if words[0][:1].islower():
        return "prose"
    if words[0].lower().rstrip(",") in _ACTION_VERBS and (
        len(words) < 3 or _title_case_ratio(words) < 1.0 or text.endswith(".")
    ):
        return "prose"  # "Used a CNN." but not the title "Automated Essay Scorer"
    if _title_case_ratio(words) >= 0.75:
        return "header"
    looks_titled = _title_case_ratio(words) >= 0.5 or _ROLE_OR_SEPARATOR.search(text)
    return "header" if looks_titled and len(words) <= 8 and not text.endswith(".") else "prose"


_BOLD_TITLE = re.compile(
    r"^(?:\*\*|__)(?P<title>[^*_]{2,60})(?:\*\*|__)\s*(?::|—|–|\s-\s|\|)\s*(?P<rest>\S.{8,})$"
)


def _split_inline(text: str) -> tuple[str, str] | None:
    """("Movie Recommender", "collaborative filtering ...") for a "Title: description" line."""
    bold = _BOLD_TITLE.match(text.strip())
    if bold:  # "**Bus arrival predictor** — predicts delays": the bold part is the title
        return bold.group("title").strip(), bold.group("rest").strip()
    match = _INLINE_TITLE.match(_strip_markup(text))
    if not match or _LABEL.match(text):
        return None
    title, rest = match.group("title").strip(), match.group("rest").strip()
    words = title.split()
    rest_words = rest.split()
    if len(words) > 7 or _title_case_ratio(words) < 0.6:
        return None
    if has_date(rest) or (len(rest_words) <= 6 and _title_case_ratio(rest_words) >= 0.75):
        return None  # "Data Analyst | Acme Corp" is a job title line, not title + description
    return title, rest


def split_entries(section_text: str) -> list[Entry]:
    """Jobs or projects of a section, in order."""
    lines = section_text.split("\n")
    content = [line for line in lines if line.strip()]
    if not content:
        return []
    bullets = [line for line in content if BULLET.match(line)]
    indents = sorted({len(BULLET.match(line).group(1).expandtabs(4)) for line in bullets})
    top_indent = indents[0] if indents else 0
    if len(bullets) == len(content):
        # One bullet per entry; deeper bullets describe the entry above.
        entries: list[Entry] = []
        for line in content:
            indent = len(BULLET.match(line).group(1).expandtabs(4))
            text = BULLET.sub("", line, count=1).strip()
            if indent > top_indent and entries:
                entries[-1].body.append(text)
            else:
                entries.append(_entry_from_line(text))
        return entries
    shapes = ["bullet" if BULLET.match(line) else line_shape(line) for line in content]
    one_per_line = all(shape == "header" for shape in shapes)
    entries = []
    current: Entry | None = None
    previous = "blank"
    last_line = ""
    widest = max(len(line.rstrip()) for line in content)
    for line in lines:
        if not line.strip():
            previous = "blank"
            continue
        if BULLET.match(line):
            last_line = line
            text = BULLET.sub("", line, count=1).strip()
            if current is None:
                current = _entry_from_line(text)
                entries.append(current)
            else:
                current.body.append(text)
            previous = "bullet"
            continue
        markdown = bool(_MARKDOWN_SUBHEADING.match(line))
        text = _strip_markup(line)
        if (
            previous in ("bullet", "prose")
            and current is not None
            and current.body
            and not markdown
            and _continues(text, last_line, widest)
        ):
            current.body[-1] = f"{current.body[-1]} {text}"  # a line wrapped by the PDF
            last_line = line
            continue
        shape = "header" if markdown else line_shape(line)
        inline = _split_inline(text) if shape == "prose" and previous != "header" else None
        if inline:
            current = Entry([inline[0]], [inline[1]])
            entries.append(current)
        elif shape == "header":
            continues_title = (
                current is not None
                and previous == "header"
                and not one_per_line
                and not (markdown and current.markdown)
                and not (has_date(text) and current.dated and not _only_date(text))
            )
            if continues_title:
                current.title_lines.append(text)
            elif _only_date(text) and current is not None and not current.dated:
                current.title_lines.append(text)
            else:
                current = Entry([text], [], markdown)
                entries.append(current)
        else:
            if current is None:
                current = Entry([], [])
                entries.append(current)
            current.body.append(text)
        previous = shape
        last_line = line
    return entries


_DANGLING = re.compile(
    r"(?:[,(/&+–-]|\b(?:and|or|of|the|with|to|for|in|on|a|an|by|from|at|as|into|via|using|"
    r"than|that|which|across|over|per))$",
    re.I,
)


def _continues(text: str, last_line: str, widest: int) -> bool:
    """`text` carries on the bullet or sentence above, cut where a PDF wrapped it."""
    if has_date(text) or _LABEL.match(text):
        return False
    previous = last_line.rstrip()
    if previous.endswith((".", ":", "!", "?")):
        return False
    if text[:1].islower() or text[:1] in "(&+":
        return True
    if _DANGLING.search(previous) or previous.count("(") > previous.count(")"):
        return True  # "... behind a REST API (Docker," / "... using PyTorch and"
    titled = line_shape(text) == "header" or _split_inline(text) is not None
    return widest >= 60 and len(previous) >= 0.85 * widest and not titled


def _only_date(text: str) -> bool:
    return bool(_DATE.search(text)) and not re.search(r"[A-Za-z]{3,}", _DATE.sub("", text))


def _entry_from_line(text: str) -> Entry:
    if _BOLD_TITLE.match(text.strip()):
        title, rest = _split_inline(text)
        return Entry([title], [rest])
    if line_shape(text) == "header":
        return Entry([text], [])
    inline = _split_inline(text)
    return Entry([inline[0]], [inline[1]]) if inline else Entry([], [text])
