"""Where does a reply say "The guide doesn't answer …"? Per development set and kind.

On answerable questions that line is a false statement about the guide; on partly answered
ones it should name the part left out. Development sets only (never test*.yaml).

    .venv/bin/python benchmarks/left_out_claims.py [--lines]
"""

from __future__ import annotations

import sys
from collections import Counter

import common  # noqa: F401  (puts the project on sys.path)

from bot.config import get_settings
from bot.core.answers.replies import UNCOVERED_PARTS_LEAD
from bot.core.answers.service import open_answer_service
from bot.knowledge.yaml_io import read_yaml

SETS = ("dev", "scope_check", "long_posts", "questions", "reported")
LEAD = UNCOVERED_PARTS_LEAD.split("{")[0]


def labelled(name: str) -> list[tuple[str, str]]:
    """(question, kind) pairs: `coverage` where the set labels it, else `kind`."""
    data = read_yaml(get_settings().knowledge_dir / "eval" / f"{name}.yaml")
    if isinstance(data, dict) and "in_scope" in data:  # the legacy set
        return [(q["q"], "paraphrase") for q in data["in_scope"]] + [
            (q["q"], "off_topic") for q in data["out_of_scope"]
        ]
    items = data["questions"] if isinstance(data, dict) else data
    return [(q["q"], q.get("coverage") or q.get("kind", "?")) for q in items]


def main() -> None:
    service = open_answer_service(get_settings())
    for name in SETS:
        questions = labelled(name)
        answers = service.answer_many([q for q, _ in questions])
        claims, total = Counter(), Counter()
        for (_, kind), answer in zip(questions, answers, strict=True):
            total[kind] += 1
            said = answer.in_scope and answer.text.startswith(LEAD)
            claims[kind] += said
            if said and "--lines" in sys.argv:
                print(f"  {name}/{kind}: {answer.text.split(' On the rest')[0][:150]}")
        print(name, " · ".join(f"{k} {claims[k]}/{n}" for k, n in sorted(total.items())))


if __name__ == "__main__":
    main()
