"""The rubric's tips rest on the article, verbatim; the guided conversation uses them too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.core.resume import GUIDED_STEPS, advise, parse_more_projects
from bot.core.resume.rubric import BACKGROUNDS, CONDITIONS, RUBRIC_PATH, load_rubric

ROOT = Path(__file__).resolve().parents[3]


def _article_sections() -> tuple[str, dict[str, str]]:
    rubric = load_rubric()
    text = (ROOT / rubric.article_path).read_text(encoding="utf-8")
    title = re.search(r"^title:\s*(.+)$", text, re.M).group(1).strip()
    sections = {
        match.group(1).strip(): match.group(2)
        for match in re.finditer(r"^#{2,3} ([^\n]+)\n(.*?)(?=^#{2,3} |\Z)", text, re.S | re.M)
    }
    return title, sections


def test_rubric_names_the_article_by_its_title():
    title, _ = _article_sections()
    assert load_rubric().article == title


@pytest.mark.parametrize("rule", load_rubric().rules, ids=lambda rule: rule.id)
def test_quote_is_verbatim_from_the_cited_section(rule):
    _, sections = _article_sections()
    assert rule.section in sections, f"no heading {rule.section!r} in the article"
    assert rule.quote in sections[rule.section]


def test_rubric_covers_the_articles_resume_advice():
    cited = {rule.section for rule in load_rubric().rules}
    assert {
        "Personal Summary",
        "Experience",
        "Projects",
        "Education",
        "Tailor Each Resume to the Job",
        "Write a Resume That Flatters Your Background",
        "Tailor Your Internship Search to Your Strengths",
    } <= cited
    assert {rule.when for rule in load_rubric().rules if rule.when} <= set(CONDITIONS)


def test_unknown_condition_is_rejected(tmp_path):
    data = yaml.safe_load(RUBRIC_PATH.read_text(encoding="utf-8"))
    data["rules"][0]["when"] = "resume_is_purple"
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="resume_is_purple"):
        load_rubric(path)


def test_guided_steps_offer_the_five_backgrounds_then_projects_or_experience():
    background, balance = GUIDED_STEPS
    assert background.key == "background"
    assert tuple(choice.value for choice in background.choices) == BACKGROUNDS
    assert [c.label for c in background.choices] == [
        "Self-taught",
        "Boot camp",
        "Degree in a related field",
        "Degree in another field",
        "PhD",
    ]
    assert balance.key == "more_projects"
    assert [parse_more_projects(c.value) for c in balance.choices] == [True, False]
    for step in GUIDED_STEPS:
        assert len(step.question) <= 300
        assert all(len(c.value.encode()) <= 64 and len(c.label) <= 100 for c in step.choices)


@pytest.mark.parametrize(
    ("background", "more_projects", "order"),
    [
        ("self_taught", True, ["summary", "projects", "experience", "skills", "education"]),
        ("bootcamp", False, ["summary", "experience", "projects", "skills", "education"]),
        ("other_degree", True, ["summary", "projects", "experience", "skills", "education"]),
        ("related_degree", False, ["summary", "education", "experience", "projects", "skills"]),
        ("phd", True, ["summary", "education", "projects", "experience", "skills"]),
    ],
)
def test_guided_order(background, more_projects, order):
    assert advise(background, more_projects).recommended_order == order


def test_guided_tips_follow_the_answers():
    def ids(background, more_projects):
        return {tip.rule_id for tip in advise(background, more_projects).tips}

    assert "summary_self_taught" in ids("self_taught", True)
    assert "summary_bootcamp" in ids("bootcamp", True)
    assert "projects_above_experience" in ids("self_taught", True)
    assert "experience_above_projects" in ids("self_taught", False)
    assert "education_bottom" in ids("other_degree", True)
    assert "education_bottom" not in ids("related_degree", True)
    assert "phd_education_high" in ids("phd", False)
    assert "target_startups" not in ids("phd", False)
    assert {"highlight_reel", "tangential_experience", "tailor_to_job"} <= ids(
        "related_degree", True
    )


def test_guided_tips_carry_their_source():
    advice = advise("other_degree", True).to_json()
    assert advice["tips"]
    assert all(
        tip["source"].startswith("How to Get a Machine Learning Internship › ")
        for tip in advice["tips"]
    )
    assert all("{" not in tip["text"] for tip in advice["tips"])  # no unfilled placeholders


@pytest.mark.parametrize("answer", ["astronaut", "", "PhD"])
def test_unknown_background_is_rejected(answer):
    with pytest.raises(ValueError):
        advise(answer, True)


def test_unknown_balance_answer_is_rejected():
    with pytest.raises(ValueError):
        parse_more_projects("both")
