"""Honest dependencies: what pyproject.toml declares is imported, what is imported is declared
and pinned, and requirements.lock (what `make` installs) agrees with both."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from bot.config import PROJECT_ROOT
from tests.unit.source_imports import imports_of, source_files

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
OWN = {"bot", "ingest", "tests", "benchmarks", "common", "report"}  # benchmarks' own modules
# Declared without an import, each for a reason:
NOT_IMPORTED = {
    "tzdata": "zoneinfo's time-zone database where the system has none",
    "psycopg": "the PostgreSQL driver SQLAlchemy loads for postgresql+psycopg:// URLs",
    "pytest-timeout": "a pytest plugin: the per-test timeout in pyproject.toml",
    "ruff": "a tool: make test runs ruff check and ruff format --check",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: list[str]) -> dict[str, str]:
    """{name: version} of `name[extras]==version` lines; an unpinned one maps to ""."""
    found = {}
    for line in requirements:
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*(?:==\s*([^\s;]+))?", line)
        if match:
            found[canonical(match[1])] = match[2] or ""
    return found


RUNTIME = pins(PYPROJECT["project"]["dependencies"])
TEST = pins(PYPROJECT["project"]["optional-dependencies"]["test"])


def distributions_imported_by(*packages: str) -> dict[str, set[str]]:
    """{distribution: files importing it} for the third-party imports of these packages."""
    owners = packages_distributions()
    found: dict[str, set[str]] = {}
    for path in source_files(*packages):
        for name in imports_of(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names or top in OWN:
                continue
            for distribution in owners.get(top, [f"<no distribution for {top}>"]):
                found.setdefault(canonical(distribution), set()).add(path.name)
    return found


def test_everything_the_code_imports_is_declared_and_pinned():
    runtime = distributions_imported_by("bot", "ingest")
    assert sorted(set(runtime) - set(RUNTIME)) == []
    tests = distributions_imported_by("tests", "benchmarks")
    assert sorted(set(tests) - set(RUNTIME) - set(TEST)) == []
    assert [name for name, version in {**RUNTIME, **TEST}.items() if not version] == []


def test_every_declared_package_is_imported_or_has_a_reason():
    runtime = distributions_imported_by("bot", "ingest")
    tests = distributions_imported_by("tests", "benchmarks")
    assert sorted(set(RUNTIME) - set(runtime) - set(NOT_IMPORTED)) == []
    assert sorted(set(TEST) - set(tests) - set(NOT_IMPORTED)) == []


def test_the_lock_pins_what_pyproject_pins_and_no_cuda():
    lock = pins((PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines())
    assert all(version for version in lock.values())  # every line pinned
    for name, version in {**RUNTIME, **TEST}.items():
        assert lock.get(name, "").split("+")[0] == version, name  # torch is 2.13.0+cpu
    assert lock["torch"] == "2.13.0+cpu"
    assert [name for name in lock if name.startswith(("nvidia", "triton"))] == []
    assert "careerbot" not in lock  # installed from the work tree with --no-deps
