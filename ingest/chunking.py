"""Sections → passages small enough to quote, each with its sentences."""

from __future__ import annotations

import hashlib

from bot.knowledge.passages import Passage
from bot.knowledge.text import split_sentences
from ingest.loaders import SourceDocument

PASSAGE_CHARS = 500


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
