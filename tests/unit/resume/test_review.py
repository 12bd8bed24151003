"""review_resume: background, recommended order, project issues, tips, errors, JSON shape."""

from __future__ import annotations

import json

import pytest

from bot.core.resume import review_resume
from bot.core.resume.rubric import load_rubric
from tests.unit.resume import samples

CANONICAL = {"summary", "experience", "projects", "education", "skills"}
ARTICLE = "How to Get a Machine Learning Internship"


def _tip_ids(review) -> list[str]:
    return [tip.rule_id for tip in review.tips]


def test_json_shape_is_exact():
    data = review_resume(samples.PROJECTS_HEAVY, samples.JOB_DESCRIPTION).to_json()
    assert list(data) == [
        "sections",
        "missing",
        "recommended_order",
        "background",
        "tips",
        "jd_match",
        "project_issues",
        "unplaced",
        "bullet_notes",
    ]
    assert set(data["background"]) == {
        "kind",
        "jobs",
        "projects",
        "degree_field",
        "degree_related",
        "phd",
        "self_taught",
        "bootcamp",
    }
    assert all(set(tip) == {"text", "source"} for tip in data["tips"])
    assert set(data["jd_match"]) == {
        "score", "matched", "missing", "requirements", "keyword_stuffing",
    }  # fmt: skip
    assert all(
        set(r) == {"requirement", "kind", "required", "met", "evidence"}
        for r in data["jd_match"]["requirements"]
    )
    assert all(set(note) == {"line", "problem", "section"} for note in data["bullet_notes"])
    assert isinstance(data["jd_match"]["score"], int) and 0 <= data["jd_match"]["score"] <= 100
    assert all(set(issue) == {"project", "missing"} for issue in data["project_issues"])
    for key in ("sections", "missing", "recommended_order"):
        assert set(data[key]) <= CANONICAL
    assert json.loads(json.dumps(data)) == data


def test_without_job_description_jd_match_is_null():
    assert review_resume(samples.PROJECTS_HEAVY).to_json()["jd_match"] is None


def test_projects_heavy_unrelated_degree():
    review = review_resume(samples.PROJECTS_HEAVY)
    data = review.to_json()
    assert data["sections"] == ["experience", "projects", "education", "skills"]
    assert data["missing"] == ["summary"]
    assert data["background"] == {
        "kind": "other_field",
        "jobs": 1,
        "projects": 3,
        "degree_field": "history",
        "degree_related": False,
        "phd": False,
        "self_taught": False,
        "bootcamp": False,
    }
    assert data["recommended_order"] == ["summary", "projects", "experience", "skills", "education"]
    ids = _tip_ids(review)
    assert {"summary_missing", "projects_above_experience", "education_bottom"} <= set(ids)
    assert "experience_above_projects" not in ids
    assert data["project_issues"] == [
        {"project": "Tweet Sentiment", "missing": ["purpose", "method"]}
    ]


def test_experience_heavy_related_degree():
    review = review_resume(samples.EXPERIENCE_HEAVY)
    background = review.background
    assert (background.jobs, background.projects) == (3, 1)
    assert (background.degree_field, background.degree_related) == ("statistics", True)
    # Data analyst jobs are real data work: experience leads, the degree goes last.
    assert background.kind == "engineer"
    assert review.recommended_order == ["summary", "experience", "projects", "skills", "education"]
    ids = _tip_ids(review)
    assert "experience_above_projects" in ids  # Projects currently sit above Experience
    assert "projects_above_experience" not in ids
    assert "education_bottom" not in ids and "summary_missing" not in ids
    assert "tangential_experience" not in ids  # analytics work is already tangential


def test_unrelated_degree_at_the_top_should_move_to_the_bottom():
    review = review_resume(samples.UNRELATED_DEGREE)
    assert review.sections[0] == "education"
    assert review.background.degree_related is False
    assert review.background.degree_field == "english literature"
    assert review.background.self_taught is True
    assert review.recommended_order[-1] == "education"
    tips = {tip.rule_id: tip for tip in review.tips}
    assert "english literature" in tips["education_bottom"].text
    assert tips["education_bottom"].source == f"{ARTICLE} › Education"
    assert "summary_not_first" in tips
    assert "summary_self_taught" not in tips  # the summary already says "taught myself"


def test_phd_puts_education_high():
    review = review_resume(samples.PHD)
    assert review.background.phd is True
    assert review.background.degree_related is True
    assert review.recommended_order[:2] == ["summary", "education"]
    assert review.recommended_order[2:4] == ["experience", "projects"]  # 2 jobs, 0 projects


def test_phd_education_below_experience_gets_the_phd_tip():
    review = review_resume(samples.PHD)
    assert review.sections.index("experience") < review.sections.index("education")
    assert "phd_education_high" in _tip_ids(review)


def test_bootcamp_background_and_project_issue():
    review = review_resume(samples.BOOTCAMP)
    assert review.background.bootcamp is True and review.background.self_taught is False
    assert review.background.projects == 3 and review.background.jobs == 1
    assert [issue.title for issue in review.project_issues] == ["Capstone Chatbot"]
    assert review.project_issues[0].missing == ["method"]
    ids = _tip_ids(review)
    assert "summary_bootcamp" not in ids  # the profile mentions the boot camp
    assert "highlight_reel" in ids and "target_startups" in ids


def test_self_taught_without_summary_gets_the_self_taught_tip():
    portfolio_onwards = samples.BOOTCAMP.split("Portfolio", 1)[1]
    review = review_resume("Jordan Lee\nSelf-taught ML engineer.\n\nPortfolio" + portfolio_onwards)
    assert review.background.self_taught is True
    assert "summary" not in review.sections
    ids = _tip_ids(review)
    assert "summary_self_taught" in ids and "summary_missing" not in ids


def test_every_tip_cites_an_article_section():
    headings = {rule.section for rule in load_rubric().rules}
    for sample in (samples.PROJECTS_HEAVY, samples.EXPERIENCE_HEAVY, samples.PHD, samples.BOOTCAMP):
        for tip in review_resume(sample, samples.JOB_DESCRIPTION).tips:
            assert tip.text
            if tip.beyond_article:  # bullet feedback, unplaced headings: marked as such
                assert tip.source.startswith("Beyond the article") and not tip.quote
                continue
            article, section = tip.source.split(" › ")
            assert article == ARTICLE and section in headings
            assert tip.quote


def test_job_description_changes_the_tips():
    without = _tip_ids(review_resume(samples.PROJECTS_HEAVY))
    with_jd = review_resume(samples.PROJECTS_HEAVY, samples.JOB_DESCRIPTION)
    assert "tailor_to_job" in without and "tailor_to_job" not in _tip_ids(with_jd)
    gaps = next(tip for tip in with_jd.tips if tip.rule_id == "job_description_gaps")
    assert "A/B testing" in gaps.text
    assert with_jd.jd_match.missing and "A/B testing" in with_jd.jd_match.missing


@pytest.mark.parametrize(
    "text",
    [samples.RECIPE, samples.RANDOM_TEXT, "", "   ", "Python"],
    ids=["recipe", "random", "empty", "blank", "one-word"],
)
def test_not_a_resume_gets_an_explanation_not_advice(text):
    data = review_resume(text, samples.JOB_DESCRIPTION).to_json()
    assert data["error"]
    assert "résumé" in data["error"]
    assert data["tips"] == [] and data["sections"] == [] and data["recommended_order"] == []
    assert data["background"] == {} and data["jd_match"] is None and data["project_issues"] == []


def test_resume_without_headings_but_many_resume_signals_is_reviewed():
    text = (
        "Jane Doe, jane@example.com, +1 555 010 2030, github.com/jane\n"
        "Data Analyst Intern at Acme, 2022 – 2023: Python, SQL, pandas and Tableau dashboards.\n"
        "BSc Mathematics, City University, 2023. Built a churn model with scikit-learn."
    )
    data = review_resume(text).to_json()
    assert "error" not in data
    # No headings: a dated role line is a job, a degree line is education.
    assert data["sections"] == ["experience", "education"]
    assert data["missing"] == ["summary", "projects", "skills"]


@pytest.mark.parametrize(
    ("contact", "asked"),
    [
        ("github.com/jane", False),
        ("Portfolio: janedoe.dev", False),  # the article: "build your own website"
        ("https://jane.netlify.app", False),
        ("linkedin.com/in/jane", True),
        ("Certificate: DeepLearning.AI", True),  # a brand, not a link
    ],
)
def test_the_portfolio_link_tip_only_when_there_is_no_portfolio_link(contact, asked):
    text = samples.EXPERIENCE_HEAVY.replace("linkedin.com/in/samrivera", contact)
    assert ("github_link" in _tip_ids(review_resume(text))) is asked


def test_a_bootcamp_named_in_the_summary_is_not_asked_for():
    text = samples.BOOTCAMP.replace(
        "Springboard Machine Learning Engineering\nBootcamp", "Le Wagon"
    )
    assert "Le Wagon" in text and "Springboard" not in text
    review = review_resume(text)
    assert review.background.bootcamp and "summary_bootcamp" not in _tip_ids(review)
