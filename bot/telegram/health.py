"""Keeping a replica in service: the index reload job, and GET /healthz for a load balancer
(200 when this replica can answer, 503 if not).

/healthz is served by aiohttp on CAREERBOT_HEALTH_PORT beside PTB's webhook server (tornado, which takes no
extra routes): the index must be loaded and Chroma answer, and the database must answer.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from sqlalchemy import text
from telegram.ext import Application

from bot.core.services import Services
from bot.telegram.context import SERVICES, CustomContext

log = logging.getLogger(__name__)
DEFAULT_HEALTH_PORT = 8444  # beside the webhook's 8443
CHECK_TIMEOUT = 3.0
RUNNER = "health_runner"
HEALTH_SERVICES = web.AppKey("services", Services)


def _database_answers(services: Services) -> None:
    with services.store.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _index_answers(services: Services) -> int:
    """Passages the index serves; Chroma is asked too (a server may be down)."""
    retriever = services.answers.kb.retriever
    if not retriever.passages:
        raise RuntimeError("no passages loaded")
    retriever.indexed_count()
    return len(retriever.passages)


async def _check(name: str, check, services: Services, problems: list[str]):
    try:
        return await asyncio.wait_for(asyncio.to_thread(check, services), CHECK_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 - any failure is a "no" for the balancer
        problems.append(f"{name}: {type(exc).__name__}")
        log.warning("health: %s check failed: %s", name, type(exc).__name__)
        return None


async def healthz(request: web.Request) -> web.Response:
    """200 {"status": "ok", ...} or 503 {"status": "unavailable", "problems": [...]}."""
    services = request.app[HEALTH_SERVICES]
    problems: list[str] = []
    passages = await _check("index", _index_answers, services, problems)
    await _check("database", _database_answers, services, problems)
    body = {
        "status": "unavailable" if problems else "ok",
        "index": {"passages": passages, "stamp": services.answers.kb.stamp},
        "database": "unavailable" if any(p.startswith("database") for p in problems) else "ok",
    }
    if problems:
        body["problems"] = problems
    return web.json_response(body, status=503 if problems else 200)


async def start_health_server(application: Application, listen: str, port: int) -> None:
    app = web.Application()
    app[HEALTH_SERVICES] = application.bot_data[SERVICES]
    app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, listen, port).start()
    application.bot_data[RUNNER] = runner
    log.info("health endpoint on http://%s:%d/healthz", listen, port)


async def stop_health_server(application: Application) -> None:
    runner: web.AppRunner | None = application.bot_data.pop(RUNNER, None)
    if runner is not None:
        await runner.cleanup()


async def reload_index(context: CustomContext) -> None:
    """Job: serve a re-ingested index without a restart (Services.refresh_index)."""
    await context.services.refresh_index()
