"""knowledge/ → passages → embeddings → Chroma, incrementally and idempotently."""

from __future__ import annotations

import hashlib
import logging
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from bot.config import Settings
from bot.knowledge.embedder import Embedder, model_version
from bot.knowledge.glossary import Glossary
from bot.knowledge.index import (
    FORMAT_VERSION,
    IndexProblem,
    chroma_client,
    collections,
    manifest_path,
    open_index,
    other_format_collections,
    passage_from_record,
    passage_metadata,
    read_manifest,
    write_json_atomic,
    write_passages,
)
from bot.knowledge.passages import Passage
from bot.knowledge.scope_data import DEV, EXAMPLES, LEGACY
from bot.knowledge.term_bridge import TERMS, TermBridge
from ingest.cards import build_cards, card_files
from ingest.chunking import chunk_document
from ingest.loaders import SourceError, discover_sources, load_source
from ingest.scope import build_scope

log = logging.getLogger(__name__)
EMBED_BATCH = 64
SCOPE_EXAMPLES = EXAMPLES.as_posix()
GLOSSARY = "glossary.yaml"


@dataclass
class IngestSummary:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    embedded: int = 0  # passages + sentences sent through the model
    errors: list[str] = field(default_factory=list)
    other_formats: list[str] = field(default_factory=list)  # collections of other index formats
    quiz_figures: list[str] = field(default_factory=list)  # bank lint, one line per topic

    def to_json(self) -> dict:
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        return data


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def source_digests(settings: Settings) -> dict[str, str]:
    """Content hash of every source file, without parsing (cheap staleness check)."""
    root = settings.knowledge_dir
    digests = {p.relative_to(root).as_posix(): _digest(p) for p in discover_sources(root)}
    for extra in (SCOPE_EXAMPLES, DEV.as_posix(), LEGACY.as_posix(), GLOSSARY, TERMS.as_posix()):
        digests[extra] = _digest(root / extra)
    for path in card_files(root):
        digests[path.relative_to(root).as_posix()] = _digest(path)
    return digests


def validate_banks(knowledge_dir: Path, sections: set[str]) -> tuple[list[str], list[str]]:
    """Every bad quiz or interview entry, by file and id (Telegram limits, keys, sections,
    and the quiz lint: options that give the key away), and the quiz lint's figures."""
    from bot.knowledge.bank_lint import lint_quiz_bank
    from bot.knowledge.banks import BankError, load_interview_bank, load_quiz_bank

    problems: list[str] = []
    figures: list[str] = []
    for folder, load in (("quiz", load_quiz_bank), ("interview", load_interview_bank)):
        if not (knowledge_dir / folder).is_dir():
            continue
        try:
            bank = load(knowledge_dir / folder, sections)
        except BankError as exc:
            problems.extend(f"{folder}/{problem}" for problem in exc.problems)
            continue
        if folder == "quiz":
            report = lint_quiz_bank(bank)
            figures = report.lines()
            problems.extend(f"quiz/{problem}" for problem in report.problems)
    return problems, figures


def _build_onnx(settings: Settings, summary: IngestSummary) -> None:
    """The bot's torch-free query model; a failure leaves the bot on sentence-transformers."""
    from bot.knowledge.onnx_embedder import export_onnx

    try:
        export_onnx(settings.index_dir)
    except Exception as exc:  # noqa: BLE001 - the index itself is fine without it
        log.warning("ONNX export failed: %s", exc)
        summary.errors.append(f"ONNX export failed ({exc}); the bot will use sentence-transformers")


def _corpus_vectors(passages_col, sentences_col) -> np.ndarray:
    """Every passage and sentence vector: a labelled question's best corpus cosine is a feature
    of the scope model, as retrieval's top_dense is for a user's question."""
    rows = [
        vector
        for col in (passages_col, sentences_col)
        for vector in col.get(include=["embeddings"])["embeddings"]
    ]
    return np.asarray(rows, dtype=np.float32).reshape(len(rows), -1)


def index_is_stale(settings: Settings) -> bool:
    """True when the index is missing or was built from other sources, model or format."""
    manifest = read_manifest(settings)
    if not manifest or (not settings.chroma_host and not settings.chroma_dir.exists()):
        return True
    from bot.knowledge.onnx_embedder import onnx_is_built

    if (
        not onnx_is_built(settings.index_dir)
        or manifest.get("format") != FORMAT_VERSION
        or manifest.get("model") != model_version()
        or manifest.get("sources") != source_digests(settings)
    ):
        return True
    try:  # whatever the bot would refuse (side files or collections lost) is stale too
        open_index(settings)
    except IndexProblem:
        return True
    return False


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _progress(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="chunk", desc="embedding", file=sys.stderr)


def run_ingest(
    settings: Settings,
    embedder_factory: Callable[[], Embedder],
    progress: bool | None = None,
    build_onnx: bool = True,
) -> IngestSummary:
    """Bring the index in line with knowledge/; only new or changed passages are embedded."""
    started = time.perf_counter()
    summary = IngestSummary()
    loaded: list[Embedder] = []

    def get_embedder() -> Embedder:
        """The model loads only if something needs embedding, and only once."""
        if not loaded:
            loaded.append(embedder_factory())
        return loaded[0]

    root = settings.knowledge_dir
    desired: dict[str, Passage] = {}
    broken: set[str] = set()
    sections: set[str] = set()  # headings of the articles that parsed: what quizzes may cite
    for path in discover_sources(root):
        try:
            doc = load_source(path, root)
        except SourceError as exc:
            summary.errors.append(str(exc))
            broken.add(path.relative_to(root).as_posix())
            log.warning("skipped %s", exc)
            continue
        except OSError as exc:
            summary.errors.append(f"{path.name}: cannot read ({exc.strerror})")
            broken.add(path.relative_to(root).as_posix())
            continue
        sections.add(doc.title)
        for section in doc.sections:
            sections.update((section.heading, *section.parents))
        for passage in chunk_document(doc):
            desired[passage.id] = passage

    client = chroma_client(settings)
    # Another format's collections have other names: they are left as they are (a rollback or a
    # replica of the previous release still reads them) and named so the operator can prune.
    summary.other_formats = other_format_collections(client, settings)
    passages_col, sentences_col = collections(client, settings)
    existing = passages_col.get(include=["metadatas", "documents"])
    existing_meta = dict(zip(existing["ids"], existing["metadatas"], strict=True))
    existing_docs = dict(zip(existing["ids"], existing["documents"], strict=True))

    # A broken source keeps what it had: nothing already indexed is lost to a bad edit.
    for pid, meta in existing_meta.items():
        if meta["source"] in broken and pid not in desired:
            desired[pid] = kept = passage_from_record(pid, existing_docs[pid], meta)
            sections.update((kept.title, *kept.heading_path.split(" › ")))

    new = [p for pid, p in desired.items() if pid not in existing_meta]
    stale = [pid for pid in existing_meta if pid not in desired]
    stale_slots = {existing_meta[pid]["slot"] for pid in stale}
    summary.updated = sum(1 for p in new if p.slot in stale_slots)
    summary.added = len(new) - summary.updated
    summary.deleted = len(stale) - summary.updated
    summary.unchanged = len(desired) - len(new)

    if stale:
        passages_col.delete(ids=stale)
        sentences_col.delete(where={"passage_id": {"$in": stale}})
    if new:
        embedder = get_embedder()
        total = len(new) + sum(len(p.sentences) for p in new)
        bar = _progress(total, sys.stderr.isatty() if progress is None else progress)
        for batch in _batches(new, EMBED_BATCH):
            vectors = embedder.embed_documents([p.embedding_text for p in batch])
            passages_col.upsert(
                ids=[p.id for p in batch],
                embeddings=vectors.tolist(),
                documents=[p.text for p in batch],
                metadatas=[passage_metadata(p) for p in batch],
            )
            sentence_rows = [(p, i, s) for p in batch for i, s in enumerate(p.sentences)]
            s_vectors = embedder.embed_documents([s for _, _, s in sentence_rows])
            sentences_col.upsert(
                ids=[p.sentence_id(i) for p, i, _ in sentence_rows],
                embeddings=s_vectors.tolist(),
                documents=[s for _, _, s in sentence_rows],
                metadatas=[{"passage_id": p.id, "source": p.source} for p, _, _ in sentence_rows],
            )
            summary.embedded += len(batch) + len(sentence_rows)
            if bar is not None:
                bar.update(len(batch) + len(sentence_rows))
        if bar is not None:
            bar.close()

    bank_problems, summary.quiz_figures = validate_banks(settings.knowledge_dir, sections)
    summary.errors.extend(bank_problems)
    summary.errors.extend(TermBridge.load(root / TERMS).problems)  # the bot skips these entries
    if build_onnx:
        _build_onnx(settings, summary)

    ordered = sorted(desired.values(), key=lambda p: (p.source, int(p.slot.rsplit("#", 1)[1])))
    summary.errors.extend(
        build_cards(
            root,
            settings.index_dir,
            ordered,
            Glossary.load(root / GLOSSARY),
            get_embedder,
        )
    )
    build_scope(
        root,
        settings.index_dir,
        Glossary.load(root / GLOSSARY),
        get_embedder,
        _corpus_vectors(passages_col, sentences_col),
    )
    write_passages(settings, ordered)
    from bot.knowledge.keyword_index import KeywordIndex

    KeywordIndex.build(ordered).save(settings.index_dir / "bm25")
    digests = source_digests(settings)
    from bot.knowledge.onnx_embedder import onnx_recipe

    write_json_atomic(
        manifest_path(settings),
        {
            "format": FORMAT_VERSION,
            "model": model_version(),
            "onnx_recipe": onnx_recipe(settings.index_dir),
            # Written last and new at every run: a running bot reloads when it changes.
            "stamp": uuid.uuid4().hex,
            # Broken files are recorded as such so the next run tries them again.
            "sources": {k: ("broken" if k in broken else v) for k, v in digests.items()},
            "passages": len(ordered),
        },
    )
    summary.seconds = time.perf_counter() - started
    return summary
