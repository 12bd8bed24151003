"""Answer cards: quotes verified verbatim at ingest, bad entries named, cards answer questions."""

from __future__ import annotations

import re

import pytest

from bot.core.answers.more import MORE_LEAD
from bot.knowledge.cards import CardIndex, find_quote
from bot.knowledge.index import read_passages
from bot.knowledge.passages import Passage
from ingest.cards import load_cards
from ingest.pipeline import run_ingest

CARDS = "cards/how-to-get-a-machine-learning-internship.yaml"


def _passage(*sentences: str) -> Passage:
    return Passage("p-1", "a#0", "articles/a.md", "A", "S", "S", "\n".join(sentences), sentences)


def test_a_quote_is_found_with_the_articles_own_characters():
    p = _passage("You’ll have a “solid” foundation.", "- Probability and statistics")
    found = find_quote('you\'ll have a "solid" foundation.', [p])
    assert found is not None and found.text == "You’ll have a “solid” foundation."
    item = find_quote("Probability and statistics", [p])
    assert item is not None and item.is_item


@pytest.mark.parametrize(
    "quote",
    [
        "You’ll have a solid foundations.",  # not verbatim
        "You’ll have a",  # a fragment (as a YAML '#' comment would leave it)
        "solid” foundation.",  # does not start where a sentence starts
    ],
)
def test_a_quote_must_be_whole_verbatim_sentences(quote):
    assert find_quote(quote, [_passage("You’ll have a “solid” foundation.")]) is None


def test_shipped_cards_all_verify(built_settings):
    cards, problems = load_cards(built_settings.knowledge_dir, read_passages(built_settings))
    assert problems == []
    assert len(cards) >= 25 and sum(c.kind == "overview" for c in cards) == 1
    index = CardIndex.load(built_settings.index_dir)
    assert len(index.cards) == len(cards)
    assert index.vectors.shape[0] == sum(len(c.phrasings) for c in cards)


def test_a_bad_card_is_named_and_the_rest_are_ingested(workspace, embedder):
    path = workspace.knowledge_dir / CARDS
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "      - Maintaining a strong LinkedIn presence will help with any job search.",
        "      - Maintaining a strong LinkedIn presence will guarantee an offer.",
    )
    text += "  - id: no-section\n    section: Nowhere\n    phrasings: [x]\n    quotes: [y]\n"
    path.write_text(text, encoding="utf-8")
    summary = run_ingest(workspace, lambda: embedder, progress=False, build_onnx=False)
    card_errors = [e for e in summary.errors if e.startswith(CARDS)]
    assert any("'linkedin'" in e and "guarantee an offer" in e for e in card_errors)
    assert any("'no-section'" in e and "Nowhere" in e for e in card_errors)
    ids = {c.id for c in CardIndex.load(workspace.index_dir).cards}
    assert "linkedin" not in ids and "no-section" not in ids and "kaggle" in ids


def test_without_cards_the_article_is_answered_from_passages(workspace, embedder):
    from bot.core.answers.service import AnswerService

    (workspace.knowledge_dir / CARDS).unlink()
    summary = run_ingest(workspace, lambda: embedder, progress=False, build_onnx=False)
    assert summary.errors == []
    service = AnswerService.open(workspace, embedder)
    assert service.cards.cards == []
    answer = service.answer("how many public datasets does Kaggle have?")
    assert answer.in_scope and "50,000" in answer.text and answer.kind == "answer"


def test_a_card_answers_with_verbatim_quotes_and_both_sides(answer_service):
    answer = answer_service.answer("should I do a PhD to work in machine learning?")
    assert answer.in_scope and answer.kind == "answer"
    assert "PhD students are already ahead" in answer.text
    assert "Startups tend to look for candidates with a BS or MS" in answer.text  # counterweight
    for point in answer.points:
        assert point.text in answer.sources[point.source].text
    assert len(answer.text) <= 1600


def test_a_list_comes_with_its_lead_in(answer_service):
    answer = answer_service.answer("what do I need to know for machine learning?")
    lines = answer.text.splitlines()
    lead = next(i for i, line in enumerate(lines) if "quick checklist" in line)
    assert lines[lead + 1].startswith("• ")


def test_broad_question_gets_the_guides_path_in_order(answer_service):
    answer = answer_service.answer("How do I get a machine learning internship?")
    assert answer.kind == "overview" and answer.in_scope
    assert answer.steps == [
        "Understand the Major Machine Learning Concepts",
        "Build a Machine Learning Portfolio",
        "Write a Resume That Flatters Your Background",
        "Tailor Your Internship Search to Your Strengths",
    ]
    assert "coveted field" not in answer.text and "full-fledged" not in answer.text  # no lede
    for n in range(1, 5):
        assert f"[{n}]" in answer.text
    section, passages = answer_service.overview_step(2)
    assert section == "Build a Machine Learning Portfolio" and passages
    assert answer_service.overview_step(9) is None


def test_uncovered_near_domain_questions_are_declined_with_the_nearest_sections(answer_service):
    answer = answer_service.answer("how do I negotiate my internship offer?")
    assert not answer.in_scope and answer.sources == []
    assert "What the guide does cover" in answer.text


def test_two_questions_in_one_get_a_sensible_reply(answer_service):
    answer = answer_service.answer("is kaggle good and what do interns earn")
    assert answer.text and len(answer.text) <= 1600


def test_a_list_spanning_passages_reads_as_one_block_citing_each(answer_service):
    answer = answer_service.answer("how can I build a portfolio on my own?")
    card_part = answer.text.split(MORE_LEAD)[0]  # what follows is the ranking's extra passages
    block = next(b for b in card_part.split("\n\n") if "several options" in b)
    assert block.count("• ") >= 3 and "Kaggle" in block
    # its items sit in several passages of one section: cited once, by that section's number
    numbers = block.rsplit("[", 1)[1].rstrip("]").split(", ")
    cited = set(re.findall(r"(\d+)[,\]]", card_part))
    assert set(numbers) == cited and len(cited) == len(numbers) == 1
    assert answer.sources[int(numbers[0]) - 1].title.endswith("Build a Machine Learning Portfolio")


def test_one_word_and_very_long_questions_get_sensible_replies(answer_service):
    assert answer_service.answer("kaggle").in_scope
    long = answer_service.answer("is kaggle worth it for a portfolio? " * 300)
    assert long.note and len(long.text) <= 1600


def test_the_rankings_best_sentence_joins_once_and_never_past_the_limit():
    from bot.core.answers.cards import add_sentence
    from bot.core.answers.compose import Answer, AnswerPoint, Source
    from bot.core.answers.retrieval import RetrievedPassage

    card = _passage("Lead-in:", "- First item", "- Second item")
    other = Passage("p-2", "a#1", "articles/a.md", "A", "T", "T", "Other fact.", ("Other fact.",))
    answer = Answer(
        "q", "Lead-in:\n• First item [1]", True, "answer",
        [Source("A › S", card.text, 0.7, card.id)],
        [AnswerPoint("Lead-in:", 0), AnswerPoint("First item", 0, True)],
    )  # fmt: skip
    add_sentence(answer, RetrievedPassage(card, 0.6), 2)  # an item comes with its lead-in
    assert answer.text.endswith("Lead-in:\n• Second item [1]") and len(answer.sources) == 1
    add_sentence(answer, RetrievedPassage(card, 0.6), 2)  # already quoted: nothing added
    assert answer.text.count("Second item") == 1
    answer.text += "x" * 1590
    add_sentence(answer, RetrievedPassage(other, 0.5), 0)  # would pass 1,600 characters
    assert "Other fact." not in answer.text and len(answer.sources) == 1
