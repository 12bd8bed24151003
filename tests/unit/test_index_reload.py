"""A running bot serves a re-ingest: new passages are cited, a broken re-ingest is not served."""

from __future__ import annotations

import json
import logging

import pytest

from bot.core.answers.service import AnswerService
from bot.core.services import Services
from bot.knowledge.index import FORMAT_VERSION, manifest_path
from tests.unit.index_helpers import MEETUPS, copy_index, ingest, tiny_settings

QUESTION = "how do I get an internship referral from a machine learning meetup?"


@pytest.fixture(scope="module")
def tiny_built(tmp_path_factory, embedder):
    settings = tiny_settings(tmp_path_factory.mktemp("tiny"))
    ingest(settings, embedder)
    return settings


@pytest.fixture
def running(tiny_built, tmp_path, embedder):
    """Services of a running bot on a private copy of the tiny index."""
    settings = copy_index(tiny_built, tmp_path)
    services = Services.open(settings, answers=AnswerService.open(settings, embedder))
    yield services
    services.close()


def cited(answer) -> set[str]:
    """Article titles of the sources ("Title › Section" → "Title")."""
    return {source.title.split(" › ")[0] for source in answer.sources}


def add_meetups_article(services, embedder) -> None:
    settings = services.settings
    (settings.knowledge_dir / "articles" / "meetups.md").write_text(MEETUPS)
    ingest(settings, embedder)


async def test_a_reingest_is_served_without_a_restart(running, embedder):
    before = (await running.ask(1, QUESTION)).answer
    assert "Meetups for Interns" not in cited(before)
    assert not await running.refresh_index()  # nothing changed: nothing reloaded
    old_service = running.answers

    add_meetups_article(running, embedder)
    assert await running.refresh_index()

    assert running.answers is not old_service and running.batcher.service is running.answers
    after = (await running.ask(1, QUESTION)).answer
    assert after.in_scope and "Meetups for Interns" in cited(after)
    assert "referral" in after.text
    assert len(running.answers.kb.retriever.passages) == 2
    assert not await running.refresh_index()


async def test_new_passages_are_cited_even_before_the_reload(running, embedder):
    """Chroma already has them while the loaded side files do not: they are not dropped."""
    add_meetups_article(running, embedder)
    answer = (await running.ask(1, QUESTION)).answer
    assert "Meetups for Interns" in cited(answer)


async def test_a_reingest_of_another_format_is_not_served(running, embedder, caplog):
    served = running.answers
    path = manifest_path(running.settings)
    manifest = json.loads(path.read_text())
    path.write_text(json.dumps({**manifest, "format": FORMAT_VERSION + 1, "stamp": "next"}))
    with caplog.at_level(logging.ERROR, logger="bot.core.services"):
        assert not await running.refresh_index()
    assert running.answers is served
    [line] = [r.getMessage() for r in caplog.records if "re-ingested" in r.getMessage()]
    assert "the loaded one stays" in line and f"format {FORMAT_VERSION + 1}" in line
    assert "Kaggle" in (await running.ask(1, "is kaggle worth it?")).answer.text


async def test_a_reload_that_fails_for_a_passing_reason_is_retried(running, embedder, monkeypatch):
    """Chroma unreachable for a moment during the reload: the next tick tries again."""
    add_meetups_article(running, embedder)
    real_open = AnswerService.open
    attempts = []

    def flaky_open(*args, **kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("Chroma went away for a moment")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(AnswerService, "open", flaky_open)
    served = running.answers
    assert not await running.refresh_index()
    assert running.answers is served
    assert await running.refresh_index()  # same manifest, tried again
    assert len(attempts) == 2 and len(running.answers.kb.retriever.passages) == 2
