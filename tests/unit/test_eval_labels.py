"""The labelled sets hold against the article (knowledge/eval/README.md's schema).

Every expect phrase is verbatim in the article, every heading exists there, every must_mention
alternative occurs in it (case-insensitive); real questions carry their page, partial ones say what
is left out. Checked for dev.yaml and the held-out test2.yaml and test3.yaml; test.yaml is never opened outside
`careerbot eval` (issue 14). A held-out file's failures name the row and the problem, never the
question, so nobody reads held-out questions through this test.
"""

from __future__ import annotations

import re

import pytest

from bot.config import PROJECT_ROOT
from bot.knowledge.yaml_io import read_yaml

EVAL_DIR = PROJECT_ROOT / "knowledge" / "eval"
ARTICLE = (
    PROJECT_ROOT / "knowledge" / "articles" / "how-to-get-a-machine-learning-internship.md"
).read_text(encoding="utf-8")
HEADINGS = {m.group(1).strip() for m in re.finditer(r"^#{1,6} (.+)$", ARTICLE, re.M)}
KINDS = {"real", "paraphrase", "broad", "off_topic", "gibberish"}
LABELLED_FILES = {
    "dev.yaml": False,
    "reported.yaml": False,
    "test2.yaml": True,
    "test3.yaml": True,
}  # file → held out?


def label_problems(row: dict) -> list[str]:
    """What is wrong with one row's labels (empty when it holds against the article)."""
    problems = []
    if row.get("kind") not in KINDS:
        problems.append("kind")
    coverage = row.get("coverage")
    if coverage not in ("covered", "partial", "uncovered"):
        problems.append("coverage")
    if row.get("kind") == "real" and not str(row.get("source", "")).startswith("http"):
        problems.append("source")
    if coverage == "uncovered":
        if any(key in row for key in ("sections", "expect", "must_mention", "not_covered")):
            problems.append("labels on an uncovered question")
        return problems
    expect = row.get("expect") or []
    if not 1 <= len(expect) <= 3:
        problems.append("1-3 expect phrases")
    problems += [f"expect not verbatim: {e}" for e in expect if e not in ARTICLE]
    sections = row.get("sections") or []
    problems += [f"no such heading: {s}" for s in sections if s not in HEADINGS] or (
        [] if sections else ["sections"]
    )
    facts = row.get("must_mention") or []
    if not facts:
        problems.append("must_mention")
    problems += [
        f"must_mention not in the article: {alt}"
        for group in facts
        for alt in group
        if str(alt).lower() not in ARTICLE.lower()
    ]
    if (coverage == "partial") != bool(row.get("not_covered")):
        problems.append("not_covered (partial only)")
    return problems


def _rows(name: str) -> list[dict]:
    return read_yaml(EVAL_DIR / name)["questions"]


@pytest.mark.parametrize("name", sorted(LABELLED_FILES))
def test_every_label_holds_against_the_article(name):
    held_out = LABELLED_FILES[name]
    failures = []
    for index, row in enumerate(_rows(name)):
        for problem in label_problems(row):
            # A held-out question is named by its row only: the test must not show it.
            where = f"row {index}" if held_out else repr(row.get("q", ""))[:80]
            failures.append(f"{name} {where}: {problem.split(':')[0] if held_out else problem}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", ["test2.yaml", "test3.yaml"])
def test_a_held_out_set_holds_real_questions_from_pages_no_other_set_uses(name):
    held_out = _rows(name)
    assert held_out and all(row["kind"] == "real" for row in held_out)
    others = [
        row
        for other in ("dev.yaml", "reported.yaml", "test2.yaml", "test3.yaml")
        if other != name
        for row in _rows(other)
    ]
    other_pages = {row.get("source") for row in others if row["kind"] == "real"}
    shared_pages = sum(row["source"] in other_pages for row in held_out)
    shared_questions = len({row["q"] for row in held_out} & {row["q"] for row in others})
    assert (shared_pages, shared_questions) == (0, 0)


def test_the_checker_catches_each_kind_of_bad_label():
    good = {
        "q": "is kaggle worth it",
        "kind": "real",
        "source": "https://example.org/1",
        "coverage": "partial",
        "sections": ["Build a Machine Learning Portfolio"],
        "expect": ["Join a Kaggle community"],
        "must_mention": [["kaggle"], ["50,000", "datasets"]],
        "not_covered": "whether employers value it",
    }
    assert label_problems(good) == []
    assert label_problems({**good, "expect": ["join a kaggle community"]})  # case matters there
    assert label_problems({**good, "sections": ["Kaggle"]})
    assert label_problems({**good, "must_mention": [["kaggle", "leetcode"]]})  # every alternative
    assert label_problems({**good, "not_covered": ""})
    assert label_problems({**good, "source": ""})
    assert label_problems(
        {
            "q": "x",
            "kind": "real",
            "source": "https://e.org",
            "coverage": "uncovered",
            "expect": ["Kaggle"],
        }
    )
