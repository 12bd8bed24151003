"""Terminal /resume and /match through run_terminal_chat, as a user would type them."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from bot.core.resume import GUIDED_STEPS, advise
from bot.core.resume import session as coach
from bot.core.store import Store
from bot.terminal.chat import run_terminal_chat
from bot.terminal.resume_chat import resume_terminal_commands
from tests.unit.resume import builders, samples


class NoQuestions:
    """The answer service: these sessions must never fall through to a question."""

    def answer(self, text):
        raise AssertionError(f"treated as a question: {text!r}")


@pytest.fixture
def services(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'careerbot.sqlite3'}")
    yield SimpleNamespace(store=store)
    store.close()


def chat(services, lines: list[str], user_id: int = 0) -> str:
    stdout = io.StringIO()
    code = run_terminal_chat(
        NoQuestions(),
        io.StringIO("\n".join(lines) + "\n"),
        stdout,
        resume_terminal_commands(services, user_id),
    )
    assert code == 0
    return stdout.getvalue()


def test_guided_resume_asks_numbered_questions_then_gives_order_and_cited_tips(services):
    out = chat(services, ["/resume", "4", "1", "/quit"])
    assert GUIDED_STEPS[0].question in out and "  4. Degree in another field" in out
    assert GUIDED_STEPS[1].question in out and "  1. More projects" in out
    advice = advise("other_degree", True)
    assert "Recommended section order:\n" + coach.order_text(advice.recommended_order) in out
    for tip in advice.tips:
        assert f"💡 {tip.text}\n   — Source: {tip.source}" in out
    assert "/resume PATH" in out


def test_guided_resume_asks_again_after_an_invalid_answer(services):
    out = chat(services, ["/resume", "seven", "boot camp", "2", "/quit"])
    assert "Please type a number from 1 to 5." in out
    assert out.count(GUIDED_STEPS[0].question) == 2
    advice = advise("bootcamp", False)
    assert coach.order_text(advice.recommended_order) in out


def test_resume_path_reviews_a_file_and_match_uses_it(services, tmp_path):
    path = tmp_path / "cv.docx"
    lines = [
        line.replace("## ", "# ") for line in samples.PROJECTS_HEAVY.splitlines() if line.strip()
    ]
    path.write_bytes(builders.docx_bytes(lines))
    jd = " ".join(samples.JOB_DESCRIPTION.split())
    out = chat(services, [f"/resume {path}", "/match", jd, "/quit"])
    assert "Résumé review of cv.docx" in out
    assert "Verdict:\n" in out
    assert "Found: Experience, Projects, Education, Skills\nMissing: Summary" in out
    assert "Recommended: Summary → Projects → Experience → Skills → Education" in out
    assert "Paste the job description on one line:" in out
    assert "% match: " in out and "requirements shown" in out
    assert "Nice to have:" in out and "❌ Docker" in out  # the terminal shows every requirement
    assert services.store.resumes.get_resume(0).filename == "cv.docx"


def test_match_uses_the_stored_resume_from_an_earlier_session(services):
    services.store.resumes.save_resume(0, "cv.txt", samples.EXPERIENCE_HEAVY)
    out = chat(services, ["/match Requirements: Python, SQL and Kubernetes", "/quit"])
    assert "✅ Python" in out and "✅ SQL" in out and "❌ Kubernetes" in out


def test_match_without_a_resume_says_so(services):
    out = chat(services, ["/match", "/quit"])
    assert "don't have a résumé from you yet" in out and "Paste the job description" not in out


def test_bad_files_get_the_friendly_reason(services, tmp_path):
    renamed = tmp_path / "cv.pdf"
    renamed.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)  # an old .doc
    out = chat(services, [f"/resume {renamed}", f"/resume {tmp_path / 'nope.pdf'}", "/quit"])
    assert "labelled as a PDF but isn't one" in out
    assert "Can't open 'nope.pdf'" in out
    assert services.store.resumes.get_resume(0) is None


def test_a_text_resume_named_pdf_is_read(services, tmp_path):
    renamed = tmp_path / "cv.pdf"
    renamed.write_text(samples.PROJECTS_HEAVY)
    out = chat(services, [f"/resume {renamed}", "/quit"])
    assert "Résumé review of cv.pdf" in out and services.store.resumes.get_resume(0) is not None


def test_text_that_is_not_a_resume_is_not_saved(services, tmp_path):
    path = tmp_path / "recipe.txt"
    path.write_text(samples.RECIPE)
    out = chat(services, [f"/resume {path}", "/quit"])
    assert "doesn't look like a résumé" in out and services.store.resumes.get_resume(0) is None
