"""Retrieval quality at langchain's seam, on the labelled in-scope questions (hit@1, hit@3, MRR):

- `CareerbotRetriever` (bot/core/answers/langchain_seam.py): the bot's own hybrid ranking.
- langchain's `InMemoryVectorStore` filled with the bot's passages through `CareerbotEmbeddings`:
  what a langchain user gets by building their own store on our embedder (dense passages only:
  no sentence vectors, no BM25, no glossary).

Same passages, same model (the ONNX export the bot queries with), one temp index.
"""

from __future__ import annotations

import common
from langchain_core.documents import Document
from langchain_core.vectorstores import InMemoryVectorStore

K = 10


def main() -> int:
    from bot.core.answers.evaluation import RetrievalScores, first_hit_rank, load_eval_set
    from bot.core.answers.langchain_seam import CareerbotEmbeddings, CareerbotRetriever
    from bot.core.answers.service import AnswerService
    from bot.knowledge.embedder import SentenceTransformerEmbedder
    from bot.knowledge.onnx_embedder import load_query_embedder

    run = common.Run("langchain_seam")
    labelled = [i for i in load_eval_set(common.EVAL_QUESTIONS) if i.expect is not None]
    with common.temp_settings("langchain") as settings:
        common.build_index(settings, SentenceTransformerEmbedder())
        query_embedder = load_query_embedder(settings.index_dir, "auto")
        service = AnswerService.open(settings, query_embedder)
        retriever = CareerbotRetriever(service=service, k=K)
        store = InMemoryVectorStore(embedding=CareerbotEmbeddings(query_embedder))
        passages = list(service.kb.retriever.passages.values())
        # Embedded as ingest embeds them (heading + text); the text itself rides in metadata.
        store.add_documents(
            [Document(p.embedding_text, id=p.id, metadata={"text": p.text}) for p in passages]
        )
        hybrid, dense = RetrievalScores("CareerbotRetriever"), RetrievalScores("vector store")
        for item in labelled:
            documents = retriever.invoke(item.question)
            hybrid.add(
                first_hit_rank([d.page_content for d in documents], item.expect), item.question
            )
            found = store.similarity_search(item.question, k=K)
            dense.add(
                first_hit_rank([d.metadata["text"] for d in found], item.expect), item.question
            )
    rows = [hybrid.row(), dense.row()]
    for row in rows:
        print({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()})
    run.finish({"questions_file": str(common.EVAL_QUESTIONS.name), "retrievers": rows})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
