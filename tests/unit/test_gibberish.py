"""Gibberish and other languages: caught before retrieval, real questions never are."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.config import PROJECT_ROOT
from bot.core.answers.gibberish import looks_like_gibberish, looks_like_other_language, words_of
from bot.knowledge.yaml_io import read_yaml
from tests.unit.random_inputs import GENERATORS, random_inputs

EVAL_DIR = PROJECT_ROOT / "knowledge" / "eval"
# The service passes the knowledge base's words ("kaggle"); the articles' words stand in for them.
KB_WORDS = words_of(
    path.read_text(encoding="utf-8") for path in (PROJECT_ROOT / "knowledge/articles").glob("*.md")
)


def real_questions() -> list[str]:
    """Every question of the development sets that is not labelled gibberish (never test.yaml)."""
    old = read_yaml(EVAL_DIR / "questions.yaml")
    questions = [item["q"] for item in old["in_scope"] + old["out_of_scope"]]
    dev = read_yaml(EVAL_DIR / "dev.yaml")["questions"]
    questions += [str(item["q"]) for item in dev if item["kind"] != "gibberish"]
    return questions


SHORT_QUESTIONS = [
    "kaggle?",
    "PhD?",
    "CV?",
    "LLMs for internships?",
    "resume tips",
    "portfolio",
    "thx",
    "hello",
    "is kaggle good and what do interns earn",
    "hw 2 get intrnshp in ml wth no exp",
    "what is numpy.array?",
    "how do I fix print(df.head()) error",
    "Is a 3.5 GPA = bad?",
    "python3 or R for ML?",
]
OTHER_LANGUAGES = [
    "¿Cómo consigo una pasantía de aprendizaje automático?",
    "Comment trouver un stage en apprentissage automatique ?",
    "Wie bekomme ich ein Praktikum im Bereich maschinelles Lernen?",
    "Come posso trovare un tirocinio in machine learning?",
    "Como eu consigo um estágio em aprendizado de máquina?",
    "Hoe vind ik een stage in machine learning?",
    "Как получить стажировку по машинному обучению?",
    "머신러닝 인턴십은 어떻게 구하나요?",
]
GIBBERISH = [
    "asdkjh qwe zxcv",
    "fjdksla;fjdksla;",
    "print(df.head())",
    "import numpy as np",
    "for i in range(10): x += i",
    '{"a": 1, "b": null}',
    "xkcd qzpv wmbt",
    "12345",
    "ϚϽϏ ŠȽ ⊦ abc ЖЮ",
]


def test_random_strings_of_every_generator_are_gibberish():
    flagged = Counter(
        name for name, text in random_inputs() if looks_like_gibberish(text, KB_WORDS)
    )
    # What slips through reads like words ("ji", "ujgo ai ousn"): retrieval's scope check
    # declines those (see test_bad_questions.py); no generator may pass more than 2 in 200.
    assert all(flagged[name] >= 198 for name in GENERATORS), flagged


def test_real_questions_are_never_gibberish():
    questions = real_questions()
    assert len(questions) > 200
    assert [q for q in questions if looks_like_gibberish(q, KB_WORDS)] == []


@pytest.mark.parametrize("question", SHORT_QUESTIONS)
def test_short_and_informal_questions_are_not_gibberish(question):
    assert not looks_like_gibberish(question, KB_WORDS)
    assert not looks_like_other_language(question)


@pytest.mark.parametrize("question", OTHER_LANGUAGES)
def test_another_language_is_not_gibberish(question):
    assert not looks_like_gibberish(question, KB_WORDS)


@pytest.mark.parametrize("question", OTHER_LANGUAGES[:6])
def test_latin_script_languages_are_recognised(question):
    assert looks_like_other_language(question)


@pytest.mark.parametrize("question", GIBBERISH)
def test_mash_and_code_are_gibberish(question):
    assert looks_like_gibberish(question, KB_WORDS)


def test_a_lone_word_nobody_knows_is_not_understood():
    # Neither English nor the knowledge base's: nothing to answer from, and random tokens
    # ("SCCE", "spapt") look the same. In a sentence, the same term is fine.
    assert looks_like_gibberish("GPA?", KB_WORDS)
    assert not looks_like_gibberish("is a low GPA a problem?", KB_WORDS)


def test_the_knowledge_bases_own_words_are_known():
    assert looks_like_gibberish("zorbleflux")
    assert not looks_like_gibberish("zorbleflux", extra_words={"zorbleflux"})


def test_english_with_a_few_foreign_words_stays_english():
    assert not looks_like_other_language("how do i get an ML internship en Europe")
    assert not looks_like_other_language("la la land internship?")


def test_another_script_quoting_english_terms_is_not_gibberish():
    # Korean or Russian questions name courses and terms in English; mash among them is not.
    quoting = [
        "대기업 위주로 지원하고 있는데, 대학원 진학을 안하고 Coursera의 Prof. Andrew Ng 수업으로 "
        "혼자서 공부하는 수준의 data science 학습이 취직이나 미래에 도움이 될까요?",
        "Как получить internship по ML?",
    ]
    assert [q for q in quoting if looks_like_gibberish(q, KB_WORDS)] == []
    assert looks_like_gibberish("머신러닝 qzxv wkpf 인턴 어떻게 구하나요", KB_WORDS)
    assert looks_like_gibberish("ϚϽϏ ŠȽ ⊦ abc ЖЮ", KB_WORDS)
