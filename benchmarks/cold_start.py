"""Cold start: a fresh interpreter until its first answer (imports + model + open + answer).

The parent builds an index in a temp dir, notes the wall clock and starts a child; the child
reports when its first line ran (interpreter start-up), after imports, after loading the query
model, after `AnswerService.open` and after the first answer, plus its peak RSS and whether
torch was imported. RUNS runs per backend, alternating; the table shows medians.
Page cache: the model files were just read by ingest, so "cold" means a cold process, not disk.
"""

from __future__ import annotations

import statistics
import sys
import time

import common

RUNS = 3
CHILD_TIMEOUT = 180

CHILD = r"""
import time
T0 = time.perf_counter(); W0 = time.time()
import json, sys
data_dir, backend, question, parent_wall = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
from bot.config import get_settings
from bot.knowledge.onnx_embedder import load_query_embedder
from bot.core.answers.service import AnswerService
t_import = time.perf_counter()
settings = get_settings(CAREERBOT_DATA_DIR=data_dir, CHROMA_HOST=None)
embedder = load_query_embedder(settings.index_dir, backend)  # what `careerbot run` does
t_model = time.perf_counter()
service = AnswerService.open(settings, embedder)
t_open = time.perf_counter()
answer = service.answer(question)
t_answer = time.perf_counter(); W1 = time.time()
status = dict(l.split(":", 1) for l in open("/proc/self/status").read().splitlines() if ":" in l)
mb = lambda key: round(int(status[key].split()[0]) / 1024, 1)
print(json.dumps({
    "embedder": embedder.name,
    "interpreter_start_s": round(W0 - parent_wall, 3),
    "imports_s": round(t_import - T0, 3),
    "load_model_s": round(t_model - t_import, 3),
    "open_service_s": round(t_open - t_model, 3),
    "first_answer_s": round(t_answer - t_open, 3),
    "total_to_first_answer_s": round(W1 - parent_wall, 3),
    "answer_kind": answer.kind,
    "peak_rss_mb": mb("VmHWM"), "rss_mb": mb("VmRSS"),
    "torch_imported": "torch" in sys.modules,
    "sentence_transformers_imported": "sentence_transformers" in sys.modules,
    "transformers_imported": "transformers" in sys.modules,
}))
"""

PHASES = (
    "interpreter_start_s",
    "imports_s",
    "load_model_s",
    "open_service_s",
    "first_answer_s",
    "total_to_first_answer_s",
    "peak_rss_mb",
)


def main() -> int:
    run = common.Run("cold_start")
    question = common.eval_questions()[0]
    runs: dict[str, list[dict]] = {"onnx": [], "torch": []}
    with common.temp_settings("cold") as settings:
        summary = common.build_index(settings, build_onnx=True)
        print(f"index built in {summary.seconds:.1f}s; question: {question!r}")
        for i in range(RUNS):
            for backend in runs:
                wall = time.time()
                child = common.run_child(
                    CHILD,
                    str(settings.data_dir),
                    backend,
                    question,
                    repr(wall),
                    timeout=CHILD_TIMEOUT,
                )
                runs[backend].append(child)
                print(
                    f"run {i + 1} {backend:>5}: {child['total_to_first_answer_s']:.2f}s to first "
                    f"answer, peak RSS {child['peak_rss_mb']} MiB, torch imported: "
                    f"{child['torch_imported']}"
                )
    results = {}
    for backend, rows in runs.items():
        medians = {key: round(statistics.median(r[key] for r in rows), 3) for key in PHASES}
        results[backend] = {
            "embedder": rows[0]["embedder"],
            "median": medians,
            "min_total_s": min(r["total_to_first_answer_s"] for r in rows),
            "max_total_s": max(r["total_to_first_answer_s"] for r in rows),
            "torch_imported": any(r["torch_imported"] for r in rows),
            "sentence_transformers_imported": any(
                r["sentence_transformers_imported"] for r in rows
            ),
            "runs": rows,
        }
        print(
            f"{backend:>5} ({rows[0]['embedder']}): median {medians['total_to_first_answer_s']:.2f}s "
            f"to first answer (imports {medians['imports_s']:.2f}s, model {medians['load_model_s']:.2f}s, "
            f"open {medians['open_service_s']:.2f}s, answer {medians['first_answer_s']:.3f}s), "
            f"peak RSS {medians['peak_rss_mb']} MiB, torch imported: {results[backend]['torch_imported']}"
        )
    run.finish({"runs_per_backend": RUNS, "question": question, "backends": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
