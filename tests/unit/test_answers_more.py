"""'More from the guide': the ranking's passages join a reply in full, never past the limit."""

from __future__ import annotations

from bot.core.answers.compose import Answer, Source
from bot.core.answers.more import MORE_LEAD, add_more_passages, unquoted_sentences
from bot.core.answers.retrieval import RetrievedPassage
from bot.knowledge.passages import Passage


def _passage(pid: str, heading: str, sentences: tuple[str, ...]) -> Passage:
    text = " ".join(sentences)
    return Passage(pid, f"a.md#{pid}", "a.md", "Guide", heading, heading, text, sentences)


LIST = _passage(
    "p-list",
    "Portfolio",
    ("You have several options:", "- Kaggle competitions", "- Open source", "Pick one."),
)
INTRO = _passage("p-intro", "", ("Machine learning is a coveted field.",))


def _answer(text: str, cited: list[Passage]) -> Answer:
    sources = [Source(p.citation, p.text, 0.9, p.id) for p in cited]
    return Answer("q", text, True, "answer", sources=sources)


def test_an_unquoted_list_item_comes_with_its_lead_in():
    reply = "You have several options: • Kaggle competitions Pick one."
    assert unquoted_sentences(LIST.sentences, reply) == [0, 2]


def test_a_ranked_passage_joins_whole_under_the_lead_and_is_cited():
    answer = _answer("Start with the concepts. [1]", [])
    answer.sources.append(Source("Guide › Concepts", "Start with the concepts.", 0.9, "p-c"))
    add_more_passages(answer, [RetrievedPassage(LIST, 0.6)])
    assert MORE_LEAD in answer.text
    tail = answer.text.split(MORE_LEAD)[1]
    assert "You have several options:\n• Kaggle competitions\n• Open source\nPick one. [2]" in tail
    assert [s.passage_id for s in answer.sources] == ["p-c", "p-list"]


def test_the_rest_of_a_cited_passage_keeps_its_number():
    answer = _answer("You have several options:\n• Kaggle competitions [1]", [LIST])
    add_more_passages(answer, [RetrievedPassage(LIST, 0.6)])
    tail = answer.text.split(MORE_LEAD)[1]
    assert "You have several options:\n• Open source\nPick one. [1]" in tail
    assert "Kaggle" not in tail and len(answer.sources) == 1


def test_the_intro_a_weak_passage_and_an_overlong_reply_add_nothing():
    answer = _answer("Start with the concepts. [1]", [])
    add_more_passages(answer, [RetrievedPassage(INTRO, 0.9), RetrievedPassage(LIST, 0.1)])
    assert answer.text == "Start with the concepts. [1]"
    long_reply = _answer("x" * 1450, [])
    add_more_passages(long_reply, [RetrievedPassage(LIST, 0.9)])
    assert long_reply.text == "x" * 1450 and not long_reply.sources
