"""Modules deferred by careerbot load at their first use, and not before."""

from __future__ import annotations

import importlib
import subprocess
import sys

from bot.config import PROJECT_ROOT
from bot.deferred_imports import defer_module

BOT_PROCESS = """
import sys
from bot.telegram.app import build_application
import httpx
print(sorted(m for m in ("rich", "click", "httpx._main") if type(sys.modules.get(m)).__name__ == "module" and getattr(sys.modules.get(m), "__file__", None)))
sys.argv = ["httpx", "--help"]
httpx.main()
"""


CHROMA_PROCESS = """
import sys
from bot.knowledge.index import OTLP_EXPORTER, defer_otlp_exporter
defer_otlp_exporter()
import chromadb
from chromadb.telemetry.opentelemetry import OTLPSpanExporter
print("grpc" in sys.modules)
exporter = OTLPSpanExporter(endpoint="http://127.0.0.1:9", insecure=True)
print(type(exporter).__module__ == OTLP_EXPORTER, "grpc" in sys.modules)
"""


def fresh_process(code: str) -> str:
    """stdout of `code` run by a fresh interpreter (its imports are its own)."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_chromadb_imports_without_grpc_and_a_real_exporter_still_loads():
    assert fresh_process(CHROMA_PROCESS).split() == ["False", "True", "True"]


def test_the_bot_does_not_load_httpx_cli_and_the_cli_still_runs():
    first, rest = fresh_process(BOT_PROCESS).split("\n", 1)
    assert first == "[]"  # none of them loaded from a file before httpx.main() was called
    assert "Usage: httpx" in rest  # the real command-line client ran


def test_a_deferred_module_loads_at_its_first_call(tmp_path, monkeypatch):
    (tmp_path / "careerbot_deferred_probe.py").write_text(
        "LOADS = []\nLOADS.append(1)\ndef double(x):\n    return 2 * x\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "careerbot_deferred_probe", raising=False)
    defer_module("careerbot_deferred_probe", "double")
    stand_in = importlib.import_module("careerbot_deferred_probe")  # (a module the test writes)

    assert not hasattr(stand_in, "LOADS")  # nothing of the real module ran
    assert stand_in.double(21) == 42
    real = sys.modules["careerbot_deferred_probe"]
    assert real is not stand_in and real.LOADS == [1]
    assert stand_in.double(1) == 2 and real.LOADS == [1]  # loaded once
    monkeypatch.delitem(sys.modules, "careerbot_deferred_probe")


def test_an_imported_module_is_left_as_it_is():
    before = sys.modules["json"]
    defer_module("json", "dumps")
    assert sys.modules["json"] is before
