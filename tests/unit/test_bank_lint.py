"""The quiz-bank lint: the shipped bank passes it, and small bad banks fail each rule by name."""

from __future__ import annotations

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.knowledge.bank_lint import (
    ABSOLUTE_TOLERANCE,
    LONGEST_KEY_MAX_SHARE,
    absolute_words,
    check_quiz_bank,
    lint_quiz_bank,
    option_problems,
)
from bot.knowledge.banks import BankError, QuizQuestion, load_quiz_bank
from ingest.pipeline import validate_banks

SHIPPED = PROJECT_ROOT / "knowledge" / "quiz"


def item(qid: str, options: list[str], correct: int = 0, topic: str = "ml") -> QuizQuestion:
    return QuizQuestion(qid, topic, 1, f"Question {qid}?", tuple(options), correct, "Because.")


# Four options of equal length, the key first: no rule is broken.
def plain(qid: str, topic: str = "ml") -> QuizQuestion:
    return item(qid, ["red fox", "tan elk", "grey ox", "pink yak"], 0, topic)


def test_the_shipped_bank_passes_and_guessers_gain_little():
    report = check_quiz_bank(load_quiz_bank(SHIPPED))
    *topics, overall = report.figures
    assert overall.topic == "all" and overall.items >= 160
    assert {f.topic for f in topics} == {
        "career",
        "engineering",
        "ml",
        "modeling",
        "probability",
        "programming",
    }
    assert all(f.key_longest_share <= LONGEST_KEY_MAX_SHARE for f in topics), report.lines()
    # The bars: both guessers at most 30% over the bank (chance is 25%).
    assert overall.longest_guesser <= 0.30 and overall.absolute_avoider <= 0.30, report.lines()
    assert len(report.lines()) == len(report.figures)


def test_longest_key_in_too_many_items_names_each_of_them():
    longest = [item(f"ml-l{i}", ["a much longer key", "short", "brief", "tiny"]) for i in range(4)]
    fine = [plain(f"ml-p{i}") for i in range(6)]  # 4 of 10 = 40% > 30%
    report = lint_quiz_bank(longest + fine)
    [problem] = report.problems
    assert problem.startswith("ml: the key is the longest option in 4 of 10 items")
    assert all(q.id in problem for q in longest) and "ml-p0" not in problem
    with pytest.raises(BankError) as raised:
        check_quiz_bank(longest + fine)
    assert raised.value.problems == [problem]


def test_three_longest_keys_in_ten_items_is_within_the_limit():
    longest = [item(f"ml-l{i}", ["a much longer key", "short", "brief", "tiny"]) for i in range(3)]
    report = lint_quiz_bank(longest + [plain(f"ml-p{i}") for i in range(7)])
    assert report.problems == []
    assert report.figures[0].key_longest == 3 and report.figures[0].longest_guesser == 0.3


def test_the_limit_is_per_topic():
    # ml is fine; career alone has its key longest every time.
    career = [
        item(f"car-{i}", ["the longest option", "short", "brief", "tiny"], topic="career")
        for i in range(3)
    ]
    report = lint_quiz_bank([plain(f"ml-{i}") for i in range(10)] + career)
    [problem] = report.problems
    assert problem.startswith("career:") and "car-0, car-1, car-2" in problem


def test_absolute_words_only_in_wrong_options_are_named():
    tells = [
        item(f"eng-{i}", ["it retries", "it never fails", "it always wins", "it is slow"])
        for i in range(3)
    ]
    report = lint_quiz_bank(tells + [plain(f"eng-p{i}") for i in range(3)])
    [problem] = report.problems
    assert "absolute words are in 0% of keys but 33% of wrong options" in problem
    assert "eng-0, eng-1, eng-2" in problem and "eng-p0" not in problem


def test_absolute_words_only_in_keys_are_named_too():
    tells = [item(f"ml-k{i}", ["it is only a mean", "a sum", "a max", "a min"]) for i in range(2)]
    report = lint_quiz_bank(tells + [plain(f"ml-p{i}") for i in range(8)])
    [problem] = [p for p in report.problems if "absolute" in p]
    assert "20% of keys but 0% of wrong options" in problem and "ml-k0, ml-k1" in problem


def test_balanced_absolute_words_pass():
    # 1 key in 10 and 3 wrong options in 30 carry an absolute word: the same rate.
    items = [item("ml-k", ["it only sorts", "a sum", "a max", "a min"])]
    items += [item(f"ml-d{i}", ["a map", "it never ends", "a set", "a bag"]) for i in range(3)]
    items += [plain(f"ml-p{i}") for i in range(6)]
    figures = lint_quiz_bank(items).figures[0]
    assert figures.keys_absolute == figures.distractors_absolute == 0.1
    assert abs(figures.keys_absolute - figures.distractors_absolute) <= ABSOLUTE_TOLERANCE
    assert lint_quiz_bank(items).problems == []


def test_absolute_words_are_whole_words_in_any_case():
    assert absolute_words("Never mind: ALL of it, can't stop") == ["never", "all", "can't"]
    assert absolute_words("allowed, totally, nevertheless, onlyfans") == []


def test_options_that_are_the_same_but_for_spacing_are_duplicates():
    report = lint_quiz_bank([item("prog-1", ["O(n)", "O (n)", "O(1)", "O(log n)"])])
    assert report.problems == ["prog-1: options 1 and 2 are the same ('O(n)' / 'O (n)')"]


@pytest.mark.parametrize(
    ("options", "inner", "outer"),
    [
        (["Normal", "Log-normal", "Uniform", "Beta"], "Normal", "Log-normal"),
        (["O(1)", "O(1) amortised", "O(n)", "O(log n)"], "O(1)", "O(1) amortised"),
        (["MSE", "Root mean squared error", "Mean squared error", "MAE"], "Mean", "Root"),
    ],
)
def test_an_option_inside_another_is_named(options, inner, outer):
    [problem] = lint_quiz_bank([item("x-1", options)]).problems
    assert problem.startswith(f"x-1: option '{inner}") and f"in option '{outer}" in problem


@pytest.mark.parametrize(
    "options",
    [
        ["0", "0.05", "5", "1"],  # a number is not inside a longer number
        ["1/2", "1/12", "1/4", "1/3"],
        ["3", "3.5", "4", "2.5"],
        ["fit_transform", "transform", "fit", "partial_fit"],
        ["O(n)", "O(n log n)", "O(log n)", "O(1)"],
    ],
)
def test_numbers_and_identifiers_are_not_mistaken_for_containment(options):
    assert option_problems(item("x-1", options)) == []


def write_bank(knowledge, name: str, entries: list[dict]) -> None:
    (knowledge / "quiz").mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump({"topic": "ml", "questions": entries}, allow_unicode=True)
    (knowledge / "quiz" / name).write_text(text, encoding="utf-8")


def entry(qid: str, options: list[str]) -> dict:
    return {
        "id": qid,
        "difficulty": 1,
        "question": "Which?",
        "options": options,
        "answer": 0,
        "explanation": "Because.",
        "section": None,
    }


def test_ingest_validation_fails_a_bad_bank_naming_every_item(tmp_path):
    write_bank(
        tmp_path,
        "ml.yaml",
        [
            entry("ml-1", ["the longest option of all", "short", "brief", "tiny"]),
            entry("ml-2", ["the longest option here", "short", "brief", "tiny"]),
            entry("ml-3", ["Normal", "Log-normal", "Uniform", "Beta"]),
        ],
    )
    problems, figures = validate_banks(tmp_path, set())
    assert any(
        p.startswith("quiz/ml: the key is the longest") and "ml-1, ml-2" in p for p in problems
    )
    assert any(p.startswith("quiz/ml-3: option 'Normal'") for p in problems)
    assert figures[0].startswith("ml ") and figures[-1].startswith("all ")


def test_ingest_validation_passes_a_clean_bank_and_reports_its_figures(tmp_path):
    write_bank(tmp_path, "ml.yaml", [entry("ml-1", ["red fox", "tan elk", "grey ox", "pink yak"])])
    problems, figures = validate_banks(tmp_path, set())
    assert problems == []
    assert "key longest   0%" in figures[0] and "key positions 1/0/0/0" in figures[0]
