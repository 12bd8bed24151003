"""The shipped interview bank against the shipped grader (and the bot's own query model)."""

from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT
from bot.core.interview.service import PointVectorCache, grade_answer
from bot.knowledge.banks import load_interview_bank

BANK = load_interview_bank(PROJECT_ROOT / "knowledge" / "interview")
MODEL_ANSWER_MIN = 60


@pytest.fixture(scope="module")
def cache() -> PointVectorCache:
    return PointVectorCache()


@pytest.mark.parametrize("question", BANK, ids=[q.id for q in BANK])
def test_model_answer_scores_at_least_60_against_its_own_points(question, onnx_embedder, cache):
    feedback = grade_answer(question, question.model_answer, onnx_embedder, cache)
    assert feedback.score >= MODEL_ANSWER_MIN, feedback.missed


def test_the_thin_areas_have_questions():
    asked = " ".join(q.question for q in BANK).casefold()
    for probe in ("positive", "leakage", "a/b test", "sql", "git merge", "git"):
        assert probe in asked, probe
