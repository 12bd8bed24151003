"""Run the document parsers in a separate, killable process.

A hostile PDF or DOCX can make a parser loop or balloon; a child process can be killed
at a deadline and memory-capped without risk to the bot. A fresh `python -I` per file
(about 0.2 s) is used rather than multiprocessing because forkserver/spawn children
re-import the bot's main module, and fork is unsafe in a threaded bot.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.core.resume.errors import ResumeInputError

CHILD_SCRIPT = Path(__file__).with_name("_parse_child.py")


class ChildFailed(Exception):
    """The parser process died or answered nonsense."""


def run_isolated(command: list[str], data: bytes, timeout: float) -> dict:
    """Feed `data` to `command` on stdin; return its JSON answer. Killed after `timeout` s."""
    try:
        completed = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ResumeInputError(
            "Reading this file took too long, so I stopped. Please send a simpler PDF, "
            "a .docx, or paste the text.",
            "timeout",
        ) from None
    try:
        answer = json.loads(completed.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ChildFailed(f"exit status {completed.returncode}") from None
    if not isinstance(answer, dict):
        raise ChildFailed("answer is not an object")
    return answer


def parse_document(kind: str, data: bytes, timeout: float, max_pages: int) -> dict:
    """`{"ok": text}` or `{"error": code, ...}` from the parser child for "pdf" or "docx"."""
    command = [sys.executable, "-I", str(CHILD_SCRIPT), kind, str(max_pages)]
    try:
        return run_isolated(command, data, timeout)
    except ChildFailed:
        # Crashed (e.g. killed by the memory cap before it could answer).
        return {"error": "unreadable"}
