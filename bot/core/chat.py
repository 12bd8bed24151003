"""The terminal adapter: the same core as the Telegram bot, as plain text in a terminal."""
from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from bot.config import Settings

from .answers import Answer

HELP = """Ask anything about landing a first machine-learning internship, e.g.
  is kaggle worth it?   ·   what goes first on my CV if I have more projects than jobs?
Commands: /help  /quit"""


def render_answer_text(answer: Answer) -> str:
    """Plain-text rendering: the answer, then its numbered sources (or suggestions)."""
    lines = [answer.text]
    if answer.note:
        lines.insert(0, f"({answer.note})")
    if answer.sources:
        lines.append("")
        lines.extend(f"[{i}] {s.title}" for i, s in enumerate(answer.sources, start=1))
    elif answer.suggestions:
        lines.append("")
        lines.append("Try asking:")
        lines.extend(f"  • {s}" for s in answer.suggestions)
    return "\n".join(lines)


def run_terminal_chat(settings: Settings, service, stdin: TextIO = sys.stdin,
                      stdout: TextIO = sys.stdout,
                      extra_commands: dict[str, Callable[[str], str]] | None = None) -> int:
    """Read questions line by line until EOF or /quit."""
    commands = dict(extra_commands or {})
    interactive = stdin.isatty()
    print("careerbot — your ML internship coach. " + HELP, file=stdout)
    while True:
        if interactive:
            print("\nyou> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return 0
        line = line.strip()
        if not line:
            continue
        if line in ("/quit", "/exit"):
            return 0
        if line in ("/help", "/start"):
            print(HELP, file=stdout)
            continue
        name = line.split()[0] if line.startswith("/") else ""
        if name:
            handler = commands.get(name)
            reply = handler(line[len(name):].strip()) if handler else (
                f"Unknown command {name}. " + HELP)
            print(reply, file=stdout, flush=True)
            continue
        print(render_answer_text(service.answer(line)), file=stdout, flush=True)
