"""The project's own résumés (tests/fixtures/resumes/) reviewed as TXT, PDF and DOCX against
what a careful reader expects of them (expected.yaml): sections under real-world headings,
counts, order, tips that never ask for what the résumé has, flagged bullets, JD rankings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.core.resume import extract_text, match_job_description, review_resume
from bot.core.resume.jd_parse import parse_requirements
from tests.unit.resume import builders

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EXPECTED = yaml.safe_load((FIXTURES / "resumes" / "expected.yaml").read_text(encoding="utf-8"))
RESUMES = EXPECTED["resumes"]
JDS = EXPECTED["jds"]
FORMATS = ("txt", "pdf", "docx")
ARTICLE = "How to Get a Machine Learning Internship › "
BEYOND = "Beyond the article"
MIN_DISTINCT_TIPS = 0.70


def resume_text(name: str) -> str:
    return (FIXTURES / "resumes" / f"{name}.txt").read_text(encoding="utf-8")


def jd_text(name: str) -> str:
    return (FIXTURES / "jds" / f"{name}.txt").read_text(encoding="utf-8")


@cache
def reviewed(name: str, fmt: str = "txt"):
    """The review of a fixture résumé uploaded as `fmt` (rendered like a word processor would)."""
    text = resume_text(name)
    data = {
        "txt": text.encode("utf-8"),
        "pdf": builders.resume_pdf(text),
        "docx": builders.resume_docx(text),
    }[fmt]
    return review_resume(extract_text(data, f"{name}.{fmt}"))


def test_the_set_is_large_and_varied():
    assert len(RESUMES) >= 12 and len(JDS) >= 2 and len(EXPECTED["non_resumes"]) >= 2
    kinds = {e["background"].get("kind") for e in RESUMES.values()}
    assert {"self_taught", "bootcamp", "related_degree", "other_field", "phd", "engineer"} <= kinds


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(RESUMES))
def test_sections_and_counts(name, fmt):
    review, expected = reviewed(name, fmt), RESUMES[name]
    assert review.error is None, review.error
    assert review.sections == expected["sections"]
    assert review.unplaced == expected["unplaced"]
    assert (review.background.jobs, review.background.projects) == (
        expected["jobs"],
        expected["projects"],
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(RESUMES))
def test_background_order_and_no_tip_asks_for_what_the_resume_has(name, fmt):
    review, expected = reviewed(name, fmt), RESUMES[name]
    background = review.background
    for key, value in expected["background"].items():
        assert getattr(background, key) == value, key
    if expected["order"] is not None:
        assert review.recommended_order == expected["order"]
    ids = {tip.rule_id for tip in review.tips}
    assert not ids & set(expected["forbidden_tips"])
    assert set(expected["required_tips"]) <= ids


@pytest.mark.parametrize("name", list(RESUMES))
def test_projects_that_state_purpose_and_method_are_not_flagged(name):
    flagged = [issue.title for issue in reviewed(name).project_issues]
    for title in RESUMES[name]["complete_projects"]:
        assert not any(issue.startswith(title) for issue in flagged), title


@pytest.mark.parametrize("name", list(RESUMES))
def test_bullet_feedback_quotes_the_weak_bullets_and_spares_the_strong(name):
    review, expected = reviewed(name), RESUMES[name]
    flagged = [note.line for note in review.bullet_notes]
    for start in expected["flagged_bullets"]:
        assert any(line.startswith(start) for line in flagged), start
    for start in expected["clean_bullets"]:
        assert not any(line.startswith(start) for line in flagged), start
    for tip in review.tips:
        if tip.rule_id.startswith("bullet_"):
            assert tip.source.startswith(BEYOND) and f"“{tip.line}”" in tip.text
            assert tip.line in resume_text(name).replace("\n", " ") or tip.line in flagged


@pytest.mark.parametrize("name", list(RESUMES))
def test_keyword_stuffing_is_named(name):
    ids = {tip.rule_id for tip in reviewed(name).tips}
    assert ("keyword_stuffing" in ids) == RESUMES[name]["keyword_stuffing"]


@pytest.mark.parametrize("name", list(RESUMES))
def test_every_tip_quotes_its_line_and_cites_its_source(name):
    review = reviewed(name)
    generic = [tip for tip in review.tips if not tip.line]
    assert len(generic) <= 1
    for tip in review.tips:
        assert tip.source.startswith(ARTICLE) or tip.source.startswith(BEYOND)
        assert tip.beyond_article == tip.source.startswith(BEYOND)
        if tip.line:
            assert "“" in tip.text


def test_tips_are_written_for_each_resume():
    tips = [tip.text for name in RESUMES for tip in reviewed(name).tips]
    assert len(set(tips)) / len(tips) >= MIN_DISTINCT_TIPS


@pytest.mark.parametrize("jd", list(JDS))
def test_obvious_fit_ranks_first_and_the_keyword_list_below_it(jd):
    scores = {name: match_job_description(resume_text(name), jd_text(jd)).score for name in RESUMES}
    best = max(scores, key=scores.get)
    assert best == JDS[jd]["first"], scores
    ranked = [scores[name] for name in JDS[jd]["ranking"]]
    assert ranked == sorted(ranked, reverse=True) and len(set(ranked)) == len(ranked), scores


@pytest.mark.parametrize("jd", list(JDS))
def test_requirements_are_parsed_with_alternatives_degree_years_and_nice_to_haves(jd):
    parsed, requirements = JDS[jd]["parsed"], parse_requirements(jd_text(jd))
    [degree] = [r for r in requirements if r.kind == "degree"]
    assert {f.lower() for f in parsed["degree_fields"]} <= set(degree.options)
    years = [r.level for r in requirements if r.kind == "years"]
    assert years == ([parsed["years"]] if parsed["years"] else [])
    skills = {r.options: r for r in requirements if r.kind == "skill"}
    for alternatives in parsed["one_requirement"]:
        assert tuple(alternatives) in skills  # "XGBoost or LightGBM" is one requirement
        assert not any((name,) in skills for name in alternatives)
    for name in parsed["required"]:
        assert any(name in options and r.required for options, r in skills.items()), name
    for name in parsed["nice_to_have"]:
        assert any(name in options and not r.required for options, r in skills.items()), name
    fields = {f.lower() for f in degree.options}
    assert not any(options[0].lower() in fields for options in skills)  # fields aren't skills


@pytest.mark.parametrize("name", EXPECTED["non_resumes"])
def test_non_resumes_are_refused(name):
    text = (FIXTURES / "non_resumes" / f"{name}.txt").read_text(encoding="utf-8")
    review = review_resume(text)
    assert review.error and "résumé" in review.error and review.tips == []


def run_resume_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "resume", "--json", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=120,
    )


def test_cli_fails_on_a_non_resume_and_reads_a_text_resume_named_pdf(tmp_path):
    recipe = run_resume_cli(str(FIXTURES / "non_resumes" / "recipe_blog.txt"))
    assert recipe.returncode != 0 and "résumé" in json.loads(recipe.stdout)["error"]
    renamed = tmp_path / "cv.pdf"
    renamed.write_text(resume_text("backend_engineer"), encoding="utf-8")
    jd = FIXTURES / "jds" / "fraud_ml_intern.txt"
    result = run_resume_cli(str(renamed), "--jd", str(jd))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["sections"] == RESUMES["backend_engineer"]["sections"]
    xgboost = next(r for r in report["jd_match"]["requirements"] if "XGBoost" in r["requirement"])
    assert xgboost["met"] and "fraud classifier" in xgboost["evidence"]
