"""The index format, owned here: two Chroma collections plus side files under data/index.

- `<name>_passages`: one record per passage (what answers cite), embedded as "heading: text".
- `<name>_sentences`: one record per sentence, pointing at its passage (finer-grained matching).
- `index/passages.json`: every passage with its sentences, for BM25 and answer composition
  without a full Chroma scan at start-up; `index/manifest.json`: what was ingested from what.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.knowledge.passages import Passage

FORMAT_VERSION = 5  # bump when chunking or embedded text changes: forces a full re-ingest


def chroma_client(settings: Settings):
    """Embedded persistent Chroma, or a Chroma server when CHROMA_HOST is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        return chromadb.HttpClient(
            host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def collections(client, settings: Settings):
    """(passages, sentences) collections. Embeddings always come from us, never from Chroma."""
    kwargs: dict[str, Any] = {"embedding_function": None, "metadata": {"hnsw:space": "cosine"}}
    return (
        client.get_or_create_collection(f"{settings.collection}_passages", **kwargs),
        client.get_or_create_collection(f"{settings.collection}_sentences", **kwargs),
    )


def passage_metadata(p: Passage) -> dict[str, Any]:
    return {
        "slot": p.slot,
        "source": p.source,
        "title": p.title,
        "section": p.section,
        "heading_path": p.heading_path,
        "sentences": json.dumps(list(p.sentences), ensure_ascii=False),
    }


def passage_from_record(pid: str, text: str, meta: dict[str, Any]) -> Passage:
    return Passage(
        id=pid,
        slot=meta["slot"],
        source=meta["source"],
        title=meta["title"],
        section=meta["section"],
        heading_path=meta["heading_path"],
        text=text,
        sentences=tuple(json.loads(meta["sentences"])),
    )


def manifest_path(settings: Settings) -> Path:
    return settings.index_dir / "manifest.json"


def passages_path(settings: Settings) -> Path:
    return settings.index_dir / "passages.json"


def read_manifest(settings: Settings) -> dict[str, Any]:
    try:
        return json.loads(manifest_path(settings).read_text())
    except (OSError, ValueError):
        return {}


def write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False))
    tmp.replace(path)


def write_passages(settings: Settings, passages: list[Passage]) -> None:
    write_json_atomic(passages_path(settings), [asdict(p) for p in passages])


def read_passages(settings: Settings) -> list[Passage]:
    rows = json.loads(passages_path(settings).read_text())
    return [Passage(**{**row, "sentences": tuple(row["sentences"])}) for row in rows]
