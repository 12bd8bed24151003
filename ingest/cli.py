"""`python -m ingest` / `careerbot ingest`: run the pipeline and report, one line per problem."""

from __future__ import annotations

import json
import logging
import sys

from bot.config import Settings
from bot.knowledge.index import IndexProblem, chroma_client, other_format_collections
from ingest.pipeline import IngestSummary, index_is_stale, run_ingest


def prune_other_formats(settings: Settings) -> list[str]:
    """Delete this deployment's collections of other index formats (only when asked to)."""
    client = chroma_client(settings)
    names = other_format_collections(client, settings)
    for name in names:
        client.delete_collection(name)
    return names


def _report(summary: IngestSummary, as_json: bool, reload_seconds: float) -> None:
    if as_json:
        data = summary.to_json()
        for extra in ("errors", "embedded", "other_formats", "quiz_figures"):
            data.pop(extra)
        print(json.dumps(data))
    else:
        print(
            f"added {summary.added}, updated {summary.updated}, deleted {summary.deleted}, "
            f"unchanged {summary.unchanged} passages in {summary.seconds:.1f}s; a running "
            f"careerbot serves them within {reload_seconds:g}s"
        )
        if summary.quiz_figures:
            print("quiz bank (what a guesser gains; see bot/knowledge/bank_lint.py):")
            print("\n".join(f"  {line}" for line in summary.quiz_figures))
    for error in summary.errors:
        print(f"skipped {error}", file=sys.stderr)
    if summary.other_formats:
        print(
            f"kept the collections of another index format: {', '.join(summary.other_formats)} "
            "(for a rollback; `careerbot ingest --prune-old` deletes them)",
            file=sys.stderr,
        )


def ingest_main(argv: list[str] | None = None) -> int:
    """`python -m ingest [--json] [--if-stale] [--prune-old]`."""
    import argparse

    from bot.config import get_settings
    from bot.knowledge.embedder import SentenceTransformerEmbedder

    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON summary object")
    parser.add_argument(
        "--if-stale", action="store_true", help="do nothing if the index is current"
    )
    parser.add_argument(
        "--prune-old",
        action="store_true",
        help="only delete the collections of other index formats (after a release is settled)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    try:
        if args.prune_old:
            pruned = prune_other_formats(settings)
            print(f"deleted {', '.join(pruned)}" if pruned else "no collections of other formats")
            return 0
        if args.if_stale and not index_is_stale(settings):
            if not args.json:
                print("index is up to date")
            return 0
        summary = run_ingest(
            settings, SentenceTransformerEmbedder, progress=None if not args.json else False
        )
    except IndexProblem as exc:
        print(f"ingest: {exc}", file=sys.stderr)
        return 2
    _report(summary, args.json, settings.index_check_seconds)
    return 0
