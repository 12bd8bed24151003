"""`careerbot eval`: answer quality per set and kind, next to a naive RAG comparator."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from bot.config import Settings
from bot.core.answers.evaluation import evaluate_sets, load_questions
from bot.terminal.gaps_report import print_knowledge_gaps

# name → (file under knowledge/eval, held out?). The held-out sets are only ever scored here,
# reported apart and as aggregates only (no misses): test (the first split), test2 (real questions
# collected later, split the same way), test3 (a fifth collection kept whole; knowledge/eval/README.md).
SETS = {
    "dev": ("dev.yaml", False),
    "legacy": ("questions.yaml", False),  # the older set: tuned on, so development too
    "test": ("test.yaml", True),
    "test2": ("test2.yaml", True),
    "test3": ("test3.yaml", True),
}
KIND_ORDER = ("real", "paraphrase", "broad", "off_topic", "gibberish", "all")


def load_sets(settings: Settings, names: list[str], extra: Path | None) -> dict:
    sets = {}
    for name in names:
        filename, _ = SETS[name]
        path = settings.knowledge_dir / "eval" / filename
        if path.exists():
            sets[name] = load_questions(path)
    if extra is not None:
        sets[extra.stem] = load_questions(extra)
    return sets


def is_held_out(name: str) -> bool:
    return SETS.get(name, ("", False))[1]


SCOPE_NEIGHBOURS = ("dev", "legacy")  # read by ingest (bot/knowledge/scope_data.py)


def sets_with_misses(names: Iterable[str], show_misses: bool) -> set[str]:
    """Misses (question and reply) are listed for development sets only, and only when asked."""
    return {n for n in names if show_misses and not is_held_out(n)}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def print_report(report: dict) -> None:
    for name, entry in report["sets"].items():
        held_out = is_held_out(name)
        label = "HELD OUT: aggregates only" if held_out else "development: tuned on"
        print(f"\n== {name} ({entry['questions']} questions; {label}) ==")
        if name in SCOPE_NEIGHBOURS:
            print(
                "(its questions are the scope judge's neighbours: declines here are recalled, "
                "not judged; benchmarks/scope_cv.py measures scope)"
            )
        print(
            f"{'kind':<11}{'n':>4} | {'passage cited':>15} | {'key facts ≤1600':>17} | "
            f"{'uncovered declined':>19} | {'wrongly declined':>16} | {'lede shown':>10}"
        )
        print(f"{'':<15} | {'bot  naive':>15} | {'bot    naive':>17} | {'':>19} | {'':>16} |")
        ours, theirs = entry["careerbot"], entry["naive_rag"]
        for kind in KIND_ORDER:
            if kind not in ours:
                continue
            a, b = ours[kind], theirs[kind]
            declined = f"{a['declined']}/{a['uncovered']}" if a["uncovered"] else "—"
            wrong = f"{a['wrongly_declined']}/{a['answerable']}" if a["answerable"] else "—"
            print(
                f"{kind:<11}{a['questions']:>4} | "
                f"{_pct(a['passage_in_sources']):>6} {_pct(b['passage_in_sources']):>6}   | "
                f"{_pct(a['key_facts_within_limit']):>6} {_pct(b['key_facts_within_limit']):>8}   | "
                f"{declined:>19} | {wrong:>16} | {a['lede_shown']:>10}"
            )
        for miss in entry.get("misses", []):
            print(f"  ✗ {miss['q'][:90]!r}: {', '.join(miss['problems'])}")


def run_eval(
    settings: Settings,
    questions_path: Path | None,
    as_json: bool = False,
    sets: list[str] | None = None,
    show_misses: bool = False,
) -> int:
    from bot.core.answers.service import AnswerService
    from bot.knowledge.onnx_embedder import load_query_embedder

    embedder = load_query_embedder(settings.index_dir, settings.embedder)
    service = AnswerService.open(settings, embedder)
    names = sets if sets is not None else list(SETS)
    loaded = load_sets(settings, names, questions_path)
    report = evaluate_sets(service, loaded, sets_with_misses(loaded, show_misses))
    for name, entry in report["sets"].items():
        entry["held_out"] = is_held_out(name)
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(report)
        print_knowledge_gaps(settings)
    return 0
