"""Section detection copes with the many ways résumés name and format headings."""

from __future__ import annotations

import pytest

from bot.core.resume import extract_text, find_sections, split_sections
from bot.core.resume.sections import classify_heading
from tests.unit.resume import builders


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("Profile", "summary"),
        ("About me", "summary"),
        ("ABOUT ME:", "summary"),
        ("Professional Summary", "summary"),
        ("## Summary", "summary"),
        ("Career Objective", "summary"),
        ("Work History", "experience"),
        ("Professional Experience", "experience"),
        ("EMPLOYMENT", "experience"),
        ("Relevant Work Experience:", "experience"),
        ("Research Experience", "experience"),
        ("Selected Projects", "projects"),
        ("Portfolio", "projects"),
        ("### Machine Learning Projects", "projects"),
        ("**PERSONAL PROJECTS**", "projects"),
        ("Open-Source Contributions", "projects"),
        ("Education", "education"),
        ("Academic Background", "education"),
        ("EDUCATION & CERTIFICATIONS", "education"),
        ("Skills", "skills"),
        ("Technical Skills:", "skills"),
        ("Tools", "skills"),
        ("Skills & Tools", "skills"),
        ("Tech Stack", "skills"),
        ("E D U C A T I O N", "education"),
        ("W O R K   E X P E R I E N C E", "experience"),
        ("Skills\u00a0:", "skills"),
        ("Work experience —", "experience"),
        ("1. Projects", "projects"),
        ("Projects (selected)", "projects"),
        ("Certifications", "certifications"),
        ("CERTIFICATES", "certifications"),
        ("Licenses & Certifications", "certifications"),
        ("ACADEMIC FORMATION", "education"),
        ("COMPUTER KNOWLEDGE", "skills"),
        ("Relevant Coursework", "coursework"),
        ("Publications", "publications"),
        ("Selected Publications", "publications"),
        ("DEVELOPED PROJECTS", "projects"),
        ("Research Interests", "summary"),
        ("TEACHING", "experience"),
        ("Volunteering", "other"),
        ("Languages", "other"),
        ("Interests & Hobbies", "other"),
    ],
)
def test_heading_names(heading, name):
    assert classify_heading(heading) == name


@pytest.mark.parametrize(
    "line",
    [
        "Machine Learning",
        "Data Science",
        "Python, SQL, Docker",
        "Built dashboards for the sales team.",
        "Experience with large-scale data processing pipelines in production systems",
        "Data Analyst, Acme Corp, 2021 – 2023",
        "I love projects.",
        "",
    ],
)
def test_ordinary_lines_are_not_headings(line):
    assert classify_heading(line) is None


def test_sections_in_order_with_their_text():
    text = """Jane Doe
jane@example.com

PROFILE
ML student who builds things.

Work History:
Data Analyst, Acme, 2021 – 2023

## Selected Projects
Movie Recommender

**Technical Skills**
Python, SQL
"""
    sections = find_sections(text)
    assert [s.name for s in sections] == ["summary", "experience", "projects", "skills"]
    assert [s.text for s in sections] == [
        "ML student who builds things.",
        "Data Analyst, Acme, 2021 – 2023",
        "Movie Recommender",
        "Python, SQL",
    ]
    assert sections[1].heading == "Work History:"


def test_preamble_is_not_a_section():
    layout = split_sections("Jane Doe\njane@example.com | +1 555 010 2030\n\nSkills\nPython")
    assert layout.preamble == "Jane Doe\njane@example.com | +1 555 010 2030"
    assert layout.names == ["skills"]


def test_unlabelled_summary_paragraph_above_the_first_heading():
    text = (
        "Jane Doe\njane@example.com\n"
        "Self-taught machine learning engineer with a background in web development, "
        "building NLP tools for small publishers.\n\nExperience\nWeb developer, Shop, 2020"
    )
    sections = find_sections(text)
    assert sections[0].name == "summary" and sections[0].heading is None
    assert sections[0].text.startswith("Self-taught machine learning engineer")
    assert [s.name for s in sections] == ["summary", "experience"]


def test_short_preamble_is_not_taken_for_a_summary():
    assert split_sections("Jane Doe\nBerlin, Germany\n\nSkills\nPython").names == ["skills"]


def test_heading_with_content_on_the_same_line():
    layout = split_sections("Summary: ML student.\nSkills: Python, SQL\nEducation: BSc Physics")
    assert layout.names == ["summary", "skills", "education"]
    assert layout.text_of("skills") == "Python, SQL"
    assert layout.text_of("education") == "BSc Physics"


def test_sub_labels_inside_skills_stay_in_skills():
    layout = split_sections("Skills\nLanguages: Python, R\nTools: Docker, Git\n\nEducation\nBSc")
    assert layout.names == ["skills", "education"]
    assert "Tools: Docker, Git" in layout.text_of("skills")


def test_setext_underlines_are_ignored():
    layout = split_sections("Experience\n==========\nAnalyst, Acme, 2020\n\nSkills\n------\nPython")
    assert layout.names == ["experience", "skills"]
    assert layout.text_of("experience") == "Analyst, Acme, 2020"


def test_other_sections_end_the_previous_one():
    layout = split_sections("Skills\nPython\nInterests\nChess, hiking")
    assert layout.text_of("skills") == "Python"
    assert [s.name for s in layout.sections] == ["skills", "other"]


def test_headings_in_text_extracted_from_a_pdf():
    pdf = builders.pdf_bytes(
        [
            [
                "JANE DOE",
                "jane@example.com",
                "PROFESSIONAL SUMMARY",
                "Statistics graduate moving into machine learning.",
                "WORK EXPERIENCE",
                "Data Analyst, Acme Corp, 2021 – 2023",
                "PROJECTS:",
                "Movie Recommender — trained a PyTorch model",
                "EDUCATION",
                "BSc Statistics, City University",
                "SKILLS",
                "Python, SQL",
            ]
        ]
    )
    layout = split_sections(extract_text(pdf, "cv.pdf"))
    assert layout.names == ["summary", "experience", "projects", "education", "skills"]
    assert layout.text_of("education") == "BSc Statistics, City University"


def test_all_caps_heading_glued_to_its_first_line():
    layout = split_sections("EXPERIENCE Data Analyst, Acme, 2021\nEDUCATION BSc Physics, 2020")
    assert layout.names == ["experience", "education"]
    assert layout.text_of("experience") == "Data Analyst, Acme, 2021"


def test_a_heading_it_cannot_place_is_named_not_merged():
    text = (
        "EDUCATION\nB.Sc. Physics, 2020\n\nTHINGS I LOVE DOING\nMentoring at a robotics club\n\n"
        "SKILLS\nPython, SQL, Docker\n"
    )
    layout = split_sections(text)
    assert layout.unplaced == ["THINGS I LOVE DOING"]
    assert "robotics" not in layout.text_of("education")
    assert layout.names == ["education", "skills"]


def test_entry_titles_in_capitals_are_not_unplaced_headings_under_title_case_headings():
    text = "Experience\nACME CORP\nData Analyst, 2021 – 2023\n\nSkills\nPython, SQL, Docker\n"
    assert split_sections(text).unplaced == []


def test_markdown_entry_under_a_markdown_section_is_not_a_heading():
    text = "## Projects\n### Movie Recommender\nRecommends films.\n\n## Skills\nPython, SQL\n"
    assert split_sections(text).unplaced == []


def test_colon_headings_name_the_one_they_cannot_place_but_not_entry_labels():
    text = (
        "Experience:\nData Analyst, Itau, 2021 – 2023\n- Built dashboards\nResponsibilities:\n"
        "- Weekly reports\nBeyond the Code:\nMarathon runner, chess club\nSkills:\nPython, SQL\n"
    )
    layout = split_sections(text)
    assert layout.unplaced == ["Beyond the Code"]
    assert "Marathon" not in layout.text_of("experience")
    assert "Weekly reports" in layout.text_of("experience")


def test_title_case_headings_name_an_unplaced_one_but_not_project_titles():
    text = (
        "Experience\nData Analyst, Itau, 2021 – 2023\n- Built dashboards\n\n"
        "Community Engagement\nMentor at Code Club, weekly\n\n"
        "Projects\nSpeech Recognition\n- Transcribes lectures with Whisper\n"
        "Churn Predictor\n- Predicts churn with XGBoost\n\nSkills\nPython, SQL, Docker\n"
    )
    layout = split_sections(text)
    assert layout.unplaced == ["Community Engagement"]
    assert "Speech Recognition" in layout.text_of("projects")
