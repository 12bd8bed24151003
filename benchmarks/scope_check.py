"""Scope decisions on knowledge/eval/scope_check.yaml: answered or declined, per kind.

That set (140 questions: broad, covered, partial, uncovered, off-topic) was written on
2026-12-01 by a writer who had not seen the project's other sets. The scope judge never reads
it (it is not among its labelled neighbours), so it measures scope on wording nobody fitted.
It is development data since: its misses were read to decide the multi-part rule.

    .venv/bin/python benchmarks/scope_check.py [--misses]
"""

from __future__ import annotations

import sys
from collections import Counter

import common  # noqa: F401  (puts the project on sys.path)

from bot.config import get_settings
from bot.core.answers.service import open_answer_service
from bot.knowledge.yaml_io import read_yaml

ANSWERED = {"answer", "overview", "partial"}
IN_SCOPE = {"broad", "covered", "partial"}


def main() -> None:
    service = open_answer_service(get_settings())
    path = get_settings().knowledge_dir / "eval" / "scope_check.yaml"
    questions = read_yaml(path)["questions"]
    answers = service.answer_many([q["q"] for q in questions])
    answered, total = Counter(), Counter()
    for question, answer in zip(questions, answers, strict=True):
        total[question["kind"]] += 1
        answered[question["kind"]] += answer.kind in ANSWERED
        wrong = (question["kind"] in IN_SCOPE) != (answer.kind in ANSWERED)
        if wrong and "--misses" in sys.argv:
            print(f"  ✗ {question['kind']:9} {answer.kind:10} {question['q'][:90]!r}")
    for kind, n in total.items():
        print(f"{kind:10} answered {answered[kind]:3}/{n}")
    inside = sum(total[k] for k in IN_SCOPE)
    declined_inside = inside - sum(answered[k] for k in IN_SCOPE)
    outside = sum(n for k, n in total.items() if k not in IN_SCOPE)
    declined_outside = outside - sum(answered[k] for k in total if k not in IN_SCOPE)
    print(
        f"in scope declined {declined_inside}/{inside}; out of scope declined "
        f"{declined_outside}/{outside}"
    )


if __name__ == "__main__":
    main()
