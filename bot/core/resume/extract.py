"""Turn an uploaded résumé (PDF, DOCX, TXT/MD or pasted text) into plain text, safely.

The content decides the format, never the name: a `.txt` renamed `.pdf` or a photo of a
résumé gets a friendly explanation instead of a parser crash. Work stays in memory, PDF and
DOCX parsing runs in a killable child process, and résumé text is never logged.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import PurePath

from bot.core.resume._isolation import parse_document
from bot.core.resume.errors import ResumeInputError
from bot.core.resume.sniff import IMAGE_LABELS, OTHER_LABELS, decode_text, sniff_kind

__all__ = ["ResumeInputError", "extract_text", "PASTED_TEXT", "MAX_FILE_BYTES"]

log = logging.getLogger(__name__)

PASTED_TEXT = "pasted text"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_PDF_PAGES = 10
MAX_TEXT_CHARS = 100_000
PARSE_TIMEOUT_SECONDS = 15.0
# Zip-bomb guards, checked against the DOCX's central directory before any parsing.
MAX_ZIP_MEMBERS = 500
MAX_ZIP_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_RATIO = 100
ZIP_RATIO_MIN_MEMBER_BYTES = 1024 * 1024

_PDF_NAMES = {".pdf"}
_DOCX_NAMES = {".docx", ".docm", ".dotx"}
_TEXT_NAMES = {".txt", ".md", ".markdown", ".text", ""}
_PDF_MIMES = {"application/pdf", "application/x-pdf"}
_DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_SEND_INSTEAD = "Please send a PDF, a .docx or a .txt file, or paste the text."


def extract_text(
    data: bytes,
    filename: str,
    mime_type: str | None = None,
    *,
    timeout: float = PARSE_TIMEOUT_SECONDS,
) -> str:
    """Plain text of a résumé. Raises `ResumeInputError` with a message for the student.

    `filename` may be `PASTED_TEXT` ("pasted text") for text typed into the chat.
    Blocking (a PDF or DOCX is parsed in a child process): call it via a thread from async code.
    """
    if len(data) > MAX_FILE_BYTES:
        raise too_large_error(len(data))
    kind = sniff_kind(data)
    claimed = _claimed_format(filename, mime_type)
    log.info("resume extract: %d bytes, kind=%s, claimed=%s", len(data), kind, claimed)
    if kind == "empty":
        raise ResumeInputError(
            "This file is empty, there is nothing to read. " + _SEND_INSTEAD, "empty"
        )
    if kind in IMAGE_LABELS:
        raise ResumeInputError(
            f"This looks like a picture ({IMAGE_LABELS[kind]}), not a document. I can only "
            "read résumés with real text in them. " + _SEND_INSTEAD,
            "image",
        )
    if kind == "pdf":
        return _checked_text(_parsed("pdf", data, timeout), "PDF")
    if kind == "zip":
        _check_docx_container(data)
        return _checked_text(_parsed("docx", data, timeout), "Word document")
    if kind == "text":
        # The content decides: a text résumé named .pdf (a renamed export) is read as text.
        return _checked_text(decode_text(data) or "", "text")
    if claimed in ("pdf", "docx"):
        actual = OTHER_LABELS.get(kind, "another kind of file")
        raise ResumeInputError(
            f"This file is labelled as a {claimed.upper()} but isn't one (it looks like "
            f"{actual}). Renaming a file doesn't convert it: please export a real PDF or "
            ".docx from your editor, or paste the text.",
            "mismatch",
        )
    label = OTHER_LABELS.get(kind, "file type")
    raise ResumeInputError(f"I can't read this {label}. " + _SEND_INSTEAD, "unsupported")


def too_large_error(size: int) -> ResumeInputError:
    return ResumeInputError(
        f"This file is {size / (1024 * 1024):.1f} MB; I accept résumés up to "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MB. A one- or two-page résumé is usually well "
        "under 1 MB: try exporting it without large images.",
        "too_large",
    )


def _parsed(kind: str, data: bytes, timeout: float) -> str:
    answer = parse_document(kind, data, timeout, MAX_PDF_PAGES)
    if isinstance(answer.get("ok"), str):
        return answer["ok"]
    code = str(answer.get("error", "unreadable"))
    if code == "encrypted":
        message = (
            "This PDF is password-protected, so I can't read it. Please export it again "
            "without a password (or send a .docx, or paste the text)."
        )
    elif code == "too_many_pages":
        message = (
            f"This PDF has {answer.get('pages', 'too many')} pages. A résumé should fit on one "
            f"or two, and I read at most {MAX_PDF_PAGES}: please send just your résumé."
        )
    elif code == "corrupt" and kind == "pdf":
        message = (
            "This PDF seems to be damaged and I couldn't read it. Please export it again "
            "from your editor (File › Save as PDF), or send a .docx."
        )
    elif code == "corrupt":
        message = (
            "This Word file seems to be damaged and I couldn't read it. Please save it "
            "again as .docx or PDF."
        )
    elif code == "too_complex":
        message = "This file is too complex for me to read safely. " + _SEND_INSTEAD
    else:
        code = "unreadable"
        message = "I couldn't read this file; it may be damaged. " + _SEND_INSTEAD
    raise ResumeInputError(message, code)


def _claimed_format(filename: str, mime_type: str | None) -> str:
    if filename == PASTED_TEXT:
        return "text"
    suffix = PurePath(filename or "").suffix.lower()
    mime = (mime_type or "").split(";")[0].strip().lower()
    if suffix in _PDF_NAMES or mime in _PDF_MIMES:
        return "pdf"
    if suffix in _DOCX_NAMES or mime == _DOCX_MIME:
        return "docx"
    if suffix in _TEXT_NAMES or mime.startswith("text/"):
        return "text"
    return "other"


def _check_docx_container(data: bytes) -> None:
    """Reject zip bombs and non-Word zips using only the central directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ResumeInputError(
            "This Word file seems to be damaged and I couldn't open it. Please save it again "
            "as .docx or PDF.",
            "corrupt",
        ) from None
    total = sum(member.file_size for member in members)
    ratios = (
        member.file_size / max(1, member.compress_size)
        for member in members
        if member.file_size >= ZIP_RATIO_MIN_MEMBER_BYTES
    )
    if (
        len(members) > MAX_ZIP_MEMBERS
        or total > MAX_ZIP_UNCOMPRESSED_BYTES
        or max(ratios, default=0) > MAX_ZIP_RATIO
    ):
        raise ResumeInputError(
            "This file unpacks to far more data than any résumé needs, so I won't open it. "
            "Please save your résumé again as .docx or PDF.",
            "zip_bomb",
        )
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        what = (
            "a spreadsheet"
            if "xl/workbook.xml" in names
            else (
                "a presentation"
                if "ppt/presentation.xml" in names
                else "an archive or another format"
            )
        )
        raise ResumeInputError(
            f"This is {what}, not a Word document. " + _SEND_INSTEAD, "unsupported"
        )


def _checked_text(text: str, what: str) -> str:
    text = text.replace("\x00", "").strip()
    if not text:
        hint = (
            " It may be a scan or a picture saved as PDF: export the original document instead."
            if what == "PDF"
            else ""
        )
        raise ResumeInputError(f"I found no text in this {what}.{hint} " + _SEND_INSTEAD, "no_text")
    if len(text) > MAX_TEXT_CHARS:
        raise ResumeInputError(
            f"This {what} holds {len(text):,} characters, far more than a résumé. Please send "
            "just your résumé.",
            "too_long",
        )
    return text
