"""Real document bytes for the résumé tests, built in memory."""

from __future__ import annotations

import io
import zipfile

import docx
import matplotlib

matplotlib.use("pdf")
import matplotlib.pyplot as plt  # noqa: E402
import pypdf  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
GIF_BYTES = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04" + b"\x00" * 20
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 24


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A text PDF written by matplotlib's PDF backend, one list of lines per page."""
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        for lines in pages:
            figure = plt.figure(figsize=(8.5, 11))
            for index, line in enumerate(lines):
                figure.text(0.08, 0.95 - index * 0.03, line, fontsize=10)
            pdf.savefig(figure)
            plt.close(figure)
    return buffer.getvalue()


def image_only_pdf() -> bytes:
    """A PDF with a picture and no text layer, like a scanned résumé."""
    buffer = io.BytesIO()
    figure = plt.figure(figsize=(2, 2))
    figure.figimage([[0.0, 1.0], [1.0, 0.0]], cmap="gray")
    figure.savefig(buffer, format="pdf")
    plt.close(figure)
    return buffer.getvalue()


def encrypted_pdf(lines: list[str], user_password: str = "secret") -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes([lines]))))
    writer.encrypt(user_password, owner_password="owner-secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str], table_rows: list[list[str]] | None = None) -> bytes:
    """A real .docx by python-docx; lines starting with "# " become Heading 1 paragraphs."""
    document = docx.Document()
    for text in paragraphs:
        if text.startswith("# "):
            document.add_heading(text[2:], level=1)
        else:
            document.add_paragraph(text)
    if table_rows:
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for r, row in enumerate(table_rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx(member_bytes: int = 60 * 1024 * 1024) -> bytes:
    """A .docx-shaped zip whose document.xml inflates ~1000x (60 MB of zeros)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(member_bytes // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


def many_members_docx(count: int = 2000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for index in range(count):
            archive.writestr(f"word/media/part{index}.xml", "x")
    return buffer.getvalue()


def spreadsheet_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _wrapped(text: str, width: int) -> list[str]:
    """Lines as a word processor would lay them out: long lines wrap, blank lines go."""
    lines: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        while len(line) > width:
            cut = line.rfind(" ", 0, width)
            cut = cut if cut > width // 2 else width
            lines.append(line[:cut].rstrip())
            line = line[cut:].strip()  # PDF text keeps no indentation for the continuation
        lines.append(line)
    return lines


def resume_pdf(text: str, width: int = 95, lines_per_page: int = 30) -> bytes:
    """A résumé text as a real PDF, wrapped at `width` characters and paginated."""
    lines = _wrapped(text, width)
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    return pdf_bytes(pages)


def resume_docx(text: str) -> bytes:
    """A résumé text as a real .docx, one paragraph per non-empty line."""
    return docx_bytes([line for line in text.splitlines() if line.strip()])
