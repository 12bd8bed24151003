"""Helpers shared by the benchmark scripts: percentiles, RSS, temp indexes, results, machine.

Every script builds its own index in a temporary data dir (never ./data) and writes
`benchmarks/results/<name>.json`; `run_all.py` renders docs/benchmarks.md from those files.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
if str(ROOT) not in sys.path:  # scripts run as `python benchmarks/x.py` from any cwd
    sys.path.insert(0, str(ROOT))

EVAL_QUESTIONS = ROOT / "knowledge" / "eval" / "questions.yaml"
SEED_ARTICLE = ROOT / "knowledge" / "articles" / "how-to-get-a-machine-learning-internship.md"


# -- statistics -----------------------------------------------------------------------------------
def percentile(values, q: float) -> float:
    """Linear-interpolated percentile (numpy's default), without importing numpy here."""
    data = sorted(values)
    if not data:
        return float("nan")
    pos = (len(data) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (pos - low)


def summary_ms(values) -> dict:
    """p50/p95/max/mean of millisecond samples, rounded for the report."""
    values = list(values)
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 3),
        "p95": round(percentile(values, 95), 3),
        "max": round(max(values), 3) if values else float("nan"),
        "mean": round(sum(values) / len(values), 3) if values else float("nan"),
    }


def timed_ms(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, result


# -- memory ---------------------------------------------------------------------------------------
def rss_mb() -> dict:
    """Current (VmRSS) and peak (VmHWM) resident memory of this process, in MiB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(rest.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS"), "peak_rss_mb": fields.get("VmHWM")}


# -- inputs ---------------------------------------------------------------------------------------
def eval_questions() -> list[str]:
    """Every question of the labelled set (in scope and out of scope), in file order."""
    from bot.core.answers.evaluation import load_eval_set

    return [item.question for item in load_eval_set(EVAL_QUESTIONS)]


def seed_sentences() -> list[str]:
    """Prose sentences and list items of the seed article (headings and front matter dropped)."""
    from bot.knowledge.text import split_sentences

    text = SEED_ARTICLE.read_text(encoding="utf-8")
    body = text.split("\n---", 1)[1] if text.startswith("---") else text
    lines = [
        line for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    return split_sentences("\n".join(lines))


# -- temporary indexes ----------------------------------------------------------------------------
@contextlib.contextmanager
def temp_settings(prefix: str, knowledge_dir: Path | None = None):
    """Settings whose data dir is a fresh temp dir (removed afterwards); never ./data."""
    from bot.config import get_settings

    data_dir = Path(tempfile.mkdtemp(prefix=f"careerbot-bench-{prefix}-"))
    overrides: dict = {"CAREERBOT_DATA_DIR": data_dir, "CHROMA_HOST": None}
    if knowledge_dir is not None:
        overrides["CAREERBOT_KNOWLEDGE_DIR"] = knowledge_dir
    try:
        yield get_settings(**overrides)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def build_index(settings, embedder=None, build_onnx: bool = True):
    """run_ingest into settings.data_dir; a loaded embedder is reused instead of loading one."""
    from bot.knowledge.embedder import SentenceTransformerEmbedder
    from ingest.pipeline import run_ingest

    factory = (lambda: embedder) if embedder is not None else SentenceTransformerEmbedder
    summary = run_ingest(settings, factory, progress=False, build_onnx=build_onnx)
    if summary.errors:
        raise RuntimeError(f"ingest reported errors: {summary.errors}")
    return summary


# -- child processes ------------------------------------------------------------------------------
def run_child(code: str, *args: str, timeout: float = 300) -> dict:
    """Run `code` in a fresh interpreter; it must print one JSON object as its last stdout line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TOKENIZERS_PARALLELISM": "false"}
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- machine and results --------------------------------------------------------------------------
def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict:
    """What the figures were measured on (read from /proc; imports nothing heavy)."""
    cpu, flags = "unknown", set()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and cpu == "unknown":
                cpu = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    mem_kb = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {
        "cpu": cpu,
        # The vector units decide matmul speed more than the (often virtualised) model name.
        "cpu_simd": [
            f for f in ("avx2", "fma", "avx512f", "avx512_vnni", "amx_tile") if f in flags
        ],
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "torch": _version("torch"),
        "onnxruntime": _version("onnxruntime"),
        "chromadb": _version("chromadb"),
        "sentence_transformers": _version("sentence-transformers"),
        "bm25s": _version("bm25s"),
    }


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class Run:
    """Start/end bookkeeping of one benchmark script; `finish` writes its JSON result."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.started = time.perf_counter()
        self.meta = {
            "benchmark": name,
            "command": f".venv/bin/python benchmarks/{name}.py",
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "loadavg_start": loadavg(),
        }

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def finish(self, results: dict) -> Path:
        data = {
            **self.meta,
            "loadavg_end": loadavg(),
            "seconds": round(self.elapsed(), 1),
            **results,
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{self.name}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False))
        tmp.replace(path)
        print(f"[{self.name}] done in {data['seconds']}s -> {path.relative_to(ROOT)}")
        return path


# A child interpreter's resident memory in MiB (VmRSS now, VmHWM its peak), with the same malloc
# tuning as `careerbot run`: the start of the bot-memory benchmarks' child scripts.
CHILD_MEMORY_PROBE = r"""
def mem():
    out = {}
    for line in open('/proc/self/status'):
        key, _, rest = line.partition(':')
        if key in ('VmRSS', 'VmHWM'):
            out[key] = round(int(rest.split()[0]) / 1024, 1)
    return out
from bot.terminal.cli import limit_malloc_arenas
limit_malloc_arenas()
"""
