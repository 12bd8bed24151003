"""Per-question answer latency with the model loaded, beside the floor measured in the same run.

For each backend (ONNX = what the bot ships; sentence-transformers = the fallback, with torch's
default threads and with one thread):
- answer: `AnswerService.answer(q)` → `Answer.latency_ms` (prepare + embed + hybrid retrieval +
  scope + composition), over the eval questions, ROUNDS rounds after one warm-up round, with the
  vector cache emptied before each answer (so every question is embedded: the worst case);
- floor: one query embedding of the same text + one Chroma query on the passages collection
  (n_results=12, distances only), i.e. the least any dense answer could cost.
Ratio = answer p95 / floor p95: how much the rest of the pipeline adds on top of the floor.
"""

from __future__ import annotations

import sys
import time

import common

ROUNDS = 5
BUDGET_SECONDS = 240  # per backend; rounds stop early (and say so) past it
N_RESULTS = 12


def measure(service, questions: list[str], rounds: int) -> dict:
    passages_col = service.kb.retriever._passages_col  # the same collection retrieval queries
    embedder = service.kb.embedder
    texts = [service.embedding_text(service.prepare(q)) for q in questions]

    def floor_once(text: str) -> float:
        started = time.perf_counter()
        vector = embedder.embed_query(text)
        passages_col.query(
            query_embeddings=[vector.tolist()], n_results=N_RESULTS, include=["distances"]
        )
        return (time.perf_counter() - started) * 1000

    for question, text in zip(
        questions, texts, strict=True
    ):  # warm-up: caches, allocator, lazy init
        service.answer(question)
        floor_once(text)
    answer_ms: list[float] = []
    floor_ms: list[float] = []
    kinds: dict[str, int] = {}
    started = time.perf_counter()
    done = 0
    for _ in range(rounds):
        # Interleaved so that noise from the shared machine hits both series alike.
        for question, text in zip(questions, texts, strict=True):
            # Every answer embeds its question: the bot's LRU of popular questions' vectors
            # would otherwise turn the repeated rounds into cache hits.
            service.clear_vector_cache()
            answer = service.answer(question)
            answer_ms.append(answer.latency_ms)
            kinds[answer.kind] = kinds.get(answer.kind, 0) + 1
            floor_ms.append(floor_once(text))
        done += 1
        if time.perf_counter() - started > BUDGET_SECONDS:
            break
    answer = common.summary_ms(answer_ms)
    floor = common.summary_ms(floor_ms)
    return {
        "rounds": done,
        "questions": len(questions),
        "answer_ms": answer,
        "floor_ms": floor,
        "ratio_p95_to_floor_p95": round(answer["p95"] / floor["p95"], 2),
        "ratio_p50_to_floor_p50": round(answer["p50"] / floor["p50"], 2),
        "answer_kinds": kinds,
        "samples_answer_ms": [round(x, 3) for x in answer_ms],
        "samples_floor_ms": [round(x, 3) for x in floor_ms],
    }


def main() -> int:
    run = common.Run("answer_latency")
    from bot.core.answers.service import AnswerService
    from bot.knowledge.embedder import SentenceTransformerEmbedder
    from bot.knowledge.onnx_embedder import OnnxEmbedder, load_query_embedder
    from bot.knowledge.onnx_embedder import default_threads as onnx_threads

    questions = common.eval_questions()
    backends = {}
    with common.temp_settings("latency") as settings:
        st_embedder = SentenceTransformerEmbedder()
        summary = common.build_index(settings, st_embedder, build_onnx=True)
        print(
            f"index: {summary.added} passages, {summary.embedded} vectors in {summary.seconds:.1f}s"
        )
        onnx = load_query_embedder(settings.index_dir, "onnx")  # exactly what the bot loads
        if not isinstance(onnx, OnnxEmbedder):
            raise RuntimeError("ONNX model was not built: the shipped path cannot be measured")
        import torch  # already loaded by sentence-transformers

        default_threads = torch.get_num_threads()
        # torch's default (one thread per core) is what the fallback path runs with; one thread
        # separates the model's cost from thread contention on a busy machine.
        variants = (
            ("onnx", onnx, default_threads),
            ("sentence-transformers", st_embedder, default_threads),
            ("sentence-transformers, torch 1 thread", st_embedder, 1),
        )
        for name, embedder, threads in variants:
            torch.set_num_threads(threads)
            service = AnswerService.open(settings, embedder)
            backends[name] = measure(service, questions, ROUNDS)
            row = backends[name]
            row["torch_threads"] = threads if embedder is st_embedder else None
            print(
                f"{name:>22}: answer p50 {row['answer_ms']['p50']:.1f} ms, "
                f"p95 {row['answer_ms']['p95']:.1f} ms, max {row['answer_ms']['max']:.1f} ms | "
                f"floor p50 {row['floor_ms']['p50']:.1f} ms, p95 {row['floor_ms']['p95']:.1f} ms | "
                f"p95/floor-p95 {row['ratio_p95_to_floor_p95']}x "
                f"({row['rounds']} rounds x {row['questions']} questions)"
            )
            del service
        torch.set_num_threads(default_threads)
    run.finish(
        {
            "backends": backends,
            "onnx_intra_op_threads": onnx_threads(),  # OnnxEmbedder's default (the bot's setting)
            "torch_threads": default_threads,
            "index": summary.to_json(),
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
