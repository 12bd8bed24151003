"""Résumé review on the project's own fixture set (tests/fixtures/): what the review finds,
how varied its tips are, how the job-description match ranks, and how long a review takes.

Usage: python benchmarks/resume_review.py   (prints a plain-text table; no model, no index)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.resume import extract_text, match_job_description, review_resume  # noqa: E402
from bot.core.resume.lexicon import clear_skill_cache  # noqa: E402
from tests.unit.resume import builders  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
FORMATS = ("txt", "pdf", "docx")


def rendered(text: str, fmt: str) -> bytes:
    if fmt == "pdf":
        return builders.resume_pdf(text)
    return builders.resume_docx(text) if fmt == "docx" else text.encode("utf-8")


def main() -> None:
    expected = yaml.safe_load((FIXTURES / "resumes" / "expected.yaml").read_text("utf-8"))
    resumes = expected["resumes"]
    texts = {n: (FIXTURES / "resumes" / f"{n}.txt").read_text("utf-8") for n in resumes}
    print(f"{len(resumes)} résumés, {len(expected['jds'])} job descriptions\n")
    for fmt in FORMATS:
        right = 0
        for name, want in resumes.items():
            review = review_resume(extract_text(rendered(texts[name], fmt), f"{name}.{fmt}"))
            got = (review.sections, review.unplaced, review.background.jobs,
                   review.background.projects)  # fmt: skip
            right += got == (want["sections"], want["unplaced"], want["jobs"], want["projects"])
        print(
            f"{fmt:>4}: sections, unplaced headings and counts as expected: {right}/{len(resumes)}"
        )
    reviews = {name: review_resume(text) for name, text in texts.items()}
    tips = [tip.text for review in reviews.values() for tip in review.tips]
    forbidden = sum(
        1 for n, r in reviews.items() for t in r.tips if t.rule_id in resumes[n]["forbidden_tips"]
    )
    generic = max(sum(1 for t in r.tips if not t.line) for r in reviews.values())
    print(
        f"\ntips: {len(tips)}, distinct: {len(set(tips))} ({100 * len(set(tips)) / len(tips):.0f}%)"
    )
    print(f"tips asking for what the résumé has (expected.yaml): {forbidden}")
    print(f"most generic tips in one review: {generic}")
    for jd, want in expected["jds"].items():
        jd_text = (FIXTURES / "jds" / f"{jd}.txt").read_text("utf-8")
        scores = {n: match_job_description(t, jd_text).score for n, t in texts.items()}
        ranked = sorted(scores, key=scores.get, reverse=True)
        top = ", ".join(f"{n} {scores[n]}" for n in ranked[:3])
        stuffed = ranked.index("cashier_keywords") + 1
        print(
            f"\n{jd}: top 3: {top}; cashier_keywords ranks {stuffed}/{len(ranked)} ({scores['cashier_keywords']})"
        )
        print(
            f"  expected first: {want['first']} -> {'yes' if ranked[0] == want['first'] else 'NO'}"
        )
    for name in expected["non_resumes"]:
        text = (FIXTURES / "non_resumes" / f"{name}.txt").read_text("utf-8")
        print(f"\nnon-résumé {name}: {'refused' if review_resume(text).error else 'REVIEWED'}")
    timings = []
    review_resume(texts["cs_student"] + "\nwarm-up")  # loads the YAML and compiles patterns once
    for text in texts.values():
        clear_skill_cache()  # a new résumé: nothing counted yet
        started = time.perf_counter()
        review_resume(text)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"\nreview without a JD: median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms"
    )


if __name__ == "__main__":
    main()
