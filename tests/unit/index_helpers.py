"""Real index directories built by the real ingest on tiny articles (fast to build and edit)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from bot.config import PROJECT_ROOT, get_settings
from ingest.pipeline import run_ingest

KAGGLE = """---
title: Kaggle for Interns
---

# Kaggle for Interns

## Is Kaggle worth it?

Kaggle competitions are worth it for an internship search when you write up what you tried.
A notebook with a clear write-up shows recruiters how you reason about data.
"""

MEETUPS = """---
title: Meetups for Interns
---

# Meetups for Interns

## Networking at meetups

Go to local machine learning meetups and talk to the speakers after their talks.
A short follow-up message after a meetup often turns into an internship referral.
"""


def tiny_settings(root: Path, **overrides):
    """A knowledge dir with one article (plus the shipped glossary and scope examples)."""
    knowledge = root / "knowledge"
    (knowledge / "articles").mkdir(parents=True)
    (knowledge / "articles" / "kaggle.md").write_text(KAGGLE)
    (knowledge / "scope").mkdir()
    shutil.copy(PROJECT_ROOT / "knowledge/scope/examples.yaml", knowledge / "scope")
    shutil.copy(PROJECT_ROOT / "knowledge/glossary.yaml", knowledge)
    return get_settings(
        CAREERBOT_DATA_DIR=root / "data", CAREERBOT_KNOWLEDGE_DIR=knowledge, **overrides
    )


def ingest(settings, embedder):
    summary = run_ingest(settings, lambda: embedder, progress=False, build_onnx=False)
    assert summary.errors == []
    return summary


def snapshot(root: Path) -> dict[str, str]:
    """Every file under `root` with a hash of its bytes: "nothing written" is this unchanged."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def copy_index(settings, root: Path):
    """The same knowledge and data dirs under `root`: a copy a test may edit or break."""
    shutil.copytree(settings.knowledge_dir, root / "knowledge")
    shutil.copytree(settings.data_dir, root / "data")
    return get_settings(
        CAREERBOT_DATA_DIR=root / "data", CAREERBOT_KNOWLEDGE_DIR=root / "knowledge"
    )
