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


def test_review_opens_with_a_short_verdict_then_sections_and_both_orders():
    blocks = coach.format_review_text(review_resume(samples.PROJECTS_HEAVY))
    verdict = blocks[0].split("\n")
    assert verdict[0] == "Verdict:" and len(verdict) <= 5
    assert "1 job, 3 projects" in verdict[1]
    assert verdict[2].startswith("Order: ") and "move" in verdict[2]
    assert (
        blocks[1] == "Sections:\nFound: Experience, Projects, Education, Skills\nMissing: Summary"
    )
    assert "Yours: Experience → Projects → Education → Skills" in blocks[2]
    assert "Recommended: Summary → Projects → Experience → Skills → Education" in blocks[2]
    text = "\n\n".join(blocks)
    assert "Your project “Tweet Sentiment” has no purpose or method" in text
    assert "project “Movie Recommender” has no" not in text  # it has a purpose and a method


def test_notes_are_grouped_by_section_each_with_its_source():
    review = review_resume(samples.PROJECTS_HEAVY)
    blocks = coach.review_blocks(review)
    notes = [b for b in blocks if b.lines and b.lines[0].startswith("💡")]
    assert len(notes) == len(review.tips) > 0
    titles = [b.title for b in notes if b.title]
    assert titles == sorted(set(titles), key=titles.index)  # one title per section group
    for block in notes:
        tip = next(t for t in review.tips if f"💡 {t.text}" == block.lines[0])
        assert block.source == tip.source
        assert tip.source.startswith(ARTICLE) or tip.source.startswith("Beyond the article")
        assert f"Source: {tip.source}" in block.plain()


def test_an_order_that_already_follows_the_advice_says_so():
    review = review_resume(samples.EXPERIENCE_HEAVY)
    blocks = coach.format_review_text(review)
    assert blocks[1] == "Sections:\nFound: Summary, Projects, Experience, Education, Skills"
    assert "already follow" not in blocks[2]
    layout = split_sections(samples.EXPERIENCE_HEAVY)
    by_name = {section.name: f"{section.heading}\n{section.text}" for section in layout.sections}
    reordered = "\n\n".join([layout.preamble, *(by_name[n] for n in review.recommended_order)])
    again = coach.format_review_text(review_resume(reordered))
    assert "Yours: Summary → Experience → Projects → Skills → Education" in again[2]
    assert "already follow the recommended order" in again[2]
    assert "Order: right for your background." in again[0]


def test_not_a_resume_gives_only_the_explanation():
    blocks = coach.format_review_text(review_resume(samples.RECIPE))
    assert len(blocks) == 1 and "doesn't look like a résumé" in blocks[0]
    assert "Sections found" not in blocks[0]


def test_review_with_a_job_description_includes_the_match():
    text = "\n\n".join(
        coach.format_review_text(review_resume(samples.PROJECTS_HEAVY, samples.JOB_DESCRIPTION))
    )
    assert "Match with the posting:" in text and "requirements shown" in text
    assert "Required:" in text and ("✅" in text or "❌" in text)


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


def test_match_shows_score_then_each_requirement_with_evidence_and_a_cited_tip():
    match = match_job_description(samples.PROJECTS_HEAVY, samples.JOB_DESCRIPTION)
    blocks = coach.format_match(match)
    assert blocks[0].startswith(f"Job description match:\n{match.score}% match: ")
    assert "Missing: statistics; A/B testing." in blocks[0]
    required, nice = blocks[1].split("\n"), blocks[2].split("\n")
    assert required[0] == "Required:" and nice[0] == "Nice to have:"
    python = next(line for line in required if "Python" in line)
    assert python.startswith("✅ Python") and "“" in python  # with the résumé line
    assert "❌ Docker" in blocks[2] and "❌ statistics" in blocks[1]
    assert f"Source: {ARTICLE}Tailor Each Resume to the Job" in blocks[3]
    summary_only = coach.match_blocks(match, details=False)
    assert [b.title for b in summary_only] == ["Job description match", None]


def test_match_without_any_asks_explains_instead_of_scoring_zero():
    blocks = coach.format_match(match_job_description(samples.PROJECTS_HEAVY, "hello there"))
    assert blocks == [coach.NO_ASKS]


def test_full_match_has_no_gaps_tip():
    match = match_job_description("Python and SQL every day", "Requirements\n- Python\n- SQL")
    blocks = coach.format_match(match)
    assert match.score == 100 and len(blocks) == 2 and "Missing" not in blocks[0]


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
    text, review = coach.read_and_review(samples.EXPERIENCE_HEAVY.encode(), "cv.pdf")
    assert "Senior Data Analyst" in text and review.error is None  # the content decides
    with pytest.raises(ResumeInputError) as error:
        coach.read_and_review(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "cv.pdf")
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
