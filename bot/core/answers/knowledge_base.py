"""The loaded knowledge base: index, keyword index and embedder, opened once per process."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.config import Settings
from bot.core.answers.retrieval import Retriever
from bot.knowledge.embedder import Embedder
from bot.knowledge.index import (
    REBUILD,
    IndexMissingError,
    IndexProblem,
    check_manifest,
    chroma_client,
    chroma_where,
    open_collections,
    read_passages,
)
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
        manifest = check_manifest(
            settings, onnx_backend=getattr(embedder, "name", "") == "onnxruntime"
        )
        passages = read_passages(settings)
        if len(passages) != manifest.get("passages"):
            raise IndexProblem(
                f"{settings.index_dir} holds {len(passages)} passages, its manifest says "
                f"{manifest.get('passages')} (an ingest still running or interrupted?): {REBUILD}"
            )
        bm25_dir = settings.index_dir / "bm25"
        try:
            keyword_index = KeywordIndex.load(bm25_dir)
        except (OSError, ValueError, KeyError):
            log.warning("keyword index cache unreadable; rebuilding it in memory")
            keyword_index = KeywordIndex.build(passages)
        passages_col, sentences_col = open_collections(chroma_client(settings), settings)
        stored = passages_col.count()
        if stored != len(passages):
            raise IndexProblem(
                f"{chroma_where(settings)} holds {stored} passages for this index, its side "
                f"files {len(passages)}: {REBUILD}"
            )
        return cls(
            settings,
            embedder,
            Retriever(passages, passages_col, sentences_col, keyword_index, mode),
            manifest,
        )
