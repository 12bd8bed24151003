"""A passage: what answers cite, with its sentences; ids are content hashes.

The id format is owned here: ingest writes ids, the answer path reads them back.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    """ "s-<hash>-<i>" → ("p-<hash>", i): retrieval needs no metadata lookup to find the passage."""
    digest, index = sentence_id[2:].rsplit("-", 1)
    return f"p-{digest}", int(index)
