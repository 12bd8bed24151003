"""Students' informal words and abbreviations, rewritten into the articles' vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

from bot.knowledge.yaml_io import read_yaml

EXPANSION_CACHE_SIZE = 4_096  # sentences and recent questions; cleared whole when full


class Glossary:
    """Whole-word, case-insensitive rewrite of a question (longest phrases first)."""

    def __init__(self, entries: dict[str, str]) -> None:
        self._entries = {
            k.lower(): str(v) for k, v in entries.items() if str(v).lower() != k.lower()
        }
        self._cache: dict[str, str] = {}
        terms = sorted(self._entries, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in terms) + r")(?![\w-])", re.I)
            if terms
            else None
        )

    @classmethod
    def load(cls, path: Path) -> Glossary:
        if not path.exists():
            return cls({})
        data = read_yaml(path) or {}
        return cls({str(k): str(v) for k, v in data.items()})

    def expand(self, question: str) -> str:
        if self._pattern is None:
            return question
        # The article's sentences are expanded for every answer that quotes them: remember them.
        cached = self._cache.get(question)
        if cached is None:
            cached = self._pattern.sub(lambda m: self._entries[m.group(1).lower()], question)
            if len(self._cache) >= EXPANSION_CACHE_SIZE:
                self._cache.clear()
            self._cache[question] = cached
        return cached

    def annotate(self, question: str) -> str:
        """The question followed by its rewritten form: what gets embedded (keeps both wordings)."""
        expanded = self.expand(question)
        return question if expanded == question else f"{question} ({expanded})"
