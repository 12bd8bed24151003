"""The query path without torch: all-MiniLM-L6-v2 exported once to ONNX, run by onnxruntime.

`export_onnx` (called by ingest, which has torch loaded anyway) writes the model under
data/index/onnx/<package version>/; `OnnxEmbedder` tokenises with the model's own tokenizer
and mean-pools exactly as sentence-transformers does.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.knowledge.embedder import EMBEDDING_DIM, model_path, model_version
from bot.knowledge.memory import PageReleaser

log = logging.getLogger(__name__)
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
WEIGHTS_NAME = "model.onnx.data"
EXPORT_RECIPE = 2  # bump when the export changes: older artefacts are rebuilt at the next ingest
ONNX_BATCH = 16  # measured: length-sorted batches of 16 cost ~25% less per text than singles


def default_threads() -> int:
    return max(1, min(2, len(os.sched_getaffinity(0))))


def onnx_dir(index_dir: Path) -> Path:
    return index_dir / "onnx" / model_version()


def onnx_file(index_dir: Path) -> Path:
    return onnx_dir(index_dir) / "model.onnx"


def onnx_data_file(index_dir: Path) -> Path:
    """The weights, beside the graph: onnxruntime maps this file instead of copying it, so the
    embedding rows of tokens nobody types never become resident (~23 MiB less RSS, measured)."""
    return onnx_dir(index_dir) / WEIGHTS_NAME


def onnx_is_built(index_dir: Path) -> bool:
    """Graph, weights and a stamp of this export recipe (an older recipe is rebuilt)."""
    stamp = onnx_dir(index_dir) / "built.json"
    if not (
        stamp.exists() and onnx_file(index_dir).exists() and onnx_data_file(index_dir).exists()
    ):
        return False
    try:
        return json.loads(stamp.read_text()).get("recipe") == EXPORT_RECIPE
    except ValueError:
        return False


def onnx_recipe(index_dir: Path) -> int | None:
    """The export recipe of the ONNX files present (0 if unstamped), None if there are none."""
    stamp = onnx_dir(index_dir) / "built.json"
    if not stamp.exists():
        return 0 if onnx_file(index_dir).exists() else None
    try:
        return int(json.loads(stamp.read_text()).get("recipe", 0))
    except (ValueError, TypeError, AttributeError):
        return 0


def export_onnx(index_dir: Path) -> Path:
    """Export the bundled model's transformer to ONNX (skipped when already built)."""
    target = onnx_file(index_dir)
    if onnx_is_built(index_dir):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = target.parent / "built.json"
    stamp.unlink(missing_ok=True)  # written last: a crash half-way leaves "not built"
    tmp = target.with_suffix(".tmp")
    _trace_to_onnx(tmp)
    _save_with_external_weights(_fused(tmp), target)
    tmp.unlink()
    stamp.write_text(json.dumps({"model_version": model_version(), "recipe": EXPORT_RECIPE}))
    return target


def _fused(path: Path):
    """onnxruntime's BERT fusions (Attention, SkipLayerNorm, BiasGelu, EmbedLayerNorm): the same
    arithmetic in fewer, larger kernels; a lone question embeds ~12 % faster (measured)."""
    import onnx

    try:
        from onnxruntime.transformers import optimizer

        config = json.loads((model_path() / "config.json").read_text())
        fused = optimizer.optimize_model(
            str(path),
            model_type="bert",
            opt_level=1,
            num_heads=config["num_attention_heads"],
            hidden_size=config["hidden_size"],
        )
        return fused.model
    except Exception as exc:  # noqa: BLE001 - the unfused graph gives the same vectors
        log.warning("ONNX fusion skipped (%s): the plain export is used", exc)
        return onnx.load(str(path))


def _save_with_external_weights(model, target: Path) -> None:
    """Graph in `target`, weights in WEIGHTS_NAME beside it (the file onnxruntime maps).

    Both are written in a scratch directory, then moved into place: the weights are a new file,
    never one rewritten in place. (onnx appends to an existing weights file; and a running bot
    maps the old one and reads its pages again after each call, bot/knowledge/memory.py.)"""
    import onnx

    scratch = target.parent / "partial"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    onnx.save_model(
        model,
        str(scratch / target.name),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=WEIGHTS_NAME,
        size_threshold=1024,
    )
    (scratch / WEIGHTS_NAME).replace(target.with_name(WEIGHTS_NAME))
    (scratch / target.name).replace(target)
    scratch.rmdir()


def _trace_to_onnx(path: Path) -> None:
    import torch
    from transformers import AutoModel

    class Encoder(torch.nn.Module):
        """Keyword-only call into the transformer: its positional order changes between releases."""

        def __init__(self) -> None:
            super().__init__()
            # Eager attention exports the pattern onnxruntime fuses into its Attention kernel.
            self.bert = AutoModel.from_pretrained(str(model_path()), attn_implementation="eager")

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: D401
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = Encoder().eval()
    sample = {
        "input_ids": torch.ones((2, 8), dtype=torch.long),
        "attention_mask": torch.ones((2, 8), dtype=torch.long),
        "token_type_ids": torch.zeros((2, 8), dtype=torch.long),
    }
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer chatter about constant shapes: harmless here
        torch.onnx.export(
            model,
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(path),
            input_names=list(sample),
            output_names=["last_hidden_state"],
            dynamic_axes={**{k: axes for k in sample}, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )


class OnnxEmbedder:
    """Same vectors as SentenceTransformerEmbedder, without importing torch."""

    name = "onnxruntime"

    def __init__(self, onnx_path: Path, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        # Two threads halve a lone question's embedding (the usual case). Without spinning, idle
        # pool threads sleep instead of burning the core the event loop needs during a burst.
        options.intra_op_num_threads = threads or default_threads()
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        # No arena and no per-shape memory plans: both keep a burst's peak (every distinct
        # question length is a new shape) for the life of the process. Freed activations go
        # back to malloc, which returns them (see limit_malloc_arenas). Same speed, measured.
        options.enable_cpu_mem_arena = False
        options.enable_mem_pattern = False
        self._session = ort.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        # The weights file is mapped; after each call the embedding table's pages are unmapped
        # again (−44 MiB RSS after a burst of distinct questions, same speed: docs/performance.md).
        self._weights_pages = PageReleaser(onnx_path.parent / WEIGHTS_NAME)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Texts of similar length run together, so little time goes on padding."""
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), EMBEDDING_DIM), dtype=np.float32)
        for start in range(0, len(order), ONNX_BATCH):
            chunk = order[start : start + ONNX_BATCH]
            out[chunk] = self._embed_batch([texts[i] for i in chunk])
        self._weights_pages.release()
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def load_query_embedder(index_dir: Path, backend: str = "auto"):
    """ONNX when built (or requested); else sentence-transformers with a warning."""
    path = onnx_file(index_dir)
    if backend in ("auto", "onnx") and (path.exists() or onnx_data_file(index_dir).exists()):
        try:
            return OnnxEmbedder(path)
        except Exception as exc:  # noqa: BLE001 - a broken artefact must not stop the bot
            log.warning("ONNX model unusable (%s); falling back to sentence-transformers", exc)
    elif backend in ("auto", "onnx"):
        log.warning(
            "no ONNX model under %s; using sentence-transformers (slower start)", path.parent
        )
    from bot.knowledge.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()
