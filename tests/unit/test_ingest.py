"""Ingest: incremental, idempotent, and tolerant of broken sources."""

from __future__ import annotations

import json

import pytest

from bot.knowledge.index import chroma_client, collections, read_passages
from ingest.pipeline import index_is_stale, run_ingest

ARTICLE = "articles/how-to-get-a-machine-learning-internship.md"


class CountingEmbedder:
    """Wraps the real embedder and counts every text sent through the model."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.texts: list[str] = []

    def embed_documents(self, texts):
        self.texts.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.embed_documents([text])[0]


def ingest(settings, embedder):
    counting = CountingEmbedder(embedder)
    summary = run_ingest(settings, lambda: counting, progress=False, build_onnx=False)
    return summary, counting


def stored_ids(settings):
    passages, sentences = collections(chroma_client(settings), settings)
    return set(passages.get()["ids"]), sentences.count()


def test_first_ingest_indexes_passages_and_sentences_with_metadata(workspace, embedder):
    summary, counting = ingest(workspace, embedder)
    ids, sentence_count = stored_ids(workspace)
    assert summary.added == len(ids) > 10 and summary.unchanged == 0
    passages = read_passages(workspace)
    assert {p.id for p in passages} == ids
    assert sentence_count == sum(len(p.sentences) for p in passages)
    assert all(len(p.text) <= 700 for p in passages)
    sections = {p.section for p in passages}
    assert {"Build a Machine Learning Portfolio", "Projects", "Education"} <= sections
    assert "Disclaimer" not in sections  # skip_sections in the front matter
    assert all(p.title == "How to Get a Machine Learning Internship" for p in passages)


def test_unchanged_corpus_embeds_nothing(workspace, embedder):
    first, _ = ingest(workspace, embedder)
    second, counting = ingest(workspace, embedder)
    assert counting.texts == []
    assert (second.added, second.updated, second.deleted) == (0, 0, 0)
    assert second.unchanged == first.added


def test_edit_replaces_exactly_the_stale_passage(workspace, embedder):
    ingest(workspace, embedder)
    before, _ = stored_ids(workspace)
    path = workspace.knowledge_dir / ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("grew 343 percent in 2019", "grew 400 percent in 2019"), encoding="utf-8"
    )
    summary, counting = ingest(workspace, embedder)
    after, _ = stored_ids(workspace)
    assert (summary.added, summary.updated, summary.deleted) == (0, 1, 0)
    assert len(before - after) == 1 and len(after - before) == 1
    changed = next(p for p in read_passages(workspace) if p.id in after - before)
    assert "400 percent" in changed.text
    # Only the edited passage and its own sentences went through the model.
    assert counting.texts[0].endswith(changed.text) and len(counting.texts) == 1 + len(
        changed.sentences
    )


def test_new_and_deleted_sources(workspace, embedder):
    ingest(workspace, embedder)
    extra = workspace.knowledge_dir / "articles" / "networking.txt"
    extra.write_text(
        "Go to local meetups. Recruiters at meetups often hire interns.", encoding="utf-8"
    )
    added, _ = ingest(workspace, embedder)
    assert added.added == 1
    assert any(p.source == "articles/networking.txt" for p in read_passages(workspace))
    extra.unlink()
    removed, _ = ingest(workspace, embedder)
    assert removed.deleted == 1 and removed.added == 0
    assert all(p.source != "articles/networking.txt" for p in read_passages(workspace))


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("latin1.md", "Caf\xe9 culture".encode("latin-1"), "not valid UTF-8"),
        ("empty.md", b"  \n", "empty"),
        ("broken.pdf", b"%PDF-1.4\n garbage that is not a pdf", "PDF"),
    ],
)
def test_broken_source_is_named_and_skipped(workspace, embedder, name, content, problem):
    ingest(workspace, embedder)
    before, _ = stored_ids(workspace)
    (workspace.knowledge_dir / "articles" / name).write_bytes(content)
    summary, _ = ingest(workspace, embedder)
    assert len(summary.errors) == 1 and name in summary.errors[0] and problem in summary.errors[0]
    after, _ = stored_ids(workspace)
    assert before == after


def test_a_source_broken_by_an_edit_keeps_its_indexed_passages(workspace, embedder):
    ingest(workspace, embedder)
    before, _ = stored_ids(workspace)
    (workspace.knowledge_dir / ARTICLE).write_bytes(b"\xff\xfe broken \x80")
    summary, _ = ingest(workspace, embedder)
    assert summary.deleted == 0 and any(ARTICLE.split("/")[1] in e for e in summary.errors)
    assert not [e for e in summary.errors if e.startswith("quiz/")]  # its sections still count
    assert stored_ids(workspace)[0] == before


def test_html_and_text_sources_are_indexed(workspace, embedder):
    html = workspace.knowledge_dir / "articles" / "meetups.html"
    html.write_text(
        "<html><head><title>x</title><script>var a=1;</script></head><body>"
        "<h1>Meetups</h1><h2>Why go</h2><p>Recruiters at meetups hire interns.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    ingest(workspace, embedder)
    meetup = [p for p in read_passages(workspace) if p.source == "articles/meetups.html"]
    assert len(meetup) == 1
    assert meetup[0].title == "Meetups" and meetup[0].section == "Why go"
    assert "var a" not in meetup[0].text


def test_staleness_follows_sources(built_settings):
    assert not index_is_stale(built_settings)
    manifest = json.loads((built_settings.index_dir / "manifest.json").read_text())
    assert ARTICLE in manifest["sources"]


def test_ingest_names_every_bad_quiz_entry(workspace, embedder):
    bad = workspace.knowledge_dir / "quiz" / "zz-broken.yaml"
    bad.write_text(
        "topic: career\nquestions:\n"
        "  - id: bad-1\n    difficulty: 1\n    question: '" + "x" * 301 + "'\n"
        "    options: [a, b, c]\n    answer: 0\n    explanation: fine\n    section: Projects\n"
        "  - id: bad-2\n    difficulty: 1\n    question: ok?\n    options: [a, b, c]\n"
        "    answer: 7\n    explanation: fine\n    section: No Such Section\n",
        encoding="utf-8",
    )
    summary, _ = ingest(workspace, embedder)
    quiz_errors = [e for e in summary.errors if e.startswith("quiz/")]
    assert any("bad-1" in e for e in quiz_errors) and any("bad-2" in e for e in quiz_errors)
    assert summary.added > 0  # the articles were still indexed
