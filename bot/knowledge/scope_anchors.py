"""Embedded example questions for the scope judge: ingest writes them, the answer path reads them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class ScopeAnchors:
    """Embedded example questions (built by ingest from knowledge/scope/examples.yaml)."""

    in_scope: np.ndarray
    out_of_scope: np.ndarray

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, in_scope=self.in_scope, out_of_scope=self.out_of_scope)

    @classmethod
    def load(cls, path: Path) -> ScopeAnchors:
        data = np.load(path)
        return cls(data["in_scope"], data["out_of_scope"])

    @classmethod
    def empty(cls, dim: int = 384) -> ScopeAnchors:
        return cls(np.zeros((0, dim), np.float32), np.zeros((0, dim), np.float32))
