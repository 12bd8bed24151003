"""Read knowledge sources (Markdown, plain text, HTML, PDF) into titled sections."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from bot.knowledge.markdown import lines_with_headings
from bot.knowledge.yaml_io import parse_yaml

SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm", ".pdf"}


class SourceError(Exception):
    """A knowledge file that cannot be used; the message names the problem."""


@dataclass
class Section:
    heading: str  # the innermost heading ("" for text before the first heading)
    text: str
    parents: tuple[str, ...] = ()  # enclosing headings below the title, outermost first


@dataclass
class SourceDocument:
    path: str  # relative to the knowledge dir: the document's stable identity
    title: str
    origin: str  # where the article came from (front matter `source`)
    sections: list[Section] = field(default_factory=list)
    digest: str = ""


def _decode(raw: bytes, path: Path) -> str:
    if not raw.strip():
        raise SourceError(f"{path.name}: the file is empty")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path.name}: not valid UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc


def _front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end == -1:
        return {}, text
    try:
        meta = parse_yaml(text[3:end]) or {}
    except yaml.YAMLError as exc:
        raise SourceError(f"front matter is not valid YAML: {exc}") from exc
    return (meta if isinstance(meta, dict) else {}), text[end + 4 :]


def markdown_sections(body: str) -> tuple[str | None, list[Section]]:
    """Split Markdown along its headings; returns the first H1 (if any) and the sections."""
    title: str | None = None
    sections: list[Section] = []
    heading, lines = "", []
    stack: list[tuple[int, str]] = []  # (level, heading) of the enclosing headings

    def flush() -> None:
        text = "\n".join(lines).strip()
        if text:
            parents = tuple(h for lvl, h in stack[:-1] if lvl > 1)
            sections.append(Section(heading, text, parents))

    for line, found in lines_with_headings(body.splitlines()):
        if found:
            flush()
            lines = []
            level, heading = found
            stack = [(lvl, h) for lvl, h in stack if lvl < level] + [(level, heading)]
            if level == 1 and title is None:
                title = heading
            continue
        lines.append(re.sub(r"^\s*[*+]\s+", "- ", line))
    flush()
    return title, sections


class _HTMLText(HTMLParser):
    """Collects headings and paragraph text from an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.markdown: list[str] = []
        self._skip = 0
        self._prefix = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"script", "style", "nav", "footer", "head"}:
            self._skip += 1
        elif tag in {"h1", "h2", "h3", "h4"}:
            self._prefix = "#" * int(tag[1]) + " "
            self.markdown.append("\n")
        elif tag == "li":
            self.markdown.append("\n- ")
        elif tag in {"p", "br", "div"}:
            self.markdown.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "nav", "footer", "head"}:
            self._skip = max(0, self._skip - 1)
        elif tag in {"h1", "h2", "h3", "h4", "p", "li"}:
            self.markdown.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._prefix and data.strip():
            self.markdown.append(self._prefix + data.strip())
            self._prefix = ""
        else:
            self.markdown.append(re.sub(r"\s+", " ", data))


def _pdf_text(raw: bytes, path: Path) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise SourceError(f"{path.name}: the PDF is encrypted")
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"{path.name}: unreadable PDF ({exc})") from exc
    if not text.strip():
        raise SourceError(f"{path.name}: the PDF has no extractable text")
    return text


def load_source(path: Path, root: Path) -> SourceDocument:
    """Parse one knowledge file; raises SourceError naming what is wrong with it."""
    raw = path.read_bytes()
    rel = path.relative_to(root).as_posix()
    suffix = path.suffix.lower()
    meta: dict = {}
    if suffix == ".pdf":
        if not raw.strip():
            raise SourceError(f"{path.name}: the file is empty")
        body = _pdf_text(raw, path)
        title, sections = None, [Section("", body)]
    else:
        text = _decode(raw, path)
        try:
            meta, body = _front_matter(text)
        except SourceError as exc:
            raise SourceError(f"{path.name}: {exc}") from exc
        if suffix in {".html", ".htm"}:
            parser = _HTMLText()
            parser.feed(body)
            body = "".join(parser.markdown)
        if suffix == ".txt":
            title, sections = None, [Section("", body.strip())]
        else:
            title, sections = markdown_sections(body)
    # Sections the article marks as not-for-answers (its legal disclaimer) stay out of the index.
    skipped = {str(h) for h in meta.get("skip_sections") or []}
    sections = [s for s in sections if s.text.strip() and s.heading not in skipped]
    if not sections:
        raise SourceError(f"{path.name}: no text to index")
    title = str(meta.get("title") or title or path.stem.replace("-", " ").replace("_", " ").title())
    # The article's own H1 repeats the title: its intro is better cited as the title itself.
    sections = [
        Section(s.heading if s.heading != title else "", s.text, s.parents) for s in sections
    ]
    return SourceDocument(
        path=rel,
        title=title,
        origin=str(meta.get("source") or rel),
        sections=sections,
        digest=hashlib.sha256(raw).hexdigest(),
    )


def discover_sources(knowledge_dir: Path) -> list[Path]:
    """Every article file under knowledge/articles (quiz and other banks are not prose)."""
    articles = knowledge_dir / "articles"
    if not articles.is_dir():
        return []
    return sorted(
        p for p in articles.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
    )
