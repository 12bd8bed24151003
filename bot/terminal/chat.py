"""The terminal adapter: the same core as the Telegram bot, as plain text in a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from bot.core.answers.compose import Answer

HELP = """Ask anything about landing a first machine-learning internship, e.g.
  is kaggle worth it?   ·   what goes first on my CV if I have more projects than jobs?
Commands: /help  /quit{extra}"""


@dataclass
class ChatReply:
    """What a terminal command prints, and optionally who reads the user's next line."""

    text: str
    expect: Callable[[str], ChatReply | str] | None = None


# A terminal command gets the text after its name and returns a reply.
TerminalCommand = Callable[[str], "ChatReply | str"]


def render_answer_text(answer: Answer) -> str:
    """Plain-text rendering: the answer, then its numbered sources (or suggestions)."""
    lines = [answer.text]
    if answer.note:
        lines.insert(0, f"({answer.note})")
    if answer.sources:
        lines.append("")
        lines.extend(f"[{i}] {s.title}" for i, s in enumerate(answer.sources, start=1))
    if answer.steps:  # Telegram shows one button per step instead
        lines.append(f"\nType /more 1–{len(answer.steps)} to read a step in full.")
    elif answer.suggestions:
        lines.append("")
        lines.append("Try asking:")
        lines.extend(f"  • {s}" for s in answer.suggestions)
    return "\n".join(lines)


def render_step_text(service, argument: str) -> str:
    """`/more N`: step N of the guide's overview, the whole section, cited."""
    step = service.overview_step(int(argument)) if argument.strip().isdigit() else None
    if step is None:
        return "Usage: /more N, where N is a step of the overview (ask how to get an internship)."
    section, passages = step
    body = "\n".join(p.text for p in passages)
    title = passages[0].citation if passages else section
    return f"{section}\n\n{body}\n\n[1] {title}"


def run_terminal_chat(
    service,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    commands: dict[str, TerminalCommand] | None = None,
) -> int:
    """Read lines until EOF or /quit: commands, answers to a command's prompt, or questions."""
    commands = {"/more": lambda argument: render_step_text(service, argument), **(commands or {})}
    help_text = HELP.format(extra="  " + "  ".join(sorted(commands)) if commands else "")
    interactive = stdin.isatty()
    expect: Callable[[str], ChatReply | str] | None = None
    print("careerbot — your ML internship coach. " + help_text, file=stdout)
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
            expect = None
            print(help_text, file=stdout)
            continue
        if line.startswith("/"):
            name = line.split()[0]
            handler = commands.get(name)
            expect = None
            reply = (
                handler(line[len(name) :].strip())
                if handler
                else f"Unknown command {name}. Try /help."
            )
        elif expect is not None:
            reply, expect = expect(line), None
        else:
            reply = render_answer_text(service.answer(line))
        if isinstance(reply, ChatReply):
            expect = reply.expect
            reply = reply.text
        print(reply, file=stdout, flush=True)
