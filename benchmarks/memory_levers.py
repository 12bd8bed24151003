"""RSS after a burst of 1,000 distinct questions with each memory lever undone, one at a time.

The child is bot_memory.py's burst (a fresh interpreter builds the whole application and asks
1,000 distinct questions at once, as 100 users would) with one change made before the build:
a lever the bot uses turned off, or a setting tried and not kept turned on. Each variant runs
`--repeat` times (default 2) in fresh interpreters, alternating, so drift hits all alike.
"""

from __future__ import annotations

import argparse
import statistics
import sys

import common

CHILD = (
    r"""
import asyncio, json, sys
"""
    + common.CHILD_MEMORY_PROBE
    + r"""
exec(sys.argv[2])
from bot.config import get_settings
from bot.telegram.app import build_application
app = build_application(get_settings(TELEGRAM_BOT_TOKEN='123:bench'))
services = app.bot_data['services']
built = mem()
questions = json.loads(sys.argv[1])
distinct = [f"{questions[i % len(questions)]} ({i})" for i in range(1000)]
async def ask_all():
    await asyncio.gather(*(services.ask(i % 100, q) for i, q in enumerate(distinct)))
    await asyncio.sleep(0.05)  # the batcher's idle work (a worker thread) is done by then
asyncio.run(ask_all())
after = mem()
print(json.dumps({'after_build': built['VmRSS'], 'after_burst': after['VmRSS'],
                  'peak': after['VmHWM']}))
"""
)

_ORT_OPTIONS = """
import onnxruntime
_session = onnxruntime.InferenceSession
def _with_options(path, options, **kwargs):
{body}
    return _session(path, options, **kwargs)
onnxruntime.InferenceSession = _with_options
"""

VARIANTS = {
    "all levers (as shipped)": "",
    # levers in use, undone one at a time
    "embedding table kept mapped": (
        "from bot.knowledge.memory import PageReleaser\nPageReleaser.release = lambda self: None"
    ),
    "no malloc_trim when idle": (
        "from bot.core.answers.batching import AnswerBatcher\n"
        "AnswerBatcher.idle = lambda self, loop: None"
    ),
    "alembic imported (as at a first start)": "import alembic.command",
    "httpx CLI imported": (
        "import importlib, sys\nsys.modules.pop('httpx._main', None)\n"
        "importlib.import_module('httpx._main')"
    ),
    "chromadb OTLP exporter imported": (
        "import opentelemetry.exporter.otlp.proto.grpc.trace_exporter"
    ),
    "onnxruntime arena + memory patterns on": _ORT_OPTIONS.format(
        body="    options.enable_cpu_mem_arena = True\n    options.enable_mem_pattern = True"
    ),
    # tried, not kept
    "one onnxruntime thread": (
        "from bot.knowledge import onnx_embedder\nonnx_embedder.default_threads = lambda: 1"
    ),
    "no weight prepacking": _ORT_OPTIONS.format(
        body="    options.add_session_config_entry('session.disable_prepacking', '1')"
    ),
    "answer batches of 16": (
        "from bot.core.answers.batching import AnswerBatcher as B\n"
        "B.__init__.__defaults__ = (B.__init__.__defaults__[0], 16, *B.__init__.__defaults__[2:])"
    ),
}


def main(argv: list[str] | None = None) -> int:
    import json
    import os

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", nargs="+", choices=sorted(VARIANTS))
    args = parser.parse_args(argv)
    names = args.only or list(VARIANTS)
    run = common.Run("memory_levers")
    samples: dict[str, list[dict]] = {name: [] for name in names}
    with common.temp_settings("levers") as settings:
        common.build_index(settings)
        from bot.core.store import Store

        Store.from_settings(settings).close()  # migrated at install, as in bot_memory.py
        os.environ["CAREERBOT_DATA_DIR"] = str(settings.data_dir)
        questions = json.dumps(common.eval_questions())
        for _ in range(args.repeat):
            for name in names:
                samples[name].append(common.run_child(CHILD, questions, VARIANTS[name]))
    results = {}
    print(f"{'variant':<42} {'after build':>12} {'after burst':>12} {'peak':>8}   (MiB, median)")
    for name in names:
        medians = {k: statistics.median(s[k] for s in samples[name]) for k in samples[name][0]}
        results[name] = {"median": medians, "runs": samples[name]}
        print(
            f"{name:<42} {medians['after_build']:>12.1f} {medians['after_burst']:>12.1f} "
            f"{medians['peak']:>8.1f}"
        )
    run.finish({"variants": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
