"""One command list: Telegram's menu, /help and the /start greeting are generated from it."""

from __future__ import annotations

from bot.telegram import commands
from bot.telegram.commands import COMMANDS, Command, help_html, menu, welcome_html


async def _noop(update, context) -> None:
    """A stand-in handler for a command added in a test."""


def test_every_public_command_is_in_the_menu_and_help_in_registry_order():
    public = [c for c in COMMANDS if c.public]
    assert [(b.command, b.description) for b in menu()] == [(c.name, c.description) for c in public]
    help_lines = help_html().splitlines()[2:]
    assert [line.split()[1] for line in help_lines] == [f"/{c.name}" for c in public]
    assert "• /quiz [topic] — 5 interview-style questions" in help_lines


def test_welcome_lists_the_commands_marked_for_it():
    lines = welcome_html("Ada <3").split("\n\n")[-1].splitlines()
    assert lines == [f"/{c.name} — {c.description}" for c in COMMANDS if c.welcome]
    assert "Hi Ada &lt;3!" in welcome_html("Ada <3")


def test_the_maintainers_command_is_not_advertised():
    admin = commands.command("admin")
    assert not admin.public
    assert "/admin" not in help_html() and "/admin" not in welcome_html("x")
    assert "admin" not in [b.command for b in menu()]


def test_a_new_entry_shows_up_everywhere():
    extra = [*COMMANDS, Command("tips", _noop, "a tip a day", "one tip per day", welcome=True)]
    assert menu(extra)[-1].command == "tips" and menu(extra)[-1].description == "a tip a day"
    assert help_html(extra).endswith("• /tips — one tip per day")
    assert welcome_html("Ada", extra).endswith("/tips — a tip a day")


def test_names_are_unique_and_valid_for_telegram():
    names = [c.name for c in COMMANDS]
    assert len(set(names)) == len(names)
    assert all(n.islower() and n.isascii() and 1 <= len(n) <= 32 for n in names)
    assert all(1 <= len(c.description) <= 256 for c in COMMANDS)
