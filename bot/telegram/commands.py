"""Every command the bot knows, in one list: Telegram's command menu, /help, the /start greeting
and the CommandHandlers all come from `COMMANDS`. A new command is one handler and one entry."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from html import escape

from telegram import BotCommand, Update
from telegram.ext import Application, CommandHandler, filters

from bot.telegram import (
    daily_handlers,
    handlers,
    interview_handlers,
    quiz_handlers,
    resume_handlers,
)
from bot.telegram.context import CustomContext
from bot.telegram.render import keyboard

Callback = Callable[[Update, CustomContext], Awaitable[object]]


@dataclass(frozen=True)
class Command:
    name: str  # /name
    handler: Callback
    description: str  # its line in Telegram's command menu (plain text, ≤ 256 characters)
    help: str  # its line in /help (HTML)
    usage: str = ""  # arguments, shown in /help: "[topic]"
    welcome: bool = False  # also listed in the /start greeting
    public: bool = True  # False: works, but is not advertised (/admin)


async def start(update: Update, context: CustomContext) -> None:
    """Greet the user and show what the bot can do."""
    user = update.effective_user
    await asyncio.to_thread(
        context.services.store.users.touch_user,
        user.id,
        update.effective_chat.id,
        user.first_name,
        user.username,
    )
    buttons = keyboard(
        [
            [("💬 Example questions", "menu:ask"), ("🧠 Quiz me", "menu:quiz")],
            [("⏰ Daily quiz", "menu:daily"), ("📄 Résumé tips", "menu:resume")],
        ]
    )
    await update.effective_message.reply_html(
        welcome_html(user.first_name or "there"), reply_markup=buttons
    )


async def help_command(update: Update, context: CustomContext) -> None:
    """List the commands."""
    await update.effective_message.reply_html(help_html())


COMMANDS: list[Command] = [
    Command("start", start, "what I can do", "this greeting and its menu"),
    Command("help", help_command, "commands", "this list"),
    Command(
        "quiz",
        quiz_handlers.quiz_command,
        "interview-style quiz: /quiz [topic]",
        "5 interview-style questions",
        usage="[topic]",
        welcome=True,
    ),
    Command(
        "daily",
        daily_handlers.daily_command,
        "daily quiz at a time: /daily 08:30 or /daily off",
        "a daily quiz that adapts to you (/daily off to stop)",
        usage="HH:MM",
        welcome=True,
    ),
    Command(
        "timezone",
        daily_handlers.timezone_command,
        "your time zone: /timezone Europe/Berlin",
        "the time zone of your daily quiz",
        usage="Europe/Berlin",
    ),
    Command(
        "interview",
        interview_handlers.interview_command,
        "a mock interview question",
        "a mock interview question with feedback on your answer",
        welcome=True,
    ),
    Command(
        "resume",
        resume_handlers.resume_command,
        "résumé tips for your background",
        "tips for your background; send a PDF/DOCX/TXT résumé for a review",
        welcome=True,
    ),
    Command(
        "match",
        resume_handlers.match_command,
        "match your résumé to a job description",
        "compare your résumé with a job description",
    ),
    Command(
        "stats",
        quiz_handlers.stats_command,
        "your progress",
        "your accuracy, streak and chart",
        welcome=True,
    ),
    Command(
        "forget",
        handlers.forget,
        "delete everything I know about you",
        "delete everything stored about you",
        welcome=True,
    ),
    Command(
        "admin",
        handlers.admin,
        "usage and unanswered questions",
        "maintainers: usage, ratings, unanswered questions",
        public=False,
    ),
]

WELCOME = (
    "👋 <b>Hi {name}!</b> I'm careerbot, your coach for landing a first machine-learning "
    "internship. Every answer comes from my knowledge base, with its source.\n\n"
    "<b>Ask me anything</b>, e.g. <i>is Kaggle worth it?</i> or <i>what goes first on my CV "
    "if I have more projects than jobs?</i>"
)
HELP = (
    "<b>What I can do</b>\n"
    "• Type a question about ML internships: I answer from my knowledge base and cite it."
)


def menu(commands: Iterable[Command] = COMMANDS) -> list[BotCommand]:
    """Telegram's command menu (set_my_commands)."""
    return [BotCommand(c.name, c.description) for c in commands if c.public]


def help_html(commands: Iterable[Command] = COMMANDS) -> str:
    lines = [HELP]
    for c in commands:
        if c.public:
            usage = f" {escape(c.usage)}" if c.usage else ""
            lines.append(f"• /{c.name}{usage} — {c.help}")
    return "\n".join(lines)


def welcome_html(name: str, commands: Iterable[Command] = COMMANDS) -> str:
    lines = [f"/{c.name} — {escape(c.description)}" for c in commands if c.welcome and c.public]
    return WELCOME.format(name=escape(name)) + "\n\n" + "\n".join(lines)


def register(application: Application, started_by_flows: Iterable[str] = ()) -> None:
    """A CommandHandler per command; a command that opens a conversation is its flow's entry."""
    taken = set(started_by_flows)
    for command in COMMANDS:
        if command.name not in taken:
            application.add_handler(CommandHandler(command.name, command.handler))


def known_commands_filter() -> filters.MessageFilter:
    """Messages that start with one of the commands (also /name@bot and with arguments)."""
    names = "|".join(c.name for c in COMMANDS)
    return filters.Regex(rf"^/({names})(@\w+)?(\s|$)")


def command(name: str) -> Command:
    return next(c for c in COMMANDS if c.name == name)
