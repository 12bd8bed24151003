"""The layers (docs/architecture.md), checked by parsing every import of the source tree:
adapters (bot.telegram, bot.terminal) → features (bot.core) → lower layer (bot.knowledge),
with ingest beside core on the lower layer."""

from __future__ import annotations

import ast

import pytest

from tests.unit.source_imports import imports_of, module_name, reaches, source_files

RULES = {
    "ingest": ("bot.core", "bot.telegram", "bot.terminal"),
    "bot/core": ("telegram", "bot.telegram", "bot.terminal", "ingest"),
    "bot/knowledge": ("bot.core", "bot.telegram", "bot.terminal", "ingest", "telegram"),
}


@pytest.mark.parametrize("package", list(RULES))
def test_no_import_crosses_a_layer(package):
    crossings = [
        f"{module_name(path)} imports {name}"
        for path in source_files(package)
        for name in sorted(imports_of(path))
        if any(reaches(name, forbidden) for forbidden in RULES[package])
    ]
    assert crossings == []


def test_core_returns_data_and_never_prints():
    printing = [
        f"{module_name(path)}:{node.lineno}"
        for path in source_files("bot/core")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print"
    ]
    assert printing == []


def test_the_checker_sees_relative_and_nested_imports(tmp_path, monkeypatch):
    import tests.unit.source_imports as source_imports

    package = tmp_path / "bot" / "core" / "quiz"
    package.mkdir(parents=True)
    module = package / "service.py"
    module.write_text(
        "from ..store import Store\ndef f():\n    import telegram.ext\n    from . import srs\n"
    )
    monkeypatch.setattr(source_imports, "PROJECT_ROOT", tmp_path)
    names = imports_of(module)
    assert {"bot.core.store.Store", "telegram.ext", "bot.core.quiz.srs"} <= names
    assert reaches("telegram.ext", "telegram") and not reaches("telegramx", "telegram")
