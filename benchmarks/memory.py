"""Memory of the shipped answer path: RSS after open and after 1,000 answers (ONNX embedder).

The parent builds the index (torch loaded: it would pollute RSS); a fresh child opens the
AnswerService the way `careerbot run` does and answers the eval questions cycled to ANSWERS,
reporting VmRSS at checkpoints and VmHWM (peak) at the end.
"""

from __future__ import annotations

import sys

import common

ANSWERS = 1_000
CHILD_TIMEOUT = 420

CHILD = r"""
import json, sys, time
def mem():
    status = dict(l.split(":", 1) for l in open("/proc/self/status").read().splitlines() if ":" in l)
    return {k: round(int(status[k].split()[0]) / 1024, 1) for k in ("VmRSS", "VmHWM")}
data_dir, total = sys.argv[1], int(sys.argv[2])
checkpoints = {"start": mem()}
from bot.config import get_settings
from bot.core.answers.evaluation import load_eval_set
from bot.knowledge.onnx_embedder import load_query_embedder
from bot.core.answers.service import AnswerService
checkpoints["after_import"] = mem()
settings = get_settings(CAREERBOT_DATA_DIR=data_dir, CHROMA_HOST=None)
embedder = load_query_embedder(settings.index_dir, "onnx")
service = AnswerService.open(settings, embedder)
checkpoints["after_open"] = mem()
questions = [i.question for i in load_eval_set(settings.knowledge_dir / "eval" / "questions.yaml")]
service.answer(questions[0])
checkpoints["after_first_answer"] = mem()
started = time.perf_counter()
for n in range(1, total + 1):
    service.answer(questions[n % len(questions)])
    if n % 250 == 0:
        checkpoints[f"after_{n}_answers"] = mem()
print(json.dumps({"embedder": embedder.name, "checkpoints": checkpoints,
                  "answers": total, "answer_seconds": round(time.perf_counter() - started, 2),
                  "torch_imported": "torch" in sys.modules}))
"""


def main() -> int:
    run = common.Run("memory")
    with common.temp_settings("memory") as settings:
        common.build_index(settings, build_onnx=True)
        child = common.run_child(CHILD, str(settings.data_dir), str(ANSWERS), timeout=CHILD_TIMEOUT)
    points = child["checkpoints"]
    opened = points["after_open"]["VmRSS"]
    final = points[f"after_{ANSWERS}_answers"]
    child["rss_after_open_mb"] = opened
    child["rss_after_answers_mb"] = final["VmRSS"]
    child["growth_over_answers_mb"] = round(
        final["VmRSS"] - points["after_first_answer"]["VmRSS"], 1
    )
    child["peak_rss_mb"] = final["VmHWM"]
    for name, values in points.items():
        print(f"{name:>22}: RSS {values['VmRSS']:7.1f} MiB (peak {values['VmHWM']:.1f})")
    print(
        f"{child['embedder']}: RSS after open {opened} MiB, after {ANSWERS} answers {final['VmRSS']} MiB "
        f"(+{child['growth_over_answers_mb']} MiB since the first answer), peak {final['VmHWM']} MiB, "
        f"{ANSWERS} answers in {child['answer_seconds']}s, torch imported: {child['torch_imported']}"
    )
    run.finish(child)
    return 0


if __name__ == "__main__":
    sys.exit(main())
