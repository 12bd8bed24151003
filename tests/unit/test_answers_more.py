"""'More from the guide': the ranking's passages join a reply in full, never past the limit."""

from __future__ import annotations

from bot.core.answers.compose import (
    MAX_REPLY_CHARS,
    Answer,
    AnswerPoint,
    Source,
    merge_sources_by_citation,
)
from bot.core.answers.more import (
    MORE_LEAD,
    add_more_passages,
    best_that_fit,
    continued_lead_ins,
    unquoted_sentences,
    with_context,
)
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
    long_reply = _answer("x" * 1580, [])
    add_more_passages(long_reply, [RetrievedPassage(LIST, 0.9)])
    assert long_reply.text == "x" * 1580 and not long_reply.sources


LONG = _passage(
    "p-long",
    "Concepts",
    (
        "Machine learning applies statistics to data. " * 4,
        "Here's a quick checklist:",
        "- Probability and statistics",
        "- System design",
        "This will help you fast-track your learning.",
        "Coursera offers certificates. " * 4,
    ),
)


def test_a_sentence_comes_with_what_it_needs():
    assert sorted(with_context(LONG.sentences, 3)) == [1, 3]  # an item and its lead-in
    assert sorted(with_context(LONG.sentences, 4)) == [1, 2, 3, 4]  # "This…" and the list
    assert with_context(LONG.sentences, 0) == [0]


def test_the_best_sentences_that_fit_are_kept_in_reading_order():
    indexes = list(range(len(LONG.sentences)))
    scores = {2: 0.8, 5: 0.6, 0: 0.1}
    kept = best_that_fit(LONG.sentences, indexes, scores, 200)
    assert kept[:2] == [1, 2] and 0 not in kept and kept == sorted(kept)
    assert best_that_fit(LONG.sentences, indexes, scores, 10) == []


def test_a_passage_too_long_for_the_room_left_adds_its_best_sentences():
    answer = _answer("y" * 1400 + " [1]", [])
    ranked = RetrievedPassage(LONG, 0.5, sentence_scores={2: 0.8, 0: 0.1})
    add_more_passages(answer, [ranked])
    assert len(answer.text) <= MAX_REPLY_CHARS
    tail = answer.text.split(MORE_LEAD)[1]
    assert "Here's a quick checklist:\n• Probability and statistics" in tail
    assert "applies statistics" not in tail  # the least relevant sentence did not fit


def test_filling_the_budget_never_passes_the_limit():
    for length in range(1300, 1600, 7):
        answer = _answer("z" * length, [])
        add_more_passages(
            answer,
            [RetrievedPassage(LONG, 0.5, sentence_scores={5: 0.7}), RetrievedPassage(LIST, 0.4)],
        )
        assert len(answer.text) <= MAX_REPLY_CHARS


SPLIT_LEAD = _passage("p-a", "Portfolio", ("Projects prove skills.", "You have several options."))
SPLIT_ITEMS = _passage("p-b", "Portfolio", ("- Kaggle competitions", "- Open source"))


def test_a_lead_in_whose_list_the_next_passage_holds_never_comes_alone():
    assert continued_lead_ins([INTRO, SPLIT_LEAD, SPLIT_ITEMS, LIST]) == {"p-a"}
    answer = _answer("Start with the concepts. [1]", [])
    answer.sources.append(Source("Guide › Concepts", "Start with the concepts.", 0.9, "p-c"))
    add_more_passages(answer, [RetrievedPassage(SPLIT_LEAD, 0.6)], lead_ins={"p-a"})
    tail = answer.text.split(MORE_LEAD)[1]
    assert "Projects prove skills. [2]" in tail and "several options" not in tail
    unmarked = _answer("Start with the concepts. [1]", [])
    add_more_passages(unmarked, [RetrievedPassage(SPLIT_LEAD, 0.6)])
    assert "several options" in unmarked.text  # what the mark prevents


def test_passages_of_one_section_share_one_source_number():
    other = _passage("p-other", "Résumé", ("Put projects first.",))
    answer = _answer(
        "You have several options: [1]\n\nPut projects first. [2]\n\n"
        f"{MORE_LEAD}\n\nPick one, see [3] there. [3]\n\nKaggle [1, 3]",
        [LIST, other, INTRO],
    )
    answer.sources[2] = Source(LIST.citation, "Then practise.", 0.95, "p-list-2")
    answer.points = [AnswerPoint("You have several options:", 0), AnswerPoint("x", 2)]
    merge_sources_by_citation(answer)
    assert [s.title for s in answer.sources] == [LIST.citation, other.citation]
    assert answer.sources[0].text == f"{LIST.text}\n\nThen practise."
    assert answer.sources[0].score == 0.95 and answer.sources[0].passage_id == "p-list"
    # block marks renumbered and merged; a bracket inside a quote is not a mark
    assert answer.text.endswith("Pick one, see [3] there. [1]\n\nKaggle [1]")
    assert "Put projects first. [2]" in answer.text
    assert [p.source for p in answer.points] == [0, 0]
