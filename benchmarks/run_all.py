"""`make bench`: every benchmark in its own fresh interpreter, then docs/benchmarks.md.

Usage: run_all.py [--only NAME ...] [--docs-only]. Each script has a hard timeout; a failed or
timed-out script is reported and the others still run (its section keeps any earlier figures,
flagged as such).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import common
import report

# name -> hard timeout in seconds (each script also bounds itself well below this)
BENCHMARKS = {
    "answer_latency": 900,
    "cold_start": 600,
    "ingest_throughput": 900,
    "scale_query": 900,
    "memory": 600,
    "bot_memory": 600,
    "memory_levers": 900,
    "bot_load": 900,
}


def run_one(name: str, timeout: int) -> str:
    script = common.ROOT / "benchmarks" / f"{name}.py"
    print(f"\n=== {name} (timeout {timeout}s) ===", flush=True)
    started = time.perf_counter()
    try:
        # Sequential on purpose: two benchmarks at once would measure each other.
        done = subprocess.run([sys.executable, str(script)], cwd=common.ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout}s"
    took = time.perf_counter() - started
    return "ok" if done.returncode == 0 else f"exit code {done.returncode} after {took:.0f}s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run just these")
    parser.add_argument(
        "--docs-only", action="store_true", help="only re-render docs/benchmarks.md"
    )
    args = parser.parse_args(argv)
    status: dict[str, str] = {}
    if not args.docs_only:
        for name in args.only or BENCHMARKS:
            status[name] = run_one(name, BENCHMARKS[name])
    path = report.write_doc(status)
    print(f"\nwrote {path.relative_to(common.ROOT)}")
    for name, state in status.items():
        print(f"  {name:<18} {state}")
    return 0 if all(state == "ok" for state in status.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
