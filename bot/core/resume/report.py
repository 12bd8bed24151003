"""The résumé review of files on disk: the report behind `careerbot resume --json FILE [--jd JD_FILE]`."""

from __future__ import annotations

from pathlib import Path

from bot.core.resume.errors import ResumeInputError
from bot.core.resume.extract import MAX_FILE_BYTES, extract_text, too_large_error
from bot.core.resume.review import error_review, review_resume


def _read(path: Path, what: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # refuse before reading a huge file into memory
            raise too_large_error(size)
        data = path.read_bytes()
    except OSError as error:
        raise ResumeInputError(
            f"Can't open the {what} {path.name!r}: {error.strerror or error}.", "io"
        ) from None
    return extract_text(data, path.name)


def resume_report(path: Path, jd_path: Path | None = None) -> dict:
    """The review as a JSON-ready dict; unusable input gives a dict with "error"."""
    try:
        text = _read(Path(path), "résumé file")
    except ResumeInputError as error:
        return error_review(error.message).to_json()
    jd_text = None
    if jd_path is not None:
        try:
            jd_text = _read(Path(jd_path), "job description file")
        except ResumeInputError as error:
            return error_review(f"Job description: {error.message}").to_json()
    return review_resume(text, jd_text).to_json()
