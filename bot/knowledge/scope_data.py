"""Questions labelled in or out of scope, each with the group it is held out with.

The scope judge is fitted on these (at ingest) and cross-validated on them
(benchmarks/scope_cv.py): the scope examples by family (the comment above them), the answer
cards' phrasings by card, and the development sets (knowledge/eval/dev.yaml by source page or
section, knowledge/eval/questions.yaml by family). The held-out test set is never read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.knowledge.text import mostly_latin
from bot.knowledge.yaml_io import read_yaml

EXAMPLES = Path("scope/examples.yaml")
DEV = Path("eval/dev.yaml")
LEGACY = Path("eval/questions.yaml")
SECTION_KEY = re.compile(r"^(\w+):\s*$")


@dataclass(frozen=True)
class Labelled:
    text: str
    in_scope: bool
    group: str  # held out together in cross-validation
    source: str  # "examples", "cards", "dev" or "legacy"
    kind: str = ""  # the development sets' kind: real, paraphrase, broad, off_topic


def _families(path: Path, item_prefix: str) -> list[tuple[str, str, str]]:
    """(top-level key, family comment, item line) for each list item, in file order."""
    key, family, out = "", "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        match = SECTION_KEY.match(line)
        if match:
            key, family = match.group(1), ""
        elif stripped.startswith("#") and key:
            family = stripped.strip("#- ").strip() or family
        elif stripped.startswith(item_prefix) and key:
            out.append((key, family, stripped))
    return out


def example_questions(knowledge_dir: Path) -> list[Labelled]:
    """knowledge/scope/examples.yaml: in_scope, out_of_scope and smalltalk, grouped by family."""
    path = knowledge_dir / EXAMPLES
    if not path.exists():
        return []
    out = []
    for key, family, line in _families(path, "- "):
        text = yaml.safe_load(line[2:])
        if isinstance(text, str) and key in ("in_scope", "out_of_scope", "smalltalk"):
            out.append(Labelled(text, key == "in_scope", f"examples:{key}:{family}", "examples"))
    return out


def card_phrasings(knowledge_dir: Path) -> list[Labelled]:
    """Every answer card's phrasings (in scope), grouped by card."""
    out = []
    for path in sorted((knowledge_dir / "cards").glob("*.yaml")):
        data = read_yaml(path) or {}
        overview = data.get("overview") or {}
        for text in overview.get("phrasings", []):
            out.append(Labelled(str(text), True, f"cards:{path.stem}:overview", "cards"))
        for card in data.get("cards") or []:
            for text in card.get("phrasings", []):
                out.append(
                    Labelled(str(text), True, f"cards:{path.stem}:{card.get('id')}", "cards")
                )
    return out


def dev_questions(knowledge_dir: Path) -> list[Labelled]:
    """knowledge/eval/dev.yaml: real ones grouped by page, paraphrases by section."""
    path = knowledge_dir / DEV
    if not path.exists():
        return []
    out = []
    for item in (read_yaml(path) or {}).get("questions", []):
        kind = item.get("kind")
        if kind == "gibberish" or not mostly_latin(str(item["q"])):
            continue  # its words never reach the judge: the term bridge's English, or none
        inside = kind != "off_topic" and item.get("coverage") != "uncovered"
        if kind == "real":
            group = f"dev:page:{item.get('source')}"
        elif inside:
            group = f"dev:{kind}:{(item.get('sections') or [''])[0]}"
        else:
            group = f"dev:{kind}:{item['q']}"
        out.append(Labelled(str(item["q"]), inside, group, "dev", kind))
    return out


def legacy_questions(knowledge_dir: Path) -> list[Labelled]:
    """knowledge/eval/questions.yaml: in_scope / out_of_scope, grouped by family comment."""
    path = knowledge_dir / LEGACY
    if not path.exists():
        return []
    data = read_yaml(path) or {}
    families = iter(_families(path, "- q:"))
    out = []
    for key in ("in_scope", "out_of_scope"):
        for item in data.get(key, []):
            _, family, _ = next(families)
            group, kind = (
                f"legacy:{key}:{family}",
                "paraphrase" if key == "in_scope" else "off_topic",
            )
            out.append(Labelled(str(item["q"]), key == "in_scope", group, "legacy", kind))
    return out


def labelled_questions(knowledge_dir: Path) -> list[Labelled]:
    """Everything labelled for development, in a fixed order."""
    return (
        example_questions(knowledge_dir)
        + card_phrasings(knowledge_dir)
        + dev_questions(knowledge_dir)
        + legacy_questions(knowledge_dir)
    )
