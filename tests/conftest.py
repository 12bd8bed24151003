"""Session-wide fixtures: the embedding model loads once per test session."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def embedder():
    """The reference sentence-transformers embedder (bundled offline model)."""
    from bot.core.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()
