"""chromadb's OpenTelemetry gRPC exporter is imported only if one is made (never, here)."""

from __future__ import annotations

import subprocess
import sys

from bot.config import PROJECT_ROOT

PROBE = """
import sys
from bot.knowledge.index import OTLP_EXPORTER, defer_otlp_exporter
defer_otlp_exporter()
import chromadb
from chromadb.telemetry.opentelemetry import OTLPSpanExporter
print("grpc" in sys.modules)
exporter = OTLPSpanExporter(endpoint="http://127.0.0.1:9", insecure=True)
print(type(exporter).__module__ == OTLP_EXPORTER, "grpc" in sys.modules)
"""


def test_chromadb_imports_without_grpc_and_a_real_exporter_still_loads():
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]
