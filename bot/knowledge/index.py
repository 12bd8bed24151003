"""The index format, owned here: two Chroma collections plus side files under data/index.

- `<name>_v<format>_passages`: one record per passage (what answers cite), embedded as
  "heading: text". The format is in the name, so a new release builds its own collections and
  never deletes the ones an older release (a rollback, a replica mid-deploy) still reads.
- `<name>_v<format>_sentences`: one record per sentence, pointing at its passage.
- `index/passages.json`: every passage with its sentences, for BM25 and answer composition
  without a full Chroma scan at start-up; `index/manifest.json`: what was ingested from what
  (format, model, ONNX export recipe, a stamp that changes at every ingest), written last.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.deferred_imports import defer_module
from bot.knowledge.passages import Passage

# Bump when chunking, embedded text or the layout changes: the next ingest builds new collections.
# 5: collections named by format; the manifest carries the ONNX recipe and a stamp.
# 6: answer cards (index/cards.json + cards.npz).
FORMAT_VERSION = 6
REBUILD = "run `make ingest` (or `careerbot ingest`)"


class IndexProblem(RuntimeError):
    """The index cannot be served as it is; the message names what is wrong and the fix."""


class IndexMissingError(IndexProblem):
    """The knowledge index has not been built yet."""


def chroma_where(settings: Settings) -> str:
    if settings.chroma_host:
        return f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
    return str(settings.chroma_dir)


OTLP_EXPORTER = "opentelemetry.exporter.otlp.proto.grpc.trace_exporter"


def defer_otlp_exporter() -> None:
    """Let `import chromadb` skip its OpenTelemetry gRPC exporter until one is really made.

    chromadb imports that exporter (grpc, protobuf: ~12 MiB resident) at import time, yet only
    builds one when an OTLP collector endpoint is configured, which careerbot never does."""
    defer_module(OTLP_EXPORTER, "OTLPSpanExporter")


def chroma_client(settings: Settings):
    """Embedded persistent Chroma, or a Chroma server when CHROMA_HOST is set."""
    defer_otlp_exporter()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        except ValueError as exc:  # chromadb's way of saying "connection refused"
            raise IndexProblem(
                f"cannot reach {chroma_where(settings)} (CHROMA_HOST, CHROMA_PORT): start it, "
                "or unset CHROMA_HOST to use the embedded index"
            ) from exc
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def collection_names(settings: Settings, version: int = FORMAT_VERSION) -> tuple[str, str]:
    return (
        f"{settings.collection}_v{version}_passages",
        f"{settings.collection}_v{version}_sentences",
    )


def collections(client, settings: Settings):
    """(passages, sentences) collections, created if absent (ingest's side).

    Embeddings always come from us, never from Chroma."""
    kwargs: dict[str, Any] = {"embedding_function": None, "metadata": {"hnsw:space": "cosine"}}
    return tuple(client.get_or_create_collection(n, **kwargs) for n in collection_names(settings))


def open_collections(client, settings: Settings):
    """(passages, sentences) as they are: the answer path reads and never creates."""
    from chromadb.errors import NotFoundError

    found = []
    for name in collection_names(settings):
        try:
            found.append(client.get_collection(name, embedding_function=None))
        except NotFoundError:
            raise IndexProblem(
                f"{chroma_where(settings)} has no collection {name}: {REBUILD}"
            ) from None
    return tuple(found)


def other_format_collections(client, settings: Settings) -> list[str]:
    """This deployment's collections of other formats (kept by ingest for a rollback)."""
    mine = re.compile(rf"{re.escape(settings.collection)}(_v\d+)?_(passages|sentences)")
    current = set(collection_names(settings))
    names = [getattr(c, "name", c) for c in client.list_collections()]
    return sorted(n for n in names if mine.fullmatch(n) and n not in current)


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


def check_manifest(settings: Settings, onnx_backend: bool = True) -> dict[str, Any]:
    """The manifest, if this release can serve the index it describes; else IndexProblem.

    `onnx_backend`: the query embedder will be the ONNX export, so its recipe must match too.
    """
    from bot.knowledge.embedder import model_version
    from bot.knowledge.onnx_embedder import EXPORT_RECIPE, onnx_recipe

    where = settings.index_dir
    if not manifest_path(settings).exists():
        raise IndexMissingError(f"no knowledge index under {where}: {REBUILD}")
    manifest = read_manifest(settings)
    if not isinstance(manifest, dict) or not manifest:
        raise IndexProblem(f"the index manifest {manifest_path(settings)} is unreadable: {REBUILD}")
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexProblem(
            f"the index under {where} is format {manifest.get('format')}, this careerbot reads "
            f"format {FORMAT_VERSION}: {REBUILD} to build it"
        )
    if manifest.get("model") != model_version():
        raise IndexProblem(
            f"the index under {where} was embedded by model {manifest.get('model')}, the "
            f"installed model is {model_version()}: {REBUILD} to re-embed it"
        )
    recipe = onnx_recipe(where)
    if onnx_backend and recipe is not None and recipe != EXPORT_RECIPE:
        raise IndexProblem(
            f"the ONNX query model under {where} comes from export recipe {recipe or 'unknown'}, this "
            f"careerbot needs recipe {EXPORT_RECIPE}: {REBUILD} to re-export it"
        )
    return manifest


def write_json_atomic(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False))
    tmp.replace(path)


def write_passages(settings: Settings, passages: list[Passage]) -> None:
    write_json_atomic(passages_path(settings), [asdict(p) for p in passages])


PASSAGE_FIELDS = {f.name for f in fields(Passage)}


def read_passages(settings: Settings) -> list[Passage]:
    """Every passage of passages.json; a file another version wrote is an IndexProblem."""
    path = passages_path(settings)
    try:
        rows = json.loads(path.read_text())
    except FileNotFoundError:
        raise IndexMissingError(
            f"no knowledge index under {settings.index_dir}: {REBUILD}"
        ) from None
    except (OSError, ValueError) as exc:
        raise IndexProblem(f"{path} is unreadable ({exc}): {REBUILD}") from None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise IndexProblem(f"{path} is not a list of passages: {REBUILD}")
    for number, row in enumerate(rows):
        missing, unknown = PASSAGE_FIELDS - row.keys(), row.keys() - PASSAGE_FIELDS
        if missing or unknown:
            what = (
                f"lacks the field {', '.join(sorted(missing))}"
                if missing
                else f"has the unknown field {', '.join(sorted(unknown))}"
            )
            raise IndexProblem(
                f"{path}: passage {number} {what} (written by another version?): {REBUILD}"
            )
    return [Passage(**{**row, "sentences": tuple(row["sentences"])}) for row in rows]


def open_index(settings: Settings, onnx_backend: bool = True):
    """(manifest, passages, passages collection, sentences collection) of an index this release
    can serve: manifest checked, side files and Chroma of the same size; else IndexProblem."""
    manifest = check_manifest(settings, onnx_backend)
    passages = read_passages(settings)
    if len(passages) != manifest.get("passages"):
        raise IndexProblem(
            f"{settings.index_dir} holds {len(passages)} passages, its manifest says "
            f"{manifest.get('passages')} (an ingest still running or interrupted?): {REBUILD}"
        )
    passages_col, sentences_col = open_collections(chroma_client(settings), settings)
    stored = passages_col.count()
    if stored != len(passages):
        raise IndexProblem(
            f"{chroma_where(settings)} holds {stored} passages for this index, its side "
            f"files {len(passages)}: {REBUILD}"
        )
    return manifest, passages, passages_col, sentences_col
