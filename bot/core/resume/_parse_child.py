"""Parser process for PDF and DOCX résumés: bytes on stdin, one JSON line on stdout.

Run as a script with `python -I` by `_isolation.py`, so it imports nothing from the bot and
only the standard library plus pypdf / python-docx. It never writes files and never logs
text; the parent kills it when it overruns its time budget.
"""

from __future__ import annotations

import io
import json
import logging
import sys

MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024


def _limit_memory() -> None:
    # A decompression bomb inside a PDF stream fails with MemoryError instead of
    # swapping the host.
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ImportError, ValueError, OSError):
        pass


def parse_pdf(data: bytes, max_pages: int) -> dict:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Permission-only encryption opens with an empty password in any viewer.
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError, PdfReadError):
                opened = 0
            if not opened:
                return {"error": "encrypted"}
        pages = len(reader.pages)
        if pages == 0:
            return {"error": "corrupt"}
        if pages > max_pages:
            return {"error": "too_many_pages", "pages": pages}
        return {"ok": "\n".join((page.extract_text() or "") for page in reader.pages)}
    except FileNotDecryptedError:
        return {"error": "encrypted"}
    except MemoryError:
        return {"error": "too_complex"}
    except Exception:  # noqa: BLE001 - any parser failure means a damaged file
        return {"error": "corrupt"}


def parse_docx(data: bytes) -> dict:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines.extend(_table_lines(block))
        return {"ok": "\n".join(lines)}
    except MemoryError:
        return {"error": "too_complex"}
    except Exception:  # noqa: BLE001
        return {"error": "corrupt"}


def _table_lines(table) -> list[str]:
    # Résumé templates often lay sections out in tables; read cells row by row.
    lines: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats across the row
                continue
            seen.add(id(cell._tc))
            lines.extend(paragraph.text for paragraph in cell.paragraphs)
    return lines


def main(argv: list[str]) -> int:
    _limit_memory()
    kind = argv[1]
    data = sys.stdin.buffer.read()
    if kind == "pdf":
        result = parse_pdf(data, int(argv[2]))
    elif kind == "docx":
        result = parse_docx(data)
    else:
        result = {"error": "unsupported"}
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
