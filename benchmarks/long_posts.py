"""Writes knowledge/eval/long_posts.yaml: development questions in the shape of forum posts.

Real students' posts carry backstory and often two questions; one embedding of the whole post
averages them. This set wraps the development sets' covered paraphrases (dev.yaml and the legacy
questions.yaml, never the held-out test set) in a fixed backstory and closing line, alone or two
from different sections, so that multi-part handling is measured on more than the few real
development questions:

    python benchmarks/long_posts.py
    careerbot eval --sets dev,legacy --questions knowledge/eval/long_posts.yaml

It is development data (built from tuned-on sets and the backstories below, written for this
set): its figures are optimistic in absolute terms and serve to compare variants.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.answers.evaluation import EvalQuestion, load_questions  # noqa: E402

SEED = 7
SINGLES = PAIRS = 60
BACKSTORIES = [
    "Hi everyone, I'm a second year computer science student at a state university and I've "
    "been doing some Python on the side for about a year.",
    "Some background: I graduated with a degree in mechanical engineering two years ago, I work "
    "in manufacturing and I've been teaching myself programming in the evenings.",
    "I'm a junior majoring in math with a minor in CS, GPA is okay but not amazing, and I have "
    "one previous internship doing web development.",
    "Long time lurker here. I'm 27, currently a data analyst at a small company, mostly Excel "
    "and SQL, and I really want to move into machine learning.",
    "Hey all, first post. I'm an international student finishing my bachelor's and I'm feeling "
    "a bit lost about the whole internship process.",
]
CLOSERS = [
    "Any advice would be appreciated, thanks!",
    "Thanks in advance.",
    "Sorry for the long post.",
    "",
]


def _asked(text: str) -> str:
    return text if text.endswith("?") else f"{text}?"


def long_posts(pool: list[EvalQuestion]) -> list[dict]:
    rng = random.Random(SEED)
    rows = []
    for q in rng.sample(pool, SINGLES):
        post = f"{rng.choice(BACKSTORIES)} {_asked(q.q[0].upper() + q.q[1:])} {rng.choice(CLOSERS)}"
        rows.append((post.strip(), q.expect, q.must_mention, q.sections))
    for _ in range(PAIRS):
        a, b = rng.sample(pool, 2)
        while set(a.sections) & set(b.sections):
            a, b = rng.sample(pool, 2)
        post = (
            f"{rng.choice(BACKSTORIES)} {_asked(a.q[0].upper() + a.q[1:])} Also, {_asked(b.q)} "
            f"{rng.choice(CLOSERS)}"
        )
        rows.append(
            (
                post.strip(),
                a.expect + b.expect,
                a.must_mention + b.must_mention,
                a.sections + b.sections,
            )
        )
    return [
        {
            "q": post,
            "kind": "paraphrase",
            "coverage": "covered",
            "sections": list(dict.fromkeys(sections)),
            "expect": list(expect),
            "must_mention": [list(group) for group in must],
        }
        for post, expect, must, sections in rows
    ]


def main() -> int:
    eval_dir = ROOT / "knowledge" / "eval"
    dev = load_questions(eval_dir / "dev.yaml")
    legacy = load_questions(eval_dir / "questions.yaml")
    pool = [q for q in dev + legacy if q.kind == "paraphrase" and q.must_mention]
    header = (
        "# Development only: built by benchmarks/long_posts.py from dev.yaml and questions.yaml\n"
        "# paraphrases (never test.yaml), each wrapped in a forum-post backstory; the first 60\n"
        "# ask one question, the last 60 two (from different sections). Regenerate, don't edit.\n"
    )
    body = yaml.safe_dump(
        {"questions": long_posts(pool)}, sort_keys=False, allow_unicode=True, width=100
    )
    (eval_dir / "long_posts.yaml").write_text(header + body, encoding="utf-8")
    print(f"wrote {eval_dir / 'long_posts.yaml'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
