"""Sections → passages small enough to quote, each with its sentences."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.core.text import split_sentences

from .loaders import SourceDocument

PASSAGE_CHARS = 500


@dataclass(frozen=True)
class Passage:
    id: str  # content hash: the same text in the same place always gets the same id
    slot: str  # "<source path>#<ordinal>": where it sits, to tell an edit from an addition
    source: str
    title: str
    section: str
    heading_path: str  # "Parent › Section", for embedding context and citations
    text: str
    sentences: tuple[str, ...]

    @property
    def citation(self) -> str:
        return f"{self.title} › {self.heading_path}" if self.heading_path else self.title

    @property
    def embedding_text(self) -> str:
        """What the dense index sees: the heading gives a passage its topic."""
        return f"{self.heading_path or self.title}: {self.text}"

    def sentence_id(self, index: int) -> str:
        return f"s-{self.id[2:]}-{index}"


def split_sentence_id(sentence_id: str) -> tuple[str, int]:
    """"s-<hash>-<i>" → ("p-<hash>", i): retrieval needs no metadata lookup to find the passage."""
    digest, index = sentence_id[2:].rsplit("-", 1)
    return f"p-{digest}", int(index)


def pack_sentences(sentences: list[str], max_chars: int = PASSAGE_CHARS) -> list[list[str]]:
    """Greedy packing of whole sentences into groups of at most ~max_chars."""
    groups: list[list[str]] = []
    current: list[str] = []
    size = 0
    for sentence in sentences:
        if current and size + len(sentence) + 1 > max_chars:
            groups.append(current)
            current, size = [], 0
        current.append(sentence)
        size += len(sentence) + 1
    if current:
        groups.append(current)
    # A lead-in ("Here's a checklist:") belongs with the list it introduces, not before a cut.
    for i in range(len(groups) - 1):
        if groups[i][-1].endswith(":"):
            groups[i + 1].insert(0, groups[i].pop())
    return [g for g in groups if g]


def chunk_document(doc: SourceDocument, max_chars: int = PASSAGE_CHARS) -> list[Passage]:
    passages: list[Passage] = []
    for section in doc.sections:
        heading_path = " › ".join((*section.parents, section.heading)) if section.heading else ""
        for group in pack_sentences(split_sentences(section.text), max_chars):
            text = "\n".join(group)
            ordinal = len(passages)
            digest = hashlib.sha256(
                "\x1f".join((doc.path, doc.title, heading_path, text)).encode()
            ).hexdigest()[:24]
            passages.append(
                Passage(
                    id=f"p-{digest}",
                    slot=f"{doc.path}#{ordinal}",
                    source=doc.path,
                    title=doc.title,
                    section=section.heading,
                    heading_path=heading_path,
                    text=text,
                    sentences=tuple(group),
                )
            )
    return passages
