"""extract_text: real PDF / DOCX / text in, friendly ResumeInputError for unusable files."""

from __future__ import annotations

import builtins
import logging
import sys

import pytest

from bot.core.resume import PASTED_TEXT, ResumeInputError, extract_text
from bot.core.resume._isolation import run_isolated
from bot.core.resume.extract import MAX_FILE_BYTES
from tests.unit.resume import builders

RESUME_LINES = [
    "Jane Doe",
    "WORK EXPERIENCE",
    "Data Analyst, Acme Corp, 2021 – 2023",
    "PROJECTS:",
    "Movie Recommender — trained a PyTorch model",
]


def _error(data: bytes, filename: str, mime_type: str | None = None) -> ResumeInputError:
    with pytest.raises(ResumeInputError) as caught:
        extract_text(data, filename, mime_type)
    assert caught.value.message and str(caught.value) == caught.value.message
    return caught.value


def test_pdf_text_comes_out_in_reading_order():
    text = extract_text(builders.pdf_bytes([RESUME_LINES]), "resume.pdf", "application/pdf")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines == RESUME_LINES


def test_two_page_pdf_keeps_both_pages():
    text = extract_text(
        builders.pdf_bytes([["EDUCATION", "BSc Maths"], ["SKILLS", "Python"]]), "cv.pdf"
    )
    assert text.index("EDUCATION") < text.index("SKILLS")
    assert "Python" in text


def test_docx_paragraphs_and_table_cells():
    data = builders.docx_bytes(
        ["# Experience", "Data Analyst at Acme"], table_rows=[["Skills", "Python, SQL"]]
    )
    text = extract_text(data, "resume.docx")
    assert text.splitlines() == ["Experience", "Data Analyst at Acme", "Skills", "Python, SQL"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Résumé — Café".encode(), "Résumé — Café"),
        ("Résumé — Café".encode("utf-8-sig"), "Résumé — Café"),
        ("Résumé — Café".encode("utf-16"), "Résumé — Café"),
        ("Résumé café".encode("utf-16-le"), "Résumé café"),
        ("Résumé café".encode("cp1252"), "Résumé café"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-no-bom", "cp1252"],
)
def test_text_file_encodings(data, expected):
    assert extract_text(data, "resume.txt") == expected


def test_markdown_and_pasted_text():
    assert extract_text(b"# Skills\r\nPython\r\n", "cv.md") == "# Skills\nPython"
    assert extract_text(b"Skills: Python", PASTED_TEXT) == "Skills: Python"


def test_content_decides_not_the_extension():
    # A real PDF sent with a .docx name and a wrong MIME type is still read as a PDF.
    text = extract_text(builders.pdf_bytes([["SKILLS", "Python"]]), "resume.docx", "text/plain")
    assert "SKILLS" in text


def test_file_over_5_mb_is_refused_before_parsing():
    error = _error(b"a" * (MAX_FILE_BYTES + 1), "resume.txt")
    assert error.code == "too_large"
    assert "5 MB" in error.message


def test_file_of_exactly_5_mb_is_not_refused_for_size():
    data = (b"Python SQL statistics\n" * (MAX_FILE_BYTES // 22 + 1))[:MAX_FILE_BYTES]
    with pytest.raises(ResumeInputError) as caught:
        extract_text(data, "resume.txt")
    assert caught.value.code == "too_long"  # a different, later check


def test_pdf_with_more_than_10_pages():
    error = _error(builders.pdf_bytes([[f"Page {n}"] for n in range(11)]), "thesis.pdf")
    assert error.code == "too_many_pages"
    assert "11 pages" in error.message


def test_pdf_with_exactly_10_pages_is_read():
    text = extract_text(builders.pdf_bytes([[f"Page {n}"] for n in range(10)]), "cv.pdf")
    assert "Page 9" in text


def test_password_protected_pdf():
    error = _error(builders.encrypted_pdf(RESUME_LINES), "resume.pdf")
    assert error.code == "encrypted"
    assert "password" in error.message


def test_pdf_encrypted_without_user_password_opens_like_in_any_viewer():
    text = extract_text(builders.encrypted_pdf(RESUME_LINES, user_password=""), "resume.pdf")
    assert "WORK EXPERIENCE" in text


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ngarbage",
        b"%PDF-1.7\n" + bytes(range(256)) * 4,
    ],
    ids=["truncated", "garbage"],
)
def test_corrupt_pdf(data):
    error = _error(data, "resume.pdf")
    assert error.code == "corrupt"
    assert "damaged" in error.message


def test_half_a_real_pdf_is_corrupt():
    data = builders.pdf_bytes([RESUME_LINES])
    error = _error(data[: len(data) // 3], "resume.pdf")
    assert error.code in {"corrupt", "no_text"}


def test_scanned_pdf_without_text_layer():
    error = _error(builders.image_only_pdf(), "scan.pdf")
    assert error.code == "no_text"
    assert "scan" in error.message


def test_zip_bomb_docx_is_refused_from_its_directory():
    bomb = builders.zip_bomb_docx()
    assert len(bomb) < MAX_FILE_BYTES  # small on the wire, huge when unpacked
    error = _error(bomb, "resume.docx")
    assert error.code == "zip_bomb"


def test_docx_with_thousands_of_members_is_refused():
    assert _error(builders.many_members_docx(), "resume.docx").code == "zip_bomb"


def test_zip_bomb_is_never_inflated(monkeypatch):
    import zipfile

    bomb = builders.zip_bomb_docx()

    def refuse(*args, **kwargs):
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "read", refuse)
    assert _error(bomb, "resume.docx").code == "zip_bomb"


def test_spreadsheet_is_not_a_word_document():
    error = _error(builders.spreadsheet_zip(), "resume.xlsx")
    assert error.code == "unsupported"
    assert "spreadsheet" in error.message


def test_corrupt_docx():
    error = _error(b"PK\x03\x04" + b"\x00" * 200, "resume.docx")
    assert error.code == "corrupt"


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (builders.PNG_BYTES, "PNG"),
        (builders.JPEG_BYTES, "JPEG"),
        (builders.GIF_BYTES, "GIF"),
        (builders.WEBP_BYTES, "WebP"),
    ],
)
@pytest.mark.parametrize("filename", ["photo.png", "resume.pdf", "resume.docx", PASTED_TEXT])
def test_images_are_recognised_by_magic_bytes(data, label, filename):
    error = _error(data, filename)
    assert error.code == "image"
    assert label in error.message


@pytest.mark.parametrize("data", [b"", b"   \n\t  \n"])
def test_empty_file(data):
    assert _error(data, "resume.txt").code == "empty"


@pytest.mark.parametrize(
    ("filename", "mime_type"),
    [("resume.pdf", None), ("resume", "application/pdf"), ("resume.docx", None)],
)
def test_text_named_as_a_pdf_or_docx_is_read_as_text(filename, mime_type):
    data = "Jane Doe\nSkills: Python, SQL\nCafé\n".encode()
    assert extract_text(data, filename, mime_type) == "Jane Doe\nSkills: Python, SQL\nCafé"


def test_legacy_doc_renamed_to_pdf_says_what_it_is():
    error = _error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "resume.pdf")
    assert error.code == "mismatch" and "legacy Word" in error.message


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "resume.doc"),
        (b"{\\rtf1\\ansi Jane Doe}", "resume.rtf"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 50, "resume.gz"),
        (bytes(range(256)) * 8, "resume.bin"),
    ],
    ids=["doc", "rtf", "gzip", "binary"],
)
def test_unsupported_types(data, filename):
    assert _error(data, filename).code == "unsupported"


def test_parser_that_hangs_is_killed_at_the_deadline():
    with pytest.raises(ResumeInputError) as caught:
        run_isolated([sys.executable, "-c", "import time; time.sleep(120)"], b"", timeout=1)
    assert caught.value.code == "timeout"
    assert "too long" in caught.value.message


def test_extraction_writes_no_files(monkeypatch):
    real_open = builtins.open

    def read_only_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            raise AssertionError(f"wrote {file!r}")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only_open)
    assert "WORK EXPERIENCE" in extract_text(builders.pdf_bytes([RESUME_LINES]), "cv.pdf")
    assert "Experience" in extract_text(builders.docx_bytes(["# Experience"]), "cv.docx")


def test_resume_text_is_never_logged(caplog):
    secret = "Zanzibar-Quokka-4417"
    caplog.set_level(logging.DEBUG)
    extract_text(builders.pdf_bytes([["SKILLS", secret]]), "cv.pdf")
    extract_text(f"Skills: {secret}".encode(), PASTED_TEXT)
    extract_text(f"{secret} renamed".encode(), "cv.pdf")  # text named .pdf: read
    with pytest.raises(ResumeInputError):
        extract_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + secret.encode(), "cv.pdf")
    assert caplog.records  # extraction does log, just not the content
    assert all(secret not in record.getMessage() for record in caplog.records)
