"""The loaded knowledge base: index, keyword index and embedder, opened once per process."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.config import Settings
from bot.core.answers.retrieval import Retriever
from bot.knowledge.embedder import Embedder
from bot.knowledge.index import IndexMissingError, IndexProblem, open_index
from bot.knowledge.keyword_index import KeywordIndex

log = logging.getLogger(__name__)

__all__ = ["IndexMissingError", "IndexProblem", "KnowledgeBase"]


@dataclass
class KnowledgeBase:
    settings: Settings
    embedder: Embedder
    retriever: Retriever
    manifest: dict = field(default_factory=dict)

    @property
    def stamp(self) -> str | None:
        """Changes at every ingest: a running bot compares it to notice a re-ingest."""
        return self.manifest.get("stamp")

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder, mode: str = "hybrid") -> KnowledgeBase:
        """Checks before it serves: an index of another format, model or size is refused with
        an IndexProblem naming the fix, and nothing is created or deleted."""
        manifest, passages, passages_col, sentences_col = open_index(
            settings, onnx_backend=getattr(embedder, "name", "") == "onnxruntime"
        )
        bm25_dir = settings.index_dir / "bm25"
        try:
            keyword_index = KeywordIndex.load(bm25_dir)
            if set(keyword_index.passage_ids) != {p.id for p in passages}:
                raise ValueError("built from other passages")
        except (OSError, ValueError, KeyError) as exc:
            # Derived from passages.json alone: rebuilding it here is always safe.
            log.warning("keyword index cache unusable (%s); rebuilding it in memory", exc)
            keyword_index = KeywordIndex.build(passages)
        return cls(
            settings,
            embedder,
            Retriever(passages, passages_col, sentences_col, keyword_index, mode),
            manifest,
        )
