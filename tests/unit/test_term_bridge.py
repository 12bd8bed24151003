"""The term bridge: questions in other languages answered through the English terms they spell;
English never bridged; a broken terms.yaml entry named and skipped."""

from __future__ import annotations

import re

import pytest

from bot.config import PROJECT_ROOT
from bot.core.answers.bridge import BRIDGE_LEAD, bridge_question
from bot.core.answers.compose import MAX_REPLY_CHARS
from bot.knowledge.scope_data import card_phrasings, example_questions, legacy_questions
from bot.knowledge.term_bridge import TERMS, TermBridge
from ingest.pipeline import run_ingest

KNOWLEDGE = PROJECT_ROOT / "knowledge"
LEAD_START = BRIDGE_LEAD.split("{", 1)[0]
GUIDE = "How to Get a Machine Learning Internship"


@pytest.fixture(scope="module")
def bridge() -> TermBridge:
    return TermBridge.load(KNOWLEDGE / TERMS)


def english(bridge: TermBridge, text: str, foreign_only: bool = False) -> list[str]:
    return [t.english for t in bridge.match(text, foreign_only)]


def test_the_shipped_terms_all_load(bridge):
    assert bridge.problems == []
    assert bridge.terms >= 60


def test_unspaced_scripts_match_inside_words_and_the_longest_spelling_wins(bridge):
    # Korean particles stick to the noun; "机器学习" is machine learning, not its "学习" (study).
    assert english(bridge, "포트폴리오를 만들고 싶어요") == ["portfolio", "build"]
    assert english(bridge, "机器学习实习") == ["machine learning", "internship"]
    assert "learn" not in english(bridge, "机器学习实习")
    assert english(bridge, "机器学习工程师") == ["machine learning engineer"]
    assert english(bridge, "非科班") == ["degree in an unrelated field"]


def test_other_scripts_match_words_ignoring_case_accents_and_endings(bridge):
    assert english(bridge, "CURRICULO e PORTFOLIO") == ["résumé", "portfolio"]
    assert english(bridge, "Как получить стажировку") == ["how to", "get", "internship"]
    assert english(bridge, "hoja de vida") == ["résumé"]  # a phrase, not its words
    assert english(bridge, "stagecoach") == []  # "stage" + 5 letters is another word
    assert english(bridge, "vida hoja") == []


def test_english_spellings_count_only_when_the_text_is_known_not_to_be_english(bridge):
    assert english(bridge, "Python 공부") == ["learn", "Python"]
    assert english(bridge, "python portfolio", foreign_only=True) == []


def test_one_recognised_term_is_not_enough_to_answer(bridge):
    assert bridge_question("포트폴리오", bridge) is None
    assert bridge_question("어떻게 해야 하나요?", bridge) is None  # asks, about nothing known
    bridged = bridge_question("포트폴리오는 어떻게 만들어요?", bridge)
    assert bridged is not None and bridged.terms == ("how to", "build", "portfolio")
    assert bridged.query == "how to build portfolio?"


def english_questions() -> list[str]:
    """Every English question the project may read: legacy eval set, scope examples, cards."""
    labelled = (
        legacy_questions(KNOWLEDGE) + example_questions(KNOWLEDGE) + card_phrasings(KNOWLEDGE)
    )
    return [item.text for item in labelled]


def test_no_english_question_is_bridged(answer_service):
    questions = english_questions()
    assert len(questions) > 600
    bridged = [q for q in questions if answer_service.prepare(q).bridged is not None]
    assert bridged == []


@pytest.mark.parametrize(
    ("question", "recognised", "quoted"),
    [
        (
            "포트폴리오와 이력서는 어떻게 준비해야 하나요? 데이터 분석가가 되고 싶어요",
            ["portfolio", "résumé", "data analyst"],
            "resume",
        ),
        ("非科班如何找机器学习实习？简历怎么写？", ["résumé", "internship"], "resume"),
        (
            "Como montar um portfólio e um currículo para estágio em ciência de dados?",
            ["portfolio", "résumé", "internship"],
            "portfolio",
        ),
    ],
)
def test_a_question_in_another_language_gets_the_guides_answer(
    answer_service, question, recognised, quoted
):
    answer = answer_service.answer(question)
    assert answer.in_scope and answer.kind in ("answer", "partial", "overview")
    lead, body = answer.text.split("\n\n", 1)
    assert lead.startswith(LEAD_START) and lead.endswith("(in English):")
    assert all(term in lead for term in recognised), lead
    assert quoted in body.lower() and "[1]" in body
    assert answer.sources and all(s.title.startswith(GUIDE) for s in answer.sources)
    assert len(answer.text) <= MAX_REPLY_CHARS
    assert answer.question == question  # the user's words, not the bridged query
    assert set(answer.to_json()) == {"answer", "in_scope", "sources"}


@pytest.mark.parametrize(
    "question",
    [
        "Как получить стажировку по машинному обучению?",
        "如何获得机器学习实习？",
        "¿Cómo consigo una pasantía de machine learning?",
        "Wie bekomme ich ein Praktikum im Bereich maschinelles Lernen?",
        "Làm thế nào để có được thực tập học máy?",
    ],
)
def test_how_to_get_an_ml_internship_in_another_language_gets_the_guides_path(
    answer_service, question
):
    answer = answer_service.answer(question)
    assert answer.kind == "overview" and answer.in_scope and len(answer.steps) == 4
    lead = answer.text.split("\n\n", 1)[0]
    assert lead.startswith(LEAD_START) and "internship" in lead and "machine learning" in lead


@pytest.mark.parametrize(
    "question",
    ["Какая сегодня погода?", "我喜欢吃饺子和面条", "¿Cuál es la capital de Francia?"],
)
def test_a_question_the_bridge_cannot_read_still_gets_the_language_reply(answer_service, question):
    answer = answer_service.answer(question)
    assert answer.kind == "language" and not answer.in_scope and "English" in answer.text
    assert not answer.text.startswith(LEAD_START)


def test_a_bridged_query_the_scope_vote_declines_gets_the_language_reply(answer_service):
    question = "머신러닝 인턴 월급으로 집을 살 수 있나요?"  # buy a house on an intern's pay?
    bridged = bridge_question(question, answer_service.bridge)
    assert bridged is not None
    assert not answer_service.answer(bridged.query).in_scope  # what the bridge would answer
    answer = answer_service.answer(question)
    assert answer.kind == "language" and not answer.in_scope


def test_a_language_the_word_lists_do_not_know_is_bridged_not_called_gibberish(answer_service):
    answer = answer_service.answer("Makine öğrenmesi stajı nasıl bulunur?")
    assert answer.in_scope and answer.text.startswith(LEAD_START)
    assert answer_service.answer("asdkjh qwe zxcv").kind == "gibberish"


BROKEN_ENTRIES = """
  yes:
    ko: [예]
  kaggle notebook:
    xx: [foo]
  cover letter list: [carta]
  bad spelling:
    zh: [学]
"""


def test_a_broken_entry_is_named_by_ingest_and_the_rest_load(workspace, embedder):
    path = workspace.knowledge_dir / TERMS
    path.write_text(
        path.read_text(encoding="utf-8").replace("topics:\n", "topics:" + BROKEN_ENTRIES, 1),
        encoding="utf-8",
    )
    summary = run_ingest(workspace, lambda: embedder, progress=False, build_onnx=False)
    problems = [e for e in summary.errors if e.startswith("lang/terms.yaml")]
    assert len(problems) == 4, problems
    assert any("True" in p and "string" in p for p in problems)  # YAML read `yes` as a bool
    assert any("'kaggle notebook'" in p and "'xx'" in p for p in problems)
    assert any("'cover letter list'" in p for p in problems)
    assert any("'bad spelling'" in p and "too short" in p for p in problems)
    assert summary.added > 0  # the articles were still indexed
    loaded = TermBridge.load(path)
    assert loaded.terms == TermBridge.load(KNOWLEDGE / TERMS).terms
    assert english(loaded, "포트폴리오 이력서") == ["portfolio", "résumé"]


def test_a_bridged_reply_stays_within_the_budget_its_last_blocks_making_way():
    """Cards near MAX_REPLY_CHARS leave no room for the lead: their last blocks go (with the
    sources only they cite), never the lead and never past the limit."""
    from bot.core.answers.bridge import BridgedQuestion, with_lead
    from bot.core.answers.compose import Answer, AnswerPoint, Source
    from bot.core.answers.more import MORE_LEAD

    first, second, extra = "a" * 900 + " [1]", "b" * 500 + " [2]", "c" * 150 + " [3]"
    text = "\n\n".join([first, second, MORE_LEAD, extra])
    sources = [Source(f"Guide › {n}", "t", 0.9, f"p-{n}") for n in (1, 2, 3)]
    points = [AnswerPoint("a" * 900, 0), AnswerPoint("b" * 500, 1), AnswerPoint("c" * 150, 2)]
    answer = Answer("q", text, True, "answer", sources=sources, points=points)
    bridged = BridgedQuestion("portfolio resume?", ("portfolio", "resume"))
    assert len(text) <= MAX_REPLY_CHARS < len(text) + bridged.lead_chars
    out = with_lead(answer, bridged)
    assert out is not None and len(out.text) <= MAX_REPLY_CHARS
    assert out.text.startswith(bridged.lead) and first in out.text
    assert MORE_LEAD not in out.text and "ccc" not in out.text
    assert len(out.sources) == max(int(n) for n in re.findall(r"\[(\d)\]", out.text))
    assert all(p.source < len(out.sources) for p in out.points)
