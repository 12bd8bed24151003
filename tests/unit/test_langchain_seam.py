"""careerbot's retrieval inside a langchain chain (no LLM): the bot's own passage ranking."""

from __future__ import annotations

import numpy as np
from langchain_core.documents import Document
from langchain_core.prompts import PromptTemplate
from langchain_core.runnables import RunnableLambda, RunnablePassthrough
from langchain_core.vectorstores import InMemoryVectorStore

from bot.core.answers.langchain_seam import CareerbotEmbeddings, CareerbotRetriever

PROMPT = PromptTemplate.from_template("Context:\n{context}\n\nQuestion: {question}")
QUESTIONS = [
    "should my github projects have a readme?",
    "is kaggle worth it?",
    "what goes first on my CV if I have more projects than jobs?",
]


def format_passages(documents: list[Document]) -> str:
    return "\n\n".join(f"[{d.metadata['citation']}]\n{d.page_content}" for d in documents)


def test_a_chain_sees_the_passages_the_bot_cites(answer_service):
    retriever = CareerbotRetriever(service=answer_service)
    chain = {
        "context": retriever | RunnableLambda(format_passages),
        "question": RunnablePassthrough(),
    } | PROMPT
    for question in QUESTIONS:
        documents = retriever.invoke(question)
        ranked = [item.passage.id for item in answer_service.retrieve(question)]
        assert [d.id for d in documents] == ranked and len(ranked) >= 3  # cited ones, then ranked
        cited = [s.passage_id for s in answer_service.answer(question).sources]
        # The answer draws on these (it may add an authored card's passage besides).
        assert set(cited) & set(ranked)
        prompt = chain.invoke(question).to_string()
        assert prompt.endswith(f"Question: {question}")
        positions = [prompt.index(d.page_content) for d in documents]
        assert positions == sorted(positions)  # best first, as the bot ranks them
        assert all(d.metadata["citation"].startswith("How to Get") for d in documents)


async def test_async_invocation_and_a_non_question(answer_service):
    retriever = CareerbotRetriever(service=answer_service, k=5)
    documents = await retriever.ainvoke("do I need a PhD for an ML internship?")
    assert [d.id for d in documents] == [
        d.id for d in retriever.invoke("do I need a PhD for an ML internship?")
    ]
    assert len(documents) == 5 and any("PhD" in d.page_content for d in documents)
    assert await retriever.ainvoke("🙂🙂🙂") == []  # the bot does not search for emoji


def test_embeddings_are_the_bots_vectors_and_serve_a_langchain_vector_store(
    answer_service, onnx_embedder
):
    embeddings = CareerbotEmbeddings(onnx_embedder)
    query = embeddings.embed_query("is kaggle worth it?")
    assert np.allclose(query, onnx_embedder.embed_query("is kaggle worth it?"))
    assert abs(np.linalg.norm(query) - 1.0) < 1e-5 and len(query) == 384
    passages = list(answer_service.kb.retriever.passages.values())
    store = InMemoryVectorStore(embedding=embeddings)
    store.add_documents([Document(p.embedding_text, id=p.id) for p in passages])
    # Dense passage search only (weaker than the bot's hybrid ranking: docs/retrieval.md).
    found = store.similarity_search("do I need a PhD for an ML internship?", k=3)
    assert any("PhD" in d.page_content for d in found)
