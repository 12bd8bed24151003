"""resume_report: the dict behind `careerbot resume --json FILE [--jd JD_FILE]`."""

from __future__ import annotations

import json

from bot.core.resume import resume_report
from bot.core.resume.extract import MAX_FILE_BYTES
from tests.unit.resume import builders, samples


def test_report_for_a_text_resume_and_job_description(tmp_path):
    resume = tmp_path / "resume.md"
    resume.write_text(samples.PROJECTS_HEAVY, encoding="utf-8")
    jd = tmp_path / "jd.txt"
    jd.write_text(samples.JOB_DESCRIPTION, encoding="utf-8")
    report = resume_report(resume, jd)
    assert "error" not in report
    assert report["sections"] == ["experience", "projects", "education", "skills"]
    assert report["jd_match"]["matched"] and report["jd_match"]["missing"]
    json.dumps(report)


def test_report_for_a_pdf_resume(tmp_path):
    lines = [line for line in samples.EXPERIENCE_HEAVY.splitlines() if line.strip()]
    path = tmp_path / "resume.pdf"
    path.write_bytes(builders.pdf_bytes([lines]))
    report = resume_report(path)
    assert report["sections"] == ["summary", "projects", "experience", "education", "skills"]
    assert report["background"]["jobs"] == 3 and report["jd_match"] is None


def test_unusable_resume_gives_an_error_dict(tmp_path):
    path = tmp_path / "photo.pdf"
    path.write_bytes(builders.PNG_BYTES)
    report = resume_report(path)
    assert "picture" in report["error"]
    assert report["tips"] == [] and report["sections"] == []


def test_missing_file_gives_an_error_dict(tmp_path):
    report = resume_report(tmp_path / "nope.pdf")
    assert "nope.pdf" in report["error"]


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (MAX_FILE_BYTES + 10))
    assert "5 MB" in resume_report(path)["error"]


def test_unusable_job_description_says_so(tmp_path):
    resume = tmp_path / "resume.txt"
    resume.write_text(samples.PHD, encoding="utf-8")
    jd = tmp_path / "jd.pdf"
    jd.write_bytes(b"")
    report = resume_report(resume, jd)
    assert report["error"].startswith("Job description:")


def test_non_resume_text_gives_an_error_dict(tmp_path):
    path = tmp_path / "pie.txt"
    path.write_text(samples.RECIPE, encoding="utf-8")
    assert "doesn't look like a résumé" in resume_report(path)["error"]
