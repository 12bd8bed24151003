"""Resident memory of the whole bot process: build_application + 1,000 questions through it.

A fresh interpreter builds the real Telegram application (services, store, ONNX, Chroma; no
network is needed to build it), sets the same malloc tuning as `careerbot run`, and asks
1,000 distinct questions through `Services.ask` (the handler's path minus HTTP): one after
another ("sequential"), and in a second interpreter all at once ("burst", as 100 users would:
the batcher embeds them in batches, the case that used to keep ~140 MiB). The database is
created and migrated first, as at install (`careerbot db upgrade`): the children are a restart of
a deployed bot, which finds its database at the newest revision and never imports Alembic.
"""

from __future__ import annotations

import sys

import common

CHILD = (
    r"""
import asyncio, json, sys
"""
    + common.CHILD_MEMORY_PROBE
    + r"""
points = {'start': mem()}
from bot.config import get_settings
from bot.telegram.app import build_application
points['after_import'] = mem()
app = build_application(get_settings(TELEGRAM_BOT_TOKEN='123:bench'))
services = app.bot_data['services']
points['after_build'] = mem()
questions = json.loads(sys.argv[1])
distinct = [f"{questions[i % len(questions)]} ({i})" for i in range(1000)]
async def ask_all():
    if sys.argv[2] == 'burst':
        await asyncio.gather(*(services.ask(i % 100, q) for i, q in enumerate(distinct)))
    else:
        for q in distinct:
            await services.ask(1, q)
asyncio.run(ask_all())
points['after_1000_questions'] = mem()
print(json.dumps({'checkpoints': points,
                  'torch_imported': 'torch' in sys.modules, 'embedder': services.answers.kb.embedder.name}))
"""
)


def main() -> int:
    import json
    import os

    run = common.Run("bot_memory")
    with common.temp_settings("botmem") as settings:
        common.build_index(settings)
        from bot.core.store import Store

        Store.from_settings(settings).close()
        os.environ["CAREERBOT_DATA_DIR"] = str(settings.data_dir)
        questions = json.dumps(common.eval_questions())
        results = {
            mode: common.run_child(CHILD, questions, mode, timeout=300)
            for mode in ("sequential", "burst")
        }
    for mode, child in results.items():
        print(mode)
        for name, point in child["checkpoints"].items():
            print(f"{name:>22}: RSS {point['VmRSS']:>6} MiB (peak {point['VmHWM']})")
    run.finish({**results["sequential"], "burst": results["burst"]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
