"""Query latency as the corpus grows: 1k, 10k, 100k synthetic passages.

Dense: a Chroma collection made like the bot's passages collection (persistent client in a
temp dir, cosine space, no embedding function), filled in batches of 5,000 with perturbed
real vectors: each is one of the shipped corpus's passage/sentence vectors plus Gaussian noise
(cosine ~0.8 to its origin), renormalised, so the data has clusters like real text rather than
uniform noise. Only ids + vectors are stored; the query is the bot's own
(`n_results=12, include=["distances"]`) with the eval questions' real vectors.
BM25: `KeywordIndex.build` over synthetic passages (3-5 seed-article sentences each), then
`scores()` + argsort for the glossary-expanded eval questions, as retrieval does. The seed
article's vocabulary is small, so postings are long: a pessimistic case for BM25.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass

import common
import numpy as np

SIZES = (1_000, 10_000, 100_000)
BATCH = 5_000
ROUNDS = 3  # x 120 eval questions per size and method
NOISE = 0.038  # per dimension: noise norm ~0.75 against unit vectors -> cosine ~0.8
N_RESULTS = 12
BUDGET_SECONDS = 540  # stop growing (and say so) when the next size would not fit
SEED = 7


@dataclass(frozen=True)
class SyntheticPassage:
    id: str
    title: str
    heading_path: str
    text: str


def synthetic_passages(count: int, seed: int = SEED) -> list[SyntheticPassage]:
    rng = random.Random(seed)
    sentences = common.seed_sentences()
    return [
        SyntheticPassage(
            f"p-{i:07d}",
            f"Synthetic article {i // 20}",
            f"Section {i % 20}",
            " ".join(rng.sample(sentences, rng.randint(3, 5))),
        )
        for i in range(count)
    ]


def time_queries(fn, queries, rounds: int) -> dict:
    for q in queries:  # warm-up round: index load, the typo-snapping cache
        fn(q)
    samples = []
    for _ in range(rounds):
        for q in queries:
            started = time.perf_counter()
            fn(q)
            samples.append((time.perf_counter() - started) * 1000)
    return common.summary_ms(samples)


def main() -> int:
    run = common.Run("scale_query")
    from bot.knowledge.embedder import SentenceTransformerEmbedder
    from bot.knowledge.glossary import Glossary
    from bot.knowledge.index import chroma_client, collections
    from bot.knowledge.keyword_index import KeywordIndex
    from bot.knowledge.text import normalise

    questions = common.eval_questions()
    embedder = SentenceTransformerEmbedder()
    rows, notes = [], []
    with common.temp_settings("scale") as settings:
        common.build_index(settings, embedder, build_onnx=False)
        real_passages, real_sentences = collections(chroma_client(settings), settings)
        base = np.concatenate(
            [
                np.asarray(col.get(include=["embeddings"])["embeddings"], dtype=np.float32)
                for col in (real_passages, real_sentences)
            ]
        )
        query_vectors = [v.tolist() for v in embedder.embed_documents(questions)]
        glossary = Glossary.load(common.ROOT / "knowledge" / "glossary.yaml")
        keyword_queries = [glossary.expand(normalise(q)) for q in questions]
        print(f"{len(base)} real vectors to perturb; {len(questions)} query vectors")

        client = chroma_client(settings)
        collection = client.get_or_create_collection(
            "bench_scale", embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        rng = np.random.default_rng(SEED)
        passages = synthetic_passages(max(SIZES))
        size = 0
        insert_seconds = 0.0
        for target in SIZES:
            per_vector = insert_seconds / size if size else 0.002
            if run.elapsed() + per_vector * (target - size) * 1.2 > BUDGET_SECONDS:
                notes.append(
                    f"stopped before {target:,} passages: would exceed the "
                    f"{BUDGET_SECONDS}s budget at {per_vector * 1000:.2f} ms per insert"
                )
                print(notes[-1])
                break
            started = time.perf_counter()
            while size < target:
                count = min(BATCH, target - size)
                vectors = base[rng.integers(0, len(base), count)] + rng.normal(
                    0, NOISE, (count, base.shape[1])
                )
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                collection.add(
                    ids=[f"p-{i:07d}" for i in range(size, size + count)],
                    embeddings=vectors.astype(np.float32),
                )
                size += count
            insert_seconds += time.perf_counter() - started

            def dense(vector):
                return collection.query(
                    query_embeddings=[vector], n_results=N_RESULTS, include=["distances"]
                )

            dense_ms = time_queries(dense, query_vectors, ROUNDS)
            started = time.perf_counter()
            keyword_index = KeywordIndex.build(passages[:size])
            bm25_build_s = time.perf_counter() - started

            def bm25(query, keyword_index=keyword_index):
                scores = keyword_index.scores(query)
                return np.argsort(-scores)[:N_RESULTS]

            bm25_ms = time_queries(bm25, keyword_queries, ROUNDS)
            row = {
                "passages": size,
                "collection_count": collection.count(),
                "insert_total_s": round(insert_seconds, 2),
                "inserts_per_s": round(size / insert_seconds, 1),
                "dense_ms": dense_ms,
                "bm25_ms": bm25_ms,
                "bm25_build_s": round(bm25_build_s, 2),
            }
            rows.append(row)
            print(
                f"{size:>7,} passages: chroma p50 {dense_ms['p50']:.2f} ms, p95 {dense_ms['p95']:.2f} ms | "
                f"bm25 p50 {bm25_ms['p50']:.2f} ms, p95 {bm25_ms['p95']:.2f} ms | inserted at "
                f"{row['inserts_per_s']:.0f}/s, bm25 built in {bm25_build_s:.1f}s"
            )
            del keyword_index
    run.finish(
        {
            "sizes": rows,
            "notes": notes,
            "rounds": ROUNDS,
            "queries": len(questions),
            "n_results": N_RESULTS,
            "noise_per_dim": NOISE,
            "batch": BATCH,
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
