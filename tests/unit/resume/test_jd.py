"""match_job_description: lexicon skills with aliases, alternatives, repeated phrases, score."""

from __future__ import annotations

import pytest

from bot.core.resume import match_job_description
from bot.core.resume.jd import repeated_phrases
from bot.core.resume.jd_parse import parse_requirements
from bot.core.resume.lexicon import count_skills, load_skills
from tests.unit.resume import samples


def test_lexicon_is_large_and_consistent():
    skills = load_skills()
    names = [skill.name for skill in skills]
    assert len(skills) >= 150
    assert len(names) == len(set(names))
    known = set(names)
    assert all(implied in known for skill in skills for implied in skill.implies)


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("sklearn pipelines", "scikit-learn"),
        ("Scikit-Learn", "scikit-learn"),
        ("natural language processing", "NLP"),
        ("natural-language processing", "NLP"),
        ("ran A/B tests", "A/B testing"),
        ("C++ and CUDA kernels", "C++"),
        ("Python or R.", "R"),
        ("Amazon Web Services", "AWS"),
        ("k8s clusters", "Kubernetes"),
        ("LLMs", "large language models"),
        ("computer vision", "computer vision"),
        ("Postgres", "PostgreSQL"),
    ],
)
def test_aliases_find_the_skill(text, skill):
    assert skill in count_skills(text)


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("R&D department", "R"),
        ("we go to market fast", "Go"),
        ("you will excel at this", "Excel"),
        ("send your CV", "computer vision"),
        ("a spark of curiosity", "Spark"),
    ],
)
def test_ordinary_words_are_not_skills(text, skill):
    assert skill not in count_skills(text)


def test_matched_and_missing():
    resume = "Skills: Python, SQL, sklearn, PyTorch. Built a ranking model for product search."
    result = match_job_description(resume, samples.JOB_DESCRIPTION)
    assert {"Python", "SQL", "PyTorch", "ranking models"} <= set(result.matched)
    assert {"statistics", "A/B testing", "Docker", "AWS", "feature pipelines"} <= set(
        result.missing
    )
    assert not set(result.matched) & set(result.missing)
    assert 0 < result.score < 100


def test_either_alternative_satisfies_an_or_requirement():
    jd = "Requirements\n- Experience with PyTorch or TensorFlow\n- Python"
    with_tf = match_job_description("TensorFlow and Python", jd)
    assert with_tf.score == 100 and with_tf.missing == []
    neither = match_job_description("Python", jd)
    assert neither.missing == ["PyTorch or TensorFlow"]


def test_implied_skills_count_as_shown():
    jd = "We want deep learning experience and Python."
    assert match_job_description("Trained models in PyTorch with Python", jd).score == 100


def test_required_skills_weigh_more_than_nice_to_haves():
    jd = "Requirements\n- Python\n- SQL\nNice to have\n- Docker\n- Kubernetes"
    required_only = match_job_description("Python, SQL", jd).score
    nice_only = match_job_description("Docker, Kubernetes", jd).score
    assert required_only > nice_only
    assert required_only + nice_only == 100


def test_repeated_multiword_phrases_become_keywords():
    phrases = repeated_phrases(samples.JOB_DESCRIPTION)
    assert "ranking models" in phrases and "feature pipelines" in phrases
    # said once, or generic words only: not a keyword
    assert "online retail" not in phrases
    assert all(not count_skills(phrase) for phrase in phrases)


def test_phrase_matching_allows_singular():
    jd = "You will build ranking models. Our ranking models serve shoppers."
    assert match_job_description("I built a ranking model.", jd).matched == ["ranking models"]


def test_score_bounds():
    # every ask shown in a job or a project
    everything = f"Experience\n{samples.JOB_DESCRIPTION}\nProjects\nA ranking model in Python.\n"
    assert match_job_description(everything, samples.JOB_DESCRIPTION).score == 100
    nothing = match_job_description("Barista. Latte art.", samples.JOB_DESCRIPTION)
    assert nothing.score == 0 and nothing.matched == []


def test_job_description_without_recognisable_asks():
    result = match_job_description("Python", "Come and join our friendly team!")
    assert (result.score, result.matched, result.missing) == (0, [], [])


def test_requirements_carry_weights():
    asks = {
        r.options: r for r in parse_requirements("Requirements\n- Python\nNice to have\n- Docker")
    }
    assert asks[("Python",)].weight > asks[("Docker",)].weight
    assert asks[("Python",)].required and not asks[("Docker",)].required


@pytest.mark.parametrize(
    ("line", "years"),
    [
        ("- 1+ years of experience building ML models", 1),
        ("- At least one year of experience with Python", 1),
        ("- 2-4 years of industry experience", 2),
        ("- Two (2) years experience building models", 2),
    ],
)
def test_years_of_experience_are_their_own_requirement(line, years):
    found = [r for r in parse_requirements(f"Requirements\n{line}") if r.kind == "years"]
    assert [r.level for r in found] == [years] and found[0].required


def test_and_binds_looser_than_or():
    jd = "Requirements\n- Hands-on experience with scikit-learn and XGBoost or LightGBM"
    asks = [r.options for r in parse_requirements(jd) if r.kind == "skill"]
    assert asks == [("scikit-learn",), ("XGBoost", "LightGBM")]
    assert (
        match_job_description("Projects\n- Churn model in LightGBM and scikit-learn\n", jd).score
        == 100
    )


def test_degree_fields_are_one_requirement_not_skills():
    jd = "Requirements\n- BS or MS in Computer Science, Statistics, Mathematics or a related field"
    [degree] = parse_requirements(jd)
    assert degree.kind == "degree" and degree.related_ok and degree.level == 1
    assert set(degree.options) == {"computer science", "statistics", "mathematics"}
    physics = "Education\nB.Sc. Physics, 2023\n\nProjects\n- A model in Python\n"
    assert match_job_description(physics, jd).score == 100  # physics is a related field
    history = "Education\nB.A. History, 2023\n\nProjects\n- A model in Python\n"
    assert match_job_description(history, jd).score == 0


def test_versions_and_synonyms_are_one_skill():
    jd = "Requirements\n- Experience with YOLOv8\n- sklearn\n- LLMs"
    resume = (
        "Projects\n- Vehicle counter with YOLO11 object detection\n"
        "- Classifier in scikit-learn\n- Summaries with a large language model\n"
    )
    result = match_job_description(resume, jd)
    assert result.score == 100, result.missing


def test_a_skill_shown_in_a_bullet_counts_more_than_a_listed_one():
    jd = "Requirements\n- PyTorch"
    shown = "Projects\n- Trained a CNN in PyTorch\n\nSkills\nPython, SQL\n"
    listed = "Projects\n- Trained a CNN\n\nSkills\nPython, SQL, PyTorch\n"
    assert match_job_description(shown, jd).score > match_job_description(listed, jd).score > 0
