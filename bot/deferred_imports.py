"""Modules that a dependency imports eagerly but careerbot never uses, imported when first used.

A stand-in module takes the real one's place in `sys.modules`; each of its named callables
imports the real module (replacing the stand-in) and calls its namesake. Measured resident
memory saved in the bot: chromadb's OpenTelemetry gRPC exporter ~15 MiB, httpx's command-line
client (rich, pygments, click) ~3.5 MiB (docs/performance.md).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

HTTPX_CLI = "httpx._main"


def defer_module(module: str, *callables: str) -> None:
    """Put a stand-in for `module` (if not imported yet) whose `callables` load the real one."""
    if module in sys.modules:
        return
    stand_in = types.ModuleType(module, f"Stand-in: {module} is imported at its first use.")

    def forward(name: str):
        def call(*args: Any, **kwargs: Any) -> Any:
            if sys.modules.get(module) is stand_in:
                del sys.modules[module]
            return getattr(importlib.import_module(module), name)(*args, **kwargs)

        call.__name__ = call.__qualname__ = name
        return call

    for name in callables:
        setattr(stand_in, name, forward(name))
    sys.modules[module] = stand_in


def defer_httpx_cli() -> None:
    """httpx imports its command-line client whenever rich, pygments and click are installed;
    PTB imports httpx, and no careerbot process runs that client."""
    defer_module(HTTPX_CLI, "main")
