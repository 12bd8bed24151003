"""Terminal versions of the bot's feature commands (terminal parity with Telegram).

Each feature contributes `name -> TerminalCommand`; the terminal user is user 0 in the store.
"""

from __future__ import annotations

from bot.terminal.chat import TerminalCommand


def terminal_commands(services, user_id: int = 0) -> dict[str, TerminalCommand]:
    commands: dict[str, TerminalCommand] = {}
    for contribute in FEATURE_COMMANDS:
        commands.update(contribute(services, user_id))
    return commands


def _quiz_commands(services, user_id: int) -> dict[str, TerminalCommand]:
    from bot.terminal.quiz_chat import quiz_terminal_commands

    return quiz_terminal_commands(services, user_id)


def _resume_commands(services, user_id: int) -> dict[str, TerminalCommand]:
    from bot.terminal.resume_chat import resume_terminal_commands

    return resume_terminal_commands(services, user_id)


FEATURE_COMMANDS = [_quiz_commands, _resume_commands]
