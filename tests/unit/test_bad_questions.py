"""Bad input through the whole answer path and the CLI: a clear reply, never an article line."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bot.terminal.chat import render_answer_text
from bot.terminal.cli import read_question_lines
from tests.unit.random_inputs import random_inputs
from tests.unit.test_cli import run_cli

# Characters str.splitlines() splits at, but a question line may contain.
NOT_LINE_ENDS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r"]


def test_no_random_string_gets_an_article_line(answer_service):
    inputs = random_inputs()
    answers = answer_service.answer_many([text for _, text in inputs])
    answered = [(name, text) for (name, text), a in zip(inputs, answers, strict=True) if a.in_scope]
    assert answered == []
    kinds = Counter(a.kind for a in answers)
    assert kinds["gibberish"] >= 1580, kinds  # the rest: declined by scope, never answered


@pytest.mark.parametrize("question", ["asdkjh qwe zxcv", "print(df.head())", "fjdksla;fjdksla;"])
def test_gibberish_gets_i_did_not_understand_with_examples(answer_service, question):
    answer = answer_service.answer(question)
    assert answer.kind == "gibberish" and not answer.in_scope and answer.sources == []
    assert "didn't understand" in answer.text and "for example" in answer.text
    assert answer.suggestions
    text = render_answer_text(answer)
    assert "Try asking:" in text and answer.suggestions[0] in text


@pytest.mark.parametrize("question", ["kaggle?", "PhD?", "is kaggle good and what do interns earn"])
def test_short_real_questions_reach_retrieval(answer_service, question):
    assert answer_service.answer(question).kind not in ("gibberish", "language")


@pytest.mark.parametrize(
    "question",
    [
        "¿Cuál es la capital de Francia?",
        "Wie spät ist es jetzt bitte?",
        "Какая сегодня погода?",
    ],
)
def test_another_language_is_asked_for_english(answer_service, question):
    """When the term bridge reads too little of it (test_term_bridge.py: when it reads enough)."""
    answer = answer_service.answer(question)
    assert answer.kind == "language" and "English" in answer.text and not answer.in_scope
    # ...and still gets the guide's path, in English, one button per step, no dangling "[1]".
    assert len(answer.steps) == 4 and "2. Build a Machine Learning Portfolio" in answer.text
    assert "[1]" not in answer.text and len(answer.text) <= 1600


def test_another_alphabet_quoting_an_english_acronym_is_a_language_not_gibberish(answer_service):
    answer = answer_service.answer("Как получить стажировку по ML?")
    assert answer.kind != "gibberish" and answer.in_scope  # bridged: ML is machine learning
    assert "machine learning" in answer.text.split("\n\n", 1)[0]


@pytest.mark.parametrize(
    "question",
    [
        "why " * 2500,  # 10,000 characters
        "kaggle? " + "x" * 9992,
        "\u202e\u200bkaggle\u200d worth it?\ufeff",
        "ﬁnd an ｉｎｔｅｒｎｓｈｉｐ",  # compatibility forms
        "kaggle\x00\x01\x7f worth it?",
        "\ud83d lone surrogate",
        "🙂" * 5000,
        "a\u0301" * 3000,  # combining accents
    ],
)
def test_odd_input_gets_a_reply_not_a_traceback(answer_service, question):
    answer = answer_service.answer(question)
    assert answer.text and render_answer_text(answer)
    assert json.dumps(answer.to_json(), ensure_ascii=False)


def test_only_newline_ends_a_question_line(tmp_path):
    lines = [f"is kaggle{ch}worth it? {i}" for i, ch in enumerate(NOT_LINE_ENDS)] + ["", "last"]
    path = tmp_path / "q.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    assert read_question_lines(path) == lines
    path.write_text("one\r\ntwo", encoding="utf-8", newline="")
    assert read_question_lines(path) == ["one", "two"]
    path.write_text("", encoding="utf-8")
    assert read_question_lines(path) == []


def test_ask_file_answers_every_line_in_order(built_settings, tmp_path):
    questions = [
        "kaggle worth it?",
        f"is kaggle{NOT_LINE_ENDS[0]}worth it?",
        "",
        f"do i need a phd{NOT_LINE_ENDS[1]}to get into google{NOT_LINE_ENDS[6]}?",
        "asdkjh qwe zxcv",
        "will it snow in oslo tomorrow",
        *[f"kaggle{ch}worth it?" for ch in NOT_LINE_ENDS[2:]],
        "why " * 2500,
    ]
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(questions) + "\n", encoding="utf-8", newline="")
    result = run_cli(built_settings, "ask", "--json", "--file", str(path))
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.split("\n") if line]
    assert len(objects) == len(questions)
    assert all(set(o) == {"answer", "in_scope", "sources"} for o in objects)
    assert [o["in_scope"] for o in objects[:6]] == [True, True, False, True, False, False]
    assert "didn't understand" in objects[4]["answer"]
    assert all(o["in_scope"] for o in objects[6:-1])


def test_ask_survives_undecodable_bytes_and_a_huge_argument(built_settings):
    # Bytes that are not UTF-8 reach Python as lone surrogates (surrogateescape).
    odd = run_cli(built_settings, "ask", "--json", "kaggle \udcff\udcfe worth it?")
    assert odd.returncode == 0, odd.stderr
    assert set(json.loads(odd.stdout)) == {"answer", "in_scope", "sources"}
    huge = run_cli(built_settings, "ask", "--json", "kaggle worth it? " + "please " * 1500)
    assert huge.returncode == 0, huge.stderr
    assert json.loads(huge.stdout)["answer"]
