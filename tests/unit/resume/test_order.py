"""The article's order per background, and the fewest moves that get a résumé there."""

from __future__ import annotations

import pytest

from bot.core.resume.order import Move, moves, order_for


@pytest.mark.parametrize(
    ("kind", "jobs", "projects", "order"),
    [
        ("bootcamp", 3, 3, ["summary", "projects", "experience", "skills", "education"]),
        ("self_taught", 5, 1, ["summary", "projects", "experience", "skills", "education"]),
        ("other_field", 2, 2, ["summary", "projects", "experience", "skills", "education"]),
        ("engineer", 2, 5, ["summary", "experience", "projects", "skills", "education"]),
        ("phd", 3, 0, ["summary", "education", "experience", "projects", "skills"]),
        ("related_degree", 1, 3, ["summary", "education", "projects", "experience", "skills"]),
        ("unknown", 2, 0, ["summary", "experience", "projects", "skills", "education"]),
    ],
)
def test_order_by_background(kind, jobs, projects, order):
    assert order_for(kind, jobs, projects) == order


def test_a_tie_keeps_the_resumes_own_order_of_projects_and_experience():
    current = ["summary", "projects", "experience", "education", "skills"]
    assert order_for("related_degree", 1, 1, current)[2:4] == ["projects", "experience"]
    assert moves(current, order_for("related_degree", 1, 1, current)) == [
        Move("education", "projects")
    ]


def test_one_move_puts_education_at_the_bottom():
    found = ["summary", "education", "experience", "projects", "skills"]
    target = order_for("engineer", 2, 1)
    assert moves(found, target) == [Move("education", "projects", to_bottom=True)]
    # Below Skills too, when the degree is one the article sends to the very bottom.
    assert moves(found, target, strict_bottom=True) == [Move("education", "skills", True)]


def test_moving_a_section_up_is_preferred_and_skills_never_moves():
    found = ["summary", "skills", "experience", "projects", "education"]
    target = order_for("related_degree", 1, 2)
    assert moves(found, target) == [Move("education", "projects"), Move("projects", "experience")]
    assert moves(["summary", "projects", "experience"], ["summary", "projects", "experience"]) == []
