"""The eval's metric functions: what counts as a hit, a mention, a decline, the lede."""

from __future__ import annotations

import numpy as np

from bot.config import PROJECT_ROOT
from bot.core.answers.compose import lede_sentences
from bot.core.answers.evaluation import (
    EvalQuestion,
    NaiveRag,
    Reply,
    load_questions,
    mentions_all,
    naive_chunks,
    passage_hit,
    score_replies,
)
from bot.knowledge.passages import Passage

EVAL_DIR = PROJECT_ROOT / "knowledge" / "eval"


def _passage(heading: str, sentences: list[str], n: int = 0) -> Passage:
    return Passage(
        f"p-{n}",
        f"a.md#{n}",
        "a.md",
        "Guide",
        heading,
        heading,
        "\n".join(sentences),
        tuple(sentences),
    )


def test_passage_hit_folds_case_quotes_and_spaces():
    assert passage_hit(["You’ll have a  solid foundation."], ["you'll have a solid foundation"])
    assert not passage_hit(["something else"], ["solid foundation"])
    assert not passage_hit([], ["solid foundation"])


def test_every_fact_needs_one_of_its_alternatives():
    facts = [["Kaggle"], ["50,000", "datasets"]]
    assert mentions_all("Join a kaggle community: over 50,000 datasets", facts)
    assert mentions_all("KAGGLE has public DATASETS", facts)
    assert not mentions_all("Kaggle is a community", facts)
    assert mentions_all("anything", [])


def test_lede_is_the_intro_opening_and_closing():
    intro = _passage("", ["First line.", "Second line.", "Middle.", "A.", "B.", "Last."], 0)
    body = _passage("Portfolio", ["Build projects."], 1)
    assert lede_sentences([intro, body]) == ["First line.", "Second line.", "A.", "B.", "Last."]


def test_scoring_counts_hits_declines_length_and_lede():
    covered = EvalQuestion(
        "q1", "real", "covered", ("solid foundation",), (("foundation",),), ("S",)
    )
    uncovered = EvalQuestion("q2", "real", "uncovered")
    long_reply = "solid foundation " + "x" * 1700
    figures = score_replies(
        [covered, covered, uncovered, uncovered],
        [
            Reply("a solid foundation", False, ("a solid foundation",)),
            Reply(long_reply, False, ("nothing",)),
            Reply("I won't guess.", True, ()),
            Reply("First line. of the guide", False, ("x",)),
        ],
        ["First line."],
        "Guide",
    )
    real = figures["real"].row()
    assert real["passage_in_sources"] == 0.5
    assert real["must_mention"] == 1.0  # both mention it…
    assert real["key_facts_within_limit"] == 0.5  # …but one is too long to read on a phone
    assert (real["declined"], real["uncovered"], real["too_long"]) == (1, 2, 1)
    assert real["lede_shown"] == "1/3"  # declines are not eligible
    assert figures["all"].questions == 4


def test_wrongly_declined_answerable_question():
    partial = EvalQuestion("q", "paraphrase", "partial", ("x",), (("x",),))
    row = score_replies([partial], [Reply("no", True, ())], [], "Guide")["paraphrase"].row()
    assert row["wrongly_declined"] == 1 and row["must_mention"] == 0.0


def test_naive_rag_pastes_its_three_nearest_chunks():
    vectors = np.eye(4, dtype=np.float32)
    rag = NaiveRag(["a", "b", "c", "d"], vectors)
    reply = rag.reply(np.array([0.1, 0.9, 0.5, 0.0], dtype=np.float32))
    assert reply.sources == ("b", "c", "a") and reply.text == "b\n\nc\n\na" and not reply.declined


def test_naive_chunks_are_at_most_500_characters():
    sentences = [f"Sentence number {i} is here." for i in range(60)]
    chunks = naive_chunks([_passage("Section", sentences)])
    assert len(chunks) > 2 and all(len(c) <= 500 for c in chunks)


def test_both_sets_and_the_older_one_load():
    dev = load_questions(EVAL_DIR / "dev.yaml")
    assert {q.kind for q in dev} >= {"real", "paraphrase", "broad", "off_topic"}
    assert all(q.expect and q.must_mention for q in dev if q.answerable)
    test2 = load_questions(EVAL_DIR / "test2.yaml")  # held out: its shape only, never its text
    assert test2 and {q.kind for q in test2} == {"real"}
    assert all(q.expect and q.must_mention and q.sections for q in test2 if q.answerable)
    legacy = load_questions(EVAL_DIR / "questions.yaml")
    assert {q.kind for q in legacy} == {"paraphrase", "off_topic"}
    assert all(q.must_mention == (q.expect,) for q in legacy if q.answerable)
