"""Background inference: counting jobs and projects, degree field, PhD, pathway."""

from __future__ import annotations

import pytest

from bot.core.resume.background import infer_degree, infer_pathway
from bot.core.resume.entries import split_entries
from bot.core.resume.projects import project_gaps
from bot.core.resume.sections import split_sections


@pytest.mark.parametrize(
    ("section", "count"),
    [
        (
            "Data Analyst, Acme Corp    Jan 2021 – Dec 2022\n• Built dashboards\n• Automated reports\n"
            "Intern, Beta Inc    Jun 2020 – Aug 2020\n• Cleaned data",
            2,
        ),
        ("Data Analyst, Acme, 2021–2022\nIntern, Beta, 2020\nTutor, Self-employed, 2018", 3),
        (
            "Acme Corp\nData Analyst\n2021 – 2022\nBuilt dashboards for sales.\nBeta Inc\nIntern\n2020",
            2,
        ),
        ("- Data Analyst | Acme | 2021\n- Intern | Beta | 2020", 2),
        ("**Barista**, Blue Bottle, 2019 – 2021\n- Trained new staff", 1),
        ("", 0),
    ],
    ids=["title-bullets", "one-per-line", "stacked-lines", "bullets", "bold-title", "empty"],
)
def test_counting_jobs(section, count):
    assert len(split_entries(section)) == count


@pytest.mark.parametrize(
    ("section", "titles"),
    [
        (
            "### Movie Recommender\nRecommends films. Trained a PyTorch model.\n"
            "### Dog Breed Classifier\nUsed a CNN.",
            ["Movie Recommender", "Dog Breed Classifier"],
        ),
        (
            "- Sentiment Analyzer: fine-tuned BERT on IMDb reviews to classify sentiment\n"
            "- Stock Forecaster — LSTM model predicting daily prices\n- Personal website",
            ["Sentiment Analyzer", "Stock Forecaster", "Personal website"],
        ),
        (
            "Movie Recommender\nCredit Scoring Model\nChatbot",
            ["Movie Recommender", "Credit Scoring Model", "Chatbot"],
        ),
        (
            "Movie Recommender\nRecommends films to users with collaborative filtering.\n"
            "Credit Default Predictor\nUsed XGBoost\nChatbot",
            ["Movie Recommender", "Credit Default Predictor", "Chatbot"],
        ),
    ],
    ids=["markdown", "bullets-inline", "titles-only", "titles-and-prose"],
)
def test_splitting_projects(section, titles):
    assert [entry.title for entry in split_entries(section)] == titles


@pytest.mark.parametrize(
    ("project", "missing"),
    [
        (
            "Movie Recommender\nRecommends films to users. Trained matrix factorisation in PyTorch.",
            [],
        ),
        ("Dog Breed Classifier\nIdentifies breeds from photos using a fine-tuned CNN.", []),
        ("Weather App\nBuilt with Flask and scikit-learn.", ["purpose"]),
        ("Essay Helper\nHelps students improve essays.", ["method"]),
        ("Side Project", ["purpose", "method"]),
    ],
)
def test_project_purpose_and_method(project, missing):
    (entry,) = split_entries(project)
    assert project_gaps(entry) == missing


@pytest.mark.parametrize(
    ("education", "field", "related", "phd"),
    [
        ("B.A. in History, State University, 2019", "history", False, False),
        ("BSc Computer Science\nUniversity of Leeds, 2022", "computer science", True, False),
        ("Bachelor of Science in Mathematics", "mathematics", True, False),
        ("Master of Science in Statistics; BA English", "statistics", True, False),
        ("Ph.D. candidate, Applied Mathematics, MIT", "applied mathematics", True, True),
        ("PhD in Psychology, 2024", "psychology", False, True),
        ("MBA, Wharton, 2020", "business administration", False, False),
        ("BS, Psychology, 2020", "psychology", False, False),
        ("B.Eng. Computer Engineering", "computer engineering", True, False),
        ("BA in Computational Linguistics", "computational linguistics", True, False),
        ("Bachelor of Arts in Underwater Basket Weaving", "underwater basket weaving", None, False),
        ("Riverside High School", None, None, False),
    ],
)
def test_degree_field(education, field, related, phd):
    text = f"Jane Doe\n\nEducation\n{education}\n\nSkills\nPython"
    assert infer_degree(split_sections(text), text) == (field, related, phd)


def test_phd_mentioned_only_in_experience_does_not_make_a_phd():
    text = (
        "Experience\nLab assistant, 2021 – 2022\n- Supported PhD students with data collection\n\n"
        "Education\nBSc Biology, 2022"
    )
    assert infer_degree(split_sections(text), text) == ("biology", False, False)


@pytest.mark.parametrize(
    ("text", "has_degree", "expected"),
    [
        ("Self-taught ML engineer", True, (True, False)),
        ("I taught myself Python", False, (True, False)),
        ("Finished Andrew Ng's Coursera courses", False, (True, False)),
        ("Finished Andrew Ng's Coursera courses", True, (False, False)),
        ("Graduate of the Le Wagon data science bootcamp", True, (False, True)),
        ("General Assembly Data Science Immersive, 2022", False, (False, True)),
        ("BSc Computer Science", True, (False, False)),
    ],
)
def test_self_taught_and_bootcamp(text, has_degree, expected):
    assert infer_pathway(text, has_degree) == expected
