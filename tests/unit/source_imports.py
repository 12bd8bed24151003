"""What the project's own source files import, read from their syntax trees (nothing runs)."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.config import PROJECT_ROOT


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Dotted names imported anywhere in the file (inside functions too; relative ones
    resolved), each with its parents: `from bot.core.store import Store` gives bot.core.store
    and bot.core.store.Store, which `reaches` matches by prefix."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def reaches(name: str, forbidden: str) -> bool:
    return name == forbidden or name.startswith(forbidden + ".")


def source_files(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (PROJECT_ROOT / package).rglob("*.py"))
