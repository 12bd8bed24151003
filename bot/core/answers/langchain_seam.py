"""careerbot's retrieval at langchain's seam: a `BaseRetriever` and an `Embeddings`, so any
langchain chain can use the bot's knowledge base.

    retriever = CareerbotRetriever(service=answer_service)
    chain = {"context": retriever | format_passages, "question": RunnablePassthrough()} | prompt

The retriever is the bot's own hybrid ranking (dense passages + dense sentences + BM25, glossary
expansion), so a chain sees the passages the bot ranks first (a reply may also quote an
authored answer card's passage). `CareerbotEmbeddings` alone
(e.g. in a langchain vector store) gives dense passage search only: weaker, docs/retrieval.md.
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.core.answers.retrieval import RetrievedPassage
from bot.core.answers.service import TOP_PASSAGES, AnswerService
from bot.knowledge.embedder import Embedder


def passage_document(item: RetrievedPassage) -> Document:
    """A retrieved passage as a langchain Document (the citation and score in its metadata)."""
    passage = item.passage
    return Document(
        id=passage.id,
        page_content=passage.text,
        metadata={
            "citation": passage.citation,
            "source": passage.source,
            "title": passage.title,
            "section": passage.section,
            "score": item.score,
        },
    )


class CareerbotRetriever(BaseRetriever):
    """The bot's passages for a query, best first, as langchain Documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    service: AnswerService
    k: int = TOP_PASSAGES

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [passage_document(item) for item in self.service.retrieve(query, self.k)]


class CareerbotEmbeddings(Embeddings):
    """The bot's sentence embedder (all-MiniLM-L6-v2, unit vectors) as langchain Embeddings."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()
