"""The résumé coach's shared wording: review, guided advice and JD match as text blocks."""

from __future__ import annotations

import pytest

from bot.core.resume import (
    GUIDED_STEPS,
    ResumeInputError,
    advise,
    match_job_description,
    review_resume,
)
from bot.core.resume import session as coach
from bot.core.resume.extract import MAX_FILE_BYTES
from bot.core.resume.sections import split_sections
from tests.unit.resume import samples

ARTICLE = "How to Get a Machine Learning Internship › "


def test_review_names_found_and_missing_sections_and_both_orders():
    blocks = coach.format_review_text(review_resume(samples.PROJECTS_HEAVY))
    text = "\n\n".join(blocks)
    assert blocks[0] == "Sections found:\nExperience, Projects, Education, Skills"
    assert blocks[1] == "Missing sections:\nSummary"
    assert "Yours: Experience → Projects → Education → Skills" in blocks[2]
    assert "Recommended: Summary → Projects → Experience → Skills → Education" in blocks[2]
    assert "Consider moving your sections" in blocks[2]
    assert "• Tweet Sentiment: no purpose or method" in text
    assert "Movie Recommender" not in text  # it has both a purpose and a method


def test_every_review_tip_is_its_own_block_with_its_source():
    review = review_resume(samples.PROJECTS_HEAVY)
    tip_blocks = [b for b in coach.review_blocks(review) if b.lines and b.lines[0].startswith("💡")]
    assert len(tip_blocks) == len(review.tips) > 0
    for block, tip in zip(tip_blocks, review.tips):
        assert block.source == tip.source and block.source.startswith(ARTICLE)
        assert tip.text in block.plain() and f"Source: {tip.source}" in block.plain()
    assert tip_blocks[0].title == "Tips" and all(b.title is None for b in tip_blocks[1:])


def test_an_order_that_already_follows_the_advice_says_so():
    review = review_resume(samples.EXPERIENCE_HEAVY)
    blocks = coach.format_review_text(review)
    assert blocks[1] == "Missing sections:\nNone: all five main sections are there."
    assert "Consider moving" in blocks[2]
    layout = split_sections(samples.EXPERIENCE_HEAVY)
    by_name = {section.name: f"{section.heading}\n{section.text}" for section in layout.sections}
    reordered = "\n\n".join([layout.preamble, *(by_name[n] for n in review.recommended_order)])
    order = coach.format_review_text(review_resume(reordered))[2]
    assert "Yours: Summary → Education → Experience → Projects → Skills" in order
    assert "already follow the recommended order" in order


def test_not_a_resume_gives_only_the_explanation():
    blocks = coach.format_review_text(review_resume(samples.RECIPE))
    assert len(blocks) == 1 and "doesn't look like a résumé" in blocks[0]
    assert "Sections found" not in blocks[0]


def test_review_with_a_job_description_includes_the_match():
    text = "\n\n".join(
        coach.format_review_text(review_resume(samples.PROJECTS_HEAVY, samples.JOB_DESCRIPTION))
    )
    assert "Job description match:" in text and "% of what the posting asks for" in text


@pytest.mark.parametrize("background", [c.value for c in GUIDED_STEPS[0].choices])
@pytest.mark.parametrize("more_projects", [True, False])
def test_guided_advice_order_tips_with_sources_then_file_hint(background, more_projects):
    advice = advise(background, more_projects)
    blocks = coach.format_guided_advice(advice)
    assert blocks[0] == "Recommended section order:\n" + coach.order_text(advice.recommended_order)
    tips = blocks[1:-1]
    assert len(tips) == len(advice.tips) > 0
    assert all(f"Source: {ARTICLE}" in tip for tip in tips)
    assert blocks[-1] == f"📎 {coach.SEND_FILE_HINT}"
    expected_first = "Projects" if more_projects else "Experience"
    main = [n for n in advice.recommended_order if n in ("projects", "experience")]
    assert coach.section_title(main[0]) == expected_first


def test_guided_advice_file_hint_can_be_replaced():
    blocks = coach.format_guided_advice(advise("phd", False), "Use /resume PATH.")
    assert blocks[-1] == "📎 Use /resume PATH." and coach.SEND_FILE_HINT not in "".join(blocks)


def test_match_lists_asks_present_missing_score_and_a_cited_tip():
    match = match_job_description(samples.PROJECTS_HEAVY, samples.JOB_DESCRIPTION)
    blocks = coach.format_match(match)
    score = f"{match.score}% of what the posting asks for shows on your résumé."
    assert blocks[0] == f"Job description match:\n{score}"
    asks = blocks[1].split("\n")[1].split(", ")
    assert set(asks) == set(match.matched) | set(match.missing)
    assert "Python" in blocks[2] and "Docker" in blocks[3] and "Docker" not in blocks[2]
    assert f"Source: {ARTICLE}Tailor Each Resume to the Job" in blocks[4]


def test_match_without_any_asks_explains_instead_of_scoring_zero():
    blocks = coach.format_match(match_job_description(samples.PROJECTS_HEAVY, "hello there"))
    assert blocks == [coach.NO_ASKS]


def test_full_match_has_no_gaps_tip():
    match = match_job_description("Python and SQL every day", "Requirements\n- Python\n- SQL")
    blocks = coach.format_match(match)
    assert match.score == 100 and "nothing: well covered" in blocks[3] and len(blocks) == 4


@pytest.mark.parametrize(
    "answer, value",
    [
        ("1", "self_taught"),
        ("2", "bootcamp"),
        ("boot camp", "bootcamp"),
        ("PhD", "phd"),
        (" 5. ", "phd"),
        ("0", None),
        ("6", None),
        ("maybe", None),
    ],
)
def test_parse_choice(answer, value):
    assert coach.parse_choice(GUIDED_STEPS[0], answer) == value


def test_numbered_question_lists_every_choice():
    text = coach.numbered_question(GUIDED_STEPS[1])
    assert text.startswith(GUIDED_STEPS[1].question)
    assert "  1. More projects" in text and "  2. More work experience" in text


def test_choice_label():
    assert coach.choice_label("background", "other_degree") == "Degree in another field"
    assert coach.choice_label("background", "wizard") is None
    assert coach.choice_label("nope", "phd") is None


def test_read_and_review_pasted_text_and_refusals(tmp_path):
    text, review = coach.review_pasted(samples.EXPERIENCE_HEAVY)
    assert "Senior Data Analyst" in text and review.error is None
    with pytest.raises(ResumeInputError) as error:
        coach.read_and_review(b"plain words, not a pdf", "cv.pdf")
    assert error.value.code == "mismatch"
    big = tmp_path / "big.pdf"
    big.write_bytes(b"\0" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ResumeInputError) as error:
        coach.read_resume_path(big)
    assert error.value.code == "too_large"
    with pytest.raises(ResumeInputError) as error:
        coach.read_resume_path(tmp_path / "missing.pdf")
    assert error.value.code == "io" and "missing.pdf" in error.value.message


@pytest.mark.parametrize(
    "text, expected",
    [
        ("is kaggle worth it?", True),
        ("what goes first on my CV?", True),
        (samples.PROJECTS_HEAVY, False),
        ("Python, SQL, PyTorch", False),
        ("Requirements:\n- Python?\n- SQL?", False),
    ],
)
def test_looks_like_question(text, expected):
    assert coach.looks_like_question(text) is expected
