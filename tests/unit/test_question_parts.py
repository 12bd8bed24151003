"""A long message's questions: found, backstory left out, each answered from its own search."""

from __future__ import annotations

from bot.core.answers.message_parts import merge_rankings
from bot.core.answers.parts import MAX_PARTS, question_parts
from bot.core.answers.retrieval import RetrievedPassage
from bot.knowledge.passages import Passage


def test_one_question_is_its_own_query():
    assert question_parts("how do I get a machine learning internship") == []
    assert question_parts("Should I do a PhD?") == []


def test_backstory_is_left_out_of_the_question():
    post = (
        "I'm a second year CS student and I've done some Python. Do I need a PhD for ML? "
        "Thanks in advance."
    )
    assert question_parts(post) == ["Do I need a PhD for ML?"]


def test_several_questions_each_become_a_part_without_their_joining_word():
    post = "I work in retail. Is Kaggle good for a portfolio? Also, what goes in a resume summary?"
    assert question_parts(post) == [
        "Is Kaggle good for a portfolio?",
        "what goes in a resume summary?",
    ]
    assert question_parts("is kaggle good and what do interns earn") == [
        "is kaggle good",
        "what do interns earn",
    ]


def test_and_between_statements_does_not_split():
    post = "I'm taking a Coursera course and will finish it soon. What should I learn next?"
    assert question_parts(post) == ["What should I learn next?"]


def test_a_short_question_that_refers_back_keeps_what_it_refers_to():
    post = "I heard you need a PhD to break into ML. Is that true? I have an MS."
    assert question_parts(post) == ["I heard you need a PhD to break into ML. Is that true?"]


def test_either_or_questions_keep_both_sides():
    post = (
        "Given my background, should I optimize my CV for ML internships, or should I "
        "pick up full-stack skills for SWE internships?"
    )
    parts = question_parts(post)
    assert len(parts) == 2
    assert "ML internships" in parts[0] and "full-stack" in parts[1]


def test_polite_lines_and_statements_are_not_questions():
    assert question_parts("Hey. I'm a student. Any advice would be appreciated, thanks!") == []
    # A closing line is not a question of its own, however it is worded.
    post = "Should I do a PhD first? Any advice you have would be greatly appreciated."
    assert question_parts(f"I'm an undergrad. {post}") == ["Should I do a PhD first?"]
    assert question_parts("I'm an undergrad. Should I do a PhD? I'd really appreciate tips.") == [
        "Should I do a PhD?"
    ]


def test_at_most_max_parts():
    post = " ".join(f"What about topic number {n} in machine learning?" for n in range(6))
    assert len(question_parts(post)) == MAX_PARTS


def _ranked(*ids: str) -> list[RetrievedPassage]:
    return [
        RetrievedPassage(Passage(i, f"a.md#{i}", "a.md", "Guide", "S", "S", i, (i,)), 0.5)
        for i in ids
    ]


def test_rankings_merge_round_robin_without_repeats():
    merged = merge_rankings([_ranked("a", "b", "c"), _ranked("d", "a"), _ranked("e")])
    assert [r.passage.id for r in merged] == ["a", "d", "e", "b", "c"]
    assert merge_rankings([]) == []
