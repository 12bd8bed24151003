"""The loaded knowledge base: index, keyword index and embedder, opened once per process."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.config import Settings
from bot.core.answers.retrieval import Retriever
from bot.knowledge.embedder import Embedder
from bot.knowledge.index import chroma_client, collections, passages_path, read_passages
from bot.knowledge.keyword_index import KeywordIndex

log = logging.getLogger(__name__)


class IndexMissingError(RuntimeError):
    """The knowledge index has not been built yet (run `python -m ingest`)."""


@dataclass
class KnowledgeBase:
    settings: Settings
    embedder: Embedder
    retriever: Retriever

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder, mode: str = "hybrid") -> KnowledgeBase:
        if not passages_path(settings).exists():
            raise IndexMissingError(
                f"no knowledge index under {settings.data_dir}: run `python -m ingest` first"
            )
        passages = read_passages(settings)
        bm25_dir = settings.index_dir / "bm25"
        try:
            keyword_index = KeywordIndex.load(bm25_dir)
        except (OSError, ValueError, KeyError):
            log.warning("keyword index cache unreadable; rebuilding it in memory")
            keyword_index = KeywordIndex.build(passages)
        passages_col, sentences_col = collections(chroma_client(settings), settings)
        return cls(
            settings,
            embedder,
            Retriever(passages, passages_col, sentences_col, keyword_index, mode),
        )
