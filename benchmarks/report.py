"""docs/benchmarks.md and its plots, from benchmarks/results/*.json (no measuring here)."""

from __future__ import annotations

import json
from pathlib import Path

import common

DOC = common.ROOT / "docs" / "benchmarks.md"
LATENCY_PNG = common.ROOT / "docs" / "bench_answer_latency.png"
SCALE_PNG = common.ROOT / "docs" / "bench_scale_query.png"
LOAD_PNG = common.ROOT / "docs" / "bench_latency_vs_load.png"


def load(name: str) -> dict | None:
    path = common.RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def ms(value: float) -> str:
    """Milliseconds to a sensible precision (the noise is far larger than 3 decimals)."""
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def provenance(data: dict) -> str:
    start, end = data["loadavg_start"], data["loadavg_end"]
    return (
        f"Command: `{data['command']}` — run {data['date']}, took {data['seconds']} s; "
        f"1-min load average {start[0]} at start, {end[0]} at end (on {data['machine']['usable_cores']} cores)."
    )


def plot_latency(data: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    backends = data["backends"]
    fig, axes = plt.subplots(
        1, len(backends), figsize=(5 * len(backends), 3.8), squeeze=False, sharex=True
    )
    for ax, (name, row) in zip(axes[0], backends.items()):
        values = row["samples_answer_ms"] + row["samples_floor_ms"]
        bins = np.geomspace(max(min(values), 0.1), max(values), 40)
        ax.hist(
            row["samples_floor_ms"], bins=bins, alpha=0.6, label="floor: embed + 1 Chroma query"
        )
        ax.hist(row["samples_answer_ms"], bins=bins, alpha=0.6, label="full answer")
        for key, style in (("p50", "--"), ("p95", ":")):
            ax.axvline(row["answer_ms"][key], color="C1", linestyle=style, label=f"answer {key}")
        ax.set_xscale("log")
        ax.set_xlabel("milliseconds (log scale)")
        ax.set_ylabel("questions")
        ax.set_title(f"{name}\n{row['rounds']} rounds x {row['questions']} questions", fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(LATENCY_PNG, dpi=110)
    plt.close(fig)


def plot_scale(data: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [row["passages"] for row in data["sizes"]]
    fig, ax = plt.subplots(figsize=(6, 4))
    for key, label, color in (
        ("dense_ms", "Chroma HNSW query (k=12)", "C0"),
        ("bm25_ms", "BM25 scores + argsort", "C2"),
    ):
        ax.plot(
            sizes,
            [row[key]["p50"] for row in data["sizes"]],
            "o-",
            color=color,
            label=f"{label} p50",
        )
        ax.plot(
            sizes,
            [row[key]["p95"] for row in data["sizes"]],
            "s--",
            color=color,
            label=f"{label} p95",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("passages in the index")
    ax.set_ylabel("milliseconds per query")
    ax.set_title("Query latency vs corpus size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(SCALE_PNG, dpi=110)
    plt.close(fig)


def section_latency(d: dict) -> list[str]:
    plot_latency(d)
    rows = []
    for name, r in d["backends"].items():
        a, f = r["answer_ms"], r["floor_ms"]
        rows.append(
            [
                name,
                r["rounds"] * r["questions"],
                ms(a["p50"]),
                ms(a["p95"]),
                ms(a["max"]),
                ms(f["p50"]),
                ms(f["p95"]),
                f"{r['ratio_p95_to_floor_p95']}x",
            ]
        )
    return [
        "## Answer latency (model loaded)",
        "",
        provenance(d),
        "",
        table(
            [
                "query embedder",
                "answers",
                "answer p50 ms",
                "answer p95 ms",
                "answer max ms",
                "floor p50 ms",
                "floor p95 ms",
                "answer p95 / floor p95",
            ],
            rows,
        ),
        "",
        "Answer = `AnswerService.answer(q)` → `Answer.latency_ms` over every eval question, after a "
        "warm-up round. Floor = one query embedding + one Chroma query (k=12) on the passages "
        "collection, measured interleaved with the answers in the same run. "
        f"ONNX runs with {d['onnx_intra_op_threads']} intra-op thread(s), no spinning (the bot's setting); "
        f"sentence-transformers with torch's default {d['torch_threads']} threads, and again with 1: "
        "on a busy machine torch's threads wait for each other at every op, which the 1-thread "
        "row separates from the model's own cost.",
        "",
        f"![answer latency histogram]({LATENCY_PNG.name})",
        "",
    ]


def section_cold(d: dict) -> list[str]:
    rows = []
    for name, r in d["backends"].items():
        m = r["median"]
        seconds = [
            f"{m[k]:.2f}"
            for k in (
                "total_to_first_answer_s",
                "interpreter_start_s",
                "imports_s",
                "load_model_s",
                "open_service_s",
                "first_answer_s",
            )
        ]
        rows.append(
            [
                f"{name} ({r['embedder']})",
                seconds[0],
                f"{r['min_total_s']:.2f}–{r['max_total_s']:.2f}",
                *seconds[1:],
                m["peak_rss_mb"],
                "yes" if r["torch_imported"] else "no",
            ]
        )
    return [
        "## Cold start (fresh interpreter → first answer)",
        "",
        provenance(d),
        "",
        table(
            [
                "path",
                "total s (median)",
                "range s",
                "interpreter s",
                "imports s",
                "load model s",
                "open service s",
                "first answer s",
                "peak RSS MiB",
                "torch imported",
            ],
            rows,
        ),
        "",
        f"Medians of {d['runs_per_backend']} runs per path, alternating; the clock starts just before "
        f"the parent spawns the child. First question: “{d['question']}”. The model files are in the "
        "page cache (ingest just read them): this is a cold process, not a cold disk. “Imports” are "
        "the bot's own modules; “load model” is `load_query_embedder`, which imports onnxruntime or "
        "torch + sentence-transformers and loads the weights.",
        "",
    ]


def section_ingest(d: dict) -> list[str]:
    rows = []
    for key, label in (
        ("shipped_cold", "shipped corpus, cold (model load + ONNX export)"),
        ("shipped_warm", "shipped corpus, model loaded, no ONNX export"),
        ("synthetic", f"synthetic, {d['synthetic'].get('articles')} articles, model loaded"),
    ):
        r = d[key]
        rows.append(
            [
                label,
                r["added"],
                r["embedded"],
                f"{r['seconds']:.1f}",
                r["embedded_per_s"],
                r["passages_per_s"],
                f"{r['model_seconds']:.1f}" if "model_seconds" in r else "—",
            ]
        )
    again = [
        [label, r["added"], r["updated"], r["deleted"], r["unchanged"], r["embedded"], r["seconds"]]
        for label, r in (
            ("shipped corpus", d["shipped_reingest"]),
            ("synthetic corpus", d["synthetic_reingest"]),
        )
    ]
    return [
        "## Ingest throughput",
        "",
        provenance(d),
        "",
        table(
            [
                "run",
                "passages",
                "vectors (passages + sentences)",
                "seconds",
                "vectors/s",
                "passages/s",
                "of which in the model s",
            ],
            rows,
        ),
        "",
        "Re-ingest of an unchanged corpus (must embed nothing):",
        "",
        table(["corpus", "added", "updated", "deleted", "unchanged", "embedded", "seconds"], again),
        "",
        f"Torch used {d['torch_threads']} threads. “In the model” is time inside `embed_documents` "
        "(it includes the scope anchors, which `embedded` does not count); the rest is parsing, "
        "chunking, Chroma writes, BM25 and the manifest.",
        "",
    ]


def section_scale(d: dict) -> list[str]:
    plot_scale(d)
    rows = [
        [
            f"{r['passages']:,}",
            ms(r["dense_ms"]["p50"]),
            ms(r["dense_ms"]["p95"]),
            ms(r["bm25_ms"]["p50"]),
            ms(r["bm25_ms"]["p95"]),
            f"{r['inserts_per_s']:,.0f}",
            r["bm25_build_s"],
        ]
        for r in d["sizes"]
    ]
    notes = [f"- {n}" for n in d["notes"]]
    return [
        "## Query latency vs corpus size",
        "",
        provenance(d),
        "",
        table(
            [
                "passages",
                "Chroma p50 ms",
                "Chroma p95 ms",
                "BM25 p50 ms",
                "BM25 p95 ms",
                "Chroma inserts/s",
                "BM25 build s",
            ],
            rows,
        ),
        "",
        *notes,
        *([""] if notes else []),
        f"{d['rounds']} rounds x {d['queries']} eval questions per size after a warm-up round. Chroma: "
        f"persistent client, cosine HNSW, ids + 384-d vectors only (perturbed real vectors, noise "
        f"{d['noise_per_dim']}/dim), `query(n_results={d['n_results']}, include=['distances'])`. "
        "BM25: `KeywordIndex.build` + `scores()` + argsort on synthetic passages made of seed-article "
        "sentences (tiny vocabulary, long postings: pessimistic).",
        "",
        f"![latency vs corpus size]({SCALE_PNG.name})",
        "",
    ]


def section_memory(d: dict) -> list[str]:
    rows = [
        [name.replace("_", " "), v["VmRSS"], v["VmHWM"]] for name, v in d["checkpoints"].items()
    ]
    return [
        "## Memory (ONNX answer path)",
        "",
        provenance(d),
        "",
        table(["checkpoint", "RSS MiB", "peak RSS MiB"], rows),
        "",
        f"A fresh process opens the AnswerService on {d['embedder']} and answers {d['answers']:,} "
        f"eval questions (cycled) in {d['answer_seconds']} s: RSS {d['rss_after_open_mb']} MiB after "
        f"open, {d['rss_after_answers_mb']} MiB after the {d['answers']:,} "
        f"(+{d['growth_over_answers_mb']} MiB since the first answer). "
        f"torch imported: {'yes' if d['torch_imported'] else 'no'}.",
        "",
    ]


def section_bot_memory(d: dict) -> list[str]:
    rows = [
        [name.replace("_", " "), v["VmRSS"], v["VmHWM"]] for name, v in d["checkpoints"].items()
    ]
    if "burst" in d:  # the same 1,000 questions all at once, in a fresh process
        point = d["burst"]["checkpoints"]["after_1000_questions"]
        rows.append(["after 1000 questions at once (burst)", point["VmRSS"], point["VmHWM"]])
    return [
        "## Memory of the whole bot process",
        "",
        provenance(d),
        "",
        table(["checkpoint", "RSS MiB", "peak RSS MiB"], rows),
        "",
        "`build_application` (store, quiz and interview banks, ONNX, Chroma, PTB) and 1,000 "
        f"distinct questions through `Services.ask`; embedder {d['embedder']}, torch imported: "
        f"{'yes' if d['torch_imported'] else 'no'}.",
        "",
    ]


def section_memory_levers(d: dict) -> list[str]:
    rows = [
        [name, *(f"{v['median'][k]:.1f}" for k in ("after_build", "after_burst", "peak"))]
        for name, v in d["variants"].items()
    ]
    return [
        "## Memory levers, one at a time",
        "",
        provenance(d),
        "",
        table(["variant", "after build MiB", "after burst MiB", "peak MiB"], rows),
        "",
        "The burst of `bot_memory.py` (1,000 distinct questions at once) with one lever undone, "
        "or one setting tried and not kept; medians of fresh interpreters.",
        "",
    ]


def plot_load(sweep: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    offered = [row["offered_per_second"] for row in sweep]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for key, style in (("p50", "o-"), ("p95", "s--")):
        left.plot(offered, [row["latency_ms"][key] for row in sweep], style, label=key)
    left.set_yscale("log")
    left.set_xlabel("questions per second offered (limiter off)")
    left.set_ylabel("question → answer, ms (log scale)")
    left.legend()
    left.set_title("latency vs load", fontsize=9)
    right.plot(
        offered, [row["answered"] / row["drain_seconds"] for row in sweep], "o-", label="answered"
    )
    right.plot(offered, offered, ":", color="grey", label="offered")
    right.set_xlabel("questions per second offered")
    right.set_ylabel("answers per second")
    right.legend()
    right.set_title("throughput", fontsize=9)
    fig.tight_layout()
    fig.savefig(LOAD_PNG, dpi=110)
    plt.close(fig)


def section_load_sweep(sweep: list[dict]) -> list[str]:
    plot_load(sweep)
    rows = [
        [
            row["offered_per_second"],
            f"{row['answered']}/{row['questions']}",
            "yes" if row["exactly_once"] else "NO",
            round(row["answered"] / row["drain_seconds"], 1),
            ms(row["latency_ms"]["p50"]),
            ms(row["latency_ms"]["p95"]),
            ms(row["latency_ms"]["max"]),
        ]
        for row in sweep
    ]
    return [
        "### Latency vs load",
        "",
        table(
            ["offered q/s", "answered", "exactly once", "answered/s", "p50 ms", "p95 ms", "max ms"],
            rows,
        ),
        "",
        "Eval questions from 50 users, spread evenly over 5 s per level, limiter off (the bot's "
        "own capacity; Telegram's ~30 msg/s is the limiter's job). Past the bot's capacity the "
        "queue grows for the rest of the level and latency with it.",
        "",
        f"![latency vs load]({LOAD_PNG.name})",
        "",
    ]


def section_bot_load(d: dict) -> list[str]:
    names = {
        "users50x20": "50 users x 20 questions at once, limiter off",
        "burst100x10": "burst: 100 users x 10 at once, limiter off (eval questions, repeats)",
        "burst100x10_unique": "burst: 100 users x 10 at once, limiter off (all unique)",
        "sustained20qps": "sustained: 20 questions/s from 100 users for 20 s, limiter 30/s",
    }

    def floor(k: str) -> list:
        f = d[k].get("floor")
        if not f:
            return ["–", "–"]
        return [f"{f['seconds']} ({f['distinct_questions']} distinct)", f["answers_per_second"]]

    rows = [
        [
            label,
            f"{d[k]['answered']}/{d[k]['questions']}",
            "yes" if d[k]["exactly_once"] else "NO",
            d[k]["drain_seconds"],
            d[k]["answers_per_second"],
            *floor(k),
            ms(d[k]["latency_ms"]["p50"]),
            ms(d[k]["latency_ms"]["p95"]),
        ]
        for k, label in names.items()
        if k in d
    ]
    return [
        "## The bot under load (real application, fake Bot API)",
        "",
        provenance(d),
        "",
        table(
            [
                "scenario",
                "answered",
                "exactly once",
                "drained s",
                "answers/s",
                "floor s",
                "floor answers/s",
                "p50 ms",
                "p95 ms",
            ],
            rows,
        ),
        "",
        "Floor, measured in the same run without Telegram: each distinct question of the burst "
        "embedded once (batches of 64, both cores) plus one Chroma search per question. For the "
        "all-unique burst the floor alone is the model's cost on this machine.",
        "",
        "Latency: from the update being queued at the fake Bot API to the answer reaching it. The "
        "fake and its simulated users run in a second process (Telegram is never in the bot's "
        "process), so on this 2-core machine they take one core's worth of CPU from the bot. "
        f"Peak RSS of the bot process (which also built the index with sentence-transformers "
        f"first): {d['memory']['peak_rss_mb']} MiB.",
        "",
        *(section_load_sweep(d["load_sweep"]) if d.get("load_sweep") else []),
    ]


SECTIONS = (
    ("answer_latency", section_latency),
    ("cold_start", section_cold),
    ("ingest_throughput", section_ingest),
    ("scale_query", section_scale),
    ("memory", section_memory),
    ("bot_memory", section_bot_memory),
    ("memory_levers", section_memory_levers),
    ("bot_load", section_bot_load),
)


def machine_lines(m: dict) -> list[str]:
    simd = ", ".join(m.get("cpu_simd", [])) or "SIMD flags not recorded"
    rows = [
        ["CPU", f"{m['cpu']} ({simd})"],
        ["cores", f"{m['usable_cores']} usable of {m['cores']}"],
        ["RAM", f"{m['ram_gib']} GiB"],
        ["OS", m["os"]],
        ["Python", m["python"]],
        ["torch", m["torch"]],
        ["onnxruntime", m["onnxruntime"]],
        ["chromadb", m["chromadb"]],
        ["sentence-transformers", m["sentence_transformers"]],
        ["bm25s", m["bm25s"]],
    ]
    return [table(["machine", ""], rows), ""]


def write_doc(status: dict[str, str] | None = None) -> Path:
    status = status or {}
    results = {name: load(name) for name, _ in SECTIONS}
    first = next((r for r in results.values() if r), None)
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`.venv/bin/python benchmarks/run_all.py`) from "
        "`benchmarks/results/*.json`; each section names the script that produced it. Every "
        "script builds its own index in a temp dir (never `./data`).",
        "",
        "**Caveat:** these figures were taken on a machine shared with other test runs; the load "
        "averages beside each section show how busy it was. Treat them as a first, noisy "
        "baseline, not as tuned numbers.",
        "",
    ]
    if first:
        dates = sorted(r["date"] for r in results.values() if r)
        lines += [
            f"Measured between {dates[0]} and {dates[-1]} (UTC) on (as recorded by the scripts):",
            "",
            *machine_lines(first["machine"]),
        ]
    for name, render in SECTIONS:
        data = results[name]
        if data is None:
            lines += [f"## {name}", "", f"No result yet ({status.get(name, 'not run')}).", ""]
            continue
        lines += render(data)
        if name in status and status[name] != "ok":
            lines += [
                f"> This run of `{name}` failed ({status[name]}); the figures above are from "
                f"the earlier run dated {data['date']}.",
                "",
            ]
    DOC.write_text("\n".join(lines))
    return DOC


if __name__ == "__main__":
    print(write_doc())
