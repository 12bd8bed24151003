"""Ingest throughput: the shipped corpus (cold and warm), a no-op re-ingest, a synthetic corpus.

- shipped, cold: what `python -m ingest` does on a fresh checkout (loads the model, embeds
  passages + sentences, scope anchors, exports ONNX, BM25, manifest);
- re-ingest of the unchanged corpus: must embed nothing (summary fields reported);
- shipped, warm: model already loaded, no ONNX export: the per-vector cost of the pipeline;
- synthetic: ARTICLES Markdown articles (4 sections x 8 sentences) made deterministically from the seed article's
  sentences, shuffled (so every chunk is new text), warm model, no ONNX export.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import common

ARTICLES = 100  # ~900 passages + ~3,400 sentences: minutes, not tens of minutes, on 2 cores
SECTIONS = 4
PARAGRAPHS = 2
SENTENCES_PER_PARAGRAPH = 4
SEED = 20240611


def write_synthetic_corpus(target: Path, articles: int = ARTICLES, seed: int = SEED) -> int:
    """knowledge/-shaped dir with `articles` generated articles (+ the real glossary and scope)."""
    rng = random.Random(seed)
    sentences = common.seed_sentences()
    (target / "articles").mkdir(parents=True)
    (target / "scope").mkdir()
    knowledge = common.ROOT / "knowledge"
    shutil.copy(knowledge / "glossary.yaml", target / "glossary.yaml")
    shutil.copy(knowledge / "scope" / "examples.yaml", target / "scope" / "examples.yaml")
    for n in range(articles):
        lines = [
            "---",
            f"title: Synthetic article {n}",
            "source: benchmark",
            "---",
            "",
            f"# Synthetic article {n}",
            "",
        ]
        for s in range(SECTIONS):
            lines += [f"## Section {n}.{s}", ""]
            for _ in range(PARAGRAPHS):
                lines += [" ".join(rng.sample(sentences, SENTENCES_PER_PARAGRAPH)), ""]
        (target / "articles" / f"synthetic-{n:04d}.md").write_text(
            "\n".join(lines), encoding="utf-8"
        )
    return articles


class TimedEmbedder:
    """Pass-through that adds up time spent in the model, to split embedding from the rest."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.seconds, self.texts = inner, inner.name, 0.0, 0

    def embed_documents(self, texts):
        started = time.perf_counter()
        try:
            return self.inner.embed_documents(texts)
        finally:
            self.seconds += time.perf_counter() - started
            self.texts += len(texts)

    def embed_query(self, text):
        return self.embed_documents([text])[0]


def rates(summary, timed: TimedEmbedder | None = None) -> dict:
    data = summary.to_json()
    if timed is not None:  # includes the scope anchors, which `embedded` does not count
        data["model_seconds"] = round(timed.seconds, 2)
        data["model_texts"] = timed.texts
        data["non_model_seconds"] = round(summary.seconds - timed.seconds, 2)
    chunks = data["added"] + data["updated"]
    data["passages_per_s"] = round(chunks / summary.seconds, 1) if summary.seconds else None
    data["embedded_per_s"] = (
        round(summary.embedded / summary.seconds, 1) if summary.seconds else None
    )
    return data


def main() -> int:
    run = common.Run("ingest_throughput")
    from bot.knowledge.embedder import SentenceTransformerEmbedder

    results: dict = {}
    with common.temp_settings("ingest-cold") as settings:
        cold = common.build_index(settings, build_onnx=True)  # loads its own model, like the CLI
        results["shipped_cold"] = rates(cold)
        again = common.build_index(settings, build_onnx=True)
        results["shipped_reingest"] = again.to_json()
        if again.embedded != 0:
            raise RuntimeError(f"re-ingest of an unchanged corpus embedded {again.embedded} texts")

    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder()
    results["model_load_s"] = round(time.perf_counter() - started, 2)
    with common.temp_settings("ingest-warm") as settings:
        timed = TimedEmbedder(embedder)
        results["shipped_warm"] = rates(
            common.build_index(settings, timed, build_onnx=False), timed
        )

    corpus = Path(tempfile.mkdtemp(prefix="careerbot-bench-corpus-"))
    try:
        write_synthetic_corpus(corpus)
        with common.temp_settings("ingest-synthetic", knowledge_dir=corpus) as settings:
            timed = TimedEmbedder(embedder)
            synthetic = rates(common.build_index(settings, timed, build_onnx=False), timed)
            synthetic["articles"] = ARTICLES
            results["synthetic"] = synthetic
            results["synthetic_reingest"] = common.build_index(
                settings, embedder, build_onnx=False
            ).to_json()
    finally:
        shutil.rmtree(corpus, ignore_errors=True)

    for name in ("shipped_cold", "shipped_warm", "synthetic"):
        row = results[name]
        print(
            f"{name:>15}: {row['added']} passages, {row['embedded']} vectors (passages+sentences) "
            f"in {row['seconds']:.2f}s = {row['embedded_per_s']} vectors/s, "
            f"{row['passages_per_s']} passages/s"
            + (
                f" (model {row['model_seconds']}s, rest {row['non_model_seconds']}s)"
                if "model_seconds" in row
                else ""
            )
        )
    for name in ("shipped_reingest", "synthetic_reingest"):
        row = results[name]
        print(
            f"{name:>15}: added {row['added']}, updated {row['updated']}, deleted {row['deleted']}, "
            f"unchanged {row['unchanged']}, embedded {row['embedded']}, {row['seconds']:.3f}s"
        )
    import torch

    results["torch_threads"] = torch.get_num_threads()
    run.finish(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
