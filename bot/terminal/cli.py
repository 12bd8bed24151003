"""`careerbot` (== `python -m bot`): run | chat | ask | ingest | eval | resume."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.config import Settings, get_settings


def read_question_lines(path: Path) -> list[str]:
    """One question per \\n-terminated line, blank ones included (so output lines align with
    input lines). Only \\n ends a line: str.splitlines() would also split at a vertical tab,
    form feed, \\x1c-\\x1e, \\x85 or U+2028/2029 inside a question; a lone \\r stays too."""
    with open(path, encoding="utf-8", errors="replace", newline="") as file:
        text = file.read()
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the final line's terminator, not an empty question
    return [line.removesuffix("\r") for line in lines]


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """One question, or one per line of --file (an answer per line, blank ones too); JSON lines
    with --json."""
    if args.file:
        try:
            questions = read_question_lines(Path(args.file))
        except OSError as exc:
            print(f"careerbot: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 2
    elif args.question:
        questions = [" ".join(args.question)]
    else:
        print("careerbot ask: give a QUESTION or --file QUESTIONS.txt", file=sys.stderr)
        return 2
    from bot.core.answers.service import open_answer_service

    service = open_answer_service(settings)
    for answer in service.answer_many(questions):
        if args.json:
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        else:
            from bot.terminal.chat import render_answer_text

            print(render_answer_text(answer), end="\n\n", flush=True)
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.services import Services
    from bot.terminal.chat import run_terminal_chat
    from bot.terminal.commands import terminal_commands

    services = Services.open(settings)
    try:
        return run_terminal_chat(services.answers, commands=terminal_commands(services, user_id=0))
    finally:
        services.close()


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.cli import ingest_main

    return ingest_main(
        [*(["--json"] if args.json else []), *(["--if-stale"] if args.if_stale else [])]
    )


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal.eval_report import run_eval

    return run_eval(
        settings,
        Path(args.questions) if args.questions else None,
        as_json=args.json,
        sets=[s for s in args.sets.split(",") if s] if args.sets is not None else None,
        show_misses=args.misses,
    )


def cmd_resume(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.resume.report import resume_report

    report = resume_report(Path(args.file), Path(args.jd) if args.jd else None)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    return 1 if "error" in report else 0  # unusable input (or not a résumé) fails the command


MMAP_THRESHOLD = 1 << 20  # bytes


def limit_malloc_arenas(arenas: int = 2) -> None:
    """glibc malloc for a long-running threaded process: fewer arenas, and blocks of 1 MiB or more
    (a batch's ONNX activations) mapped and unmapped, not left in the heap after a burst.
    Measured (benchmarks/bot_memory.py, burst of 1,000 distinct questions): 358 → 275 MiB RSS,
    same embedding speed; glibc's default raises the threshold to 32 MiB after the first free."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
        libc.mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD (a fixed one)
        libc.mallopt(-1, 2 * MMAP_THRESHOLD)  # M_TRIM_THRESHOLD: free heap tops go back too
    except (OSError, AttributeError):
        pass  # not glibc: nothing to tune


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    limit_malloc_arenas()
    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN is not set: starting the terminal chat instead.", file=sys.stderr)
        return cmd_chat(args, settings)
    from telegram.error import InvalidToken, TelegramError

    from bot.telegram.app import run_bot
    from bot.telegram.safety import redact

    token = settings.telegram_bot_token.get_secret_value()
    try:
        return run_bot(settings, webhook=args.webhook)
    except InvalidToken:
        # PTB's own message quotes the token: never print it.
        print(
            "careerbot: Telegram rejected the bot token; check TELEGRAM_BOT_TOKEN.", file=sys.stderr
        )
    except TelegramError as exc:
        print(f"careerbot: Telegram error: {redact(str(exc), token)}", file=sys.stderr)
    return 2


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    """`careerbot db upgrade` / `db downgrade REVISION` on CAREERBOT_DATABASE_URL (errors: one
    line from main, like every start-up problem)."""
    from bot.core.store import make_engine, schema
    from bot.terminal.errors import safe_url

    if args.action == "downgrade" and not args.revision:
        print("careerbot db downgrade: give the REVISION to go back to", file=sys.stderr)
        return 2
    engine = make_engine(settings.db_url)
    try:
        before = schema.current_revision(engine)
        if args.action == "upgrade":
            after = schema.upgrade(engine)
        else:
            after = schema.downgrade(engine, args.revision)
    finally:
        engine.dispose()
    change = (
        "already up to date"
        if before == after
        else f"{args.action}d from {before or 'no revision'}"
    )
    print(f"database {safe_url(settings.db_url)}: revision {after} ({change})")
    return 0


def configure_logging(settings: Settings) -> None:
    """CAREERBOT_LOG_LEVEL for careerbot's own loggers; libraries stay at WARNING (chatty)."""
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for name in ("bot", "ingest"):
        logging.getLogger(name).setLevel(settings.log_level)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="careerbot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="the Telegram bot (terminal chat without a token)")
    run.add_argument("--webhook", action="store_true", help="serve a webhook instead of polling")
    run.set_defaults(func=cmd_run)
    sub.add_parser("chat", help="interactive terminal chat").set_defaults(func=cmd_chat)
    ask = sub.add_parser("ask", help="answer questions from the command line")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--file", help="one question per line")
    ask.set_defaults(func=cmd_ask)
    ingest = sub.add_parser("ingest", help="index knowledge/ into Chroma")
    ingest.add_argument("--json", action="store_true")
    ingest.add_argument("--if-stale", action="store_true")
    ingest.set_defaults(func=cmd_ingest)
    evaluate = sub.add_parser(
        "eval", help="answer quality on the labelled sets (dev; held out: test, test2, test3)"
    )
    evaluate.add_argument("--questions", help="an extra labelled YAML to score as its own set")
    evaluate.add_argument(
        "--sets", help="comma-separated: dev,legacy,test,test2,test3 (default all; '' for none)"
    )
    evaluate.add_argument(
        "--misses", action="store_true", help="list each miss of the development sets"
    )
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(func=cmd_eval)
    resume = sub.add_parser("resume", help="review a résumé file")
    resume.add_argument("file")
    resume.add_argument("--jd", help="job description file to match against")
    resume.add_argument("--json", action="store_true")
    resume.set_defaults(func=cmd_resume)
    database = sub.add_parser("db", help="the user-state database")
    database.add_argument(
        "action", choices=["upgrade", "downgrade"], help="apply or (rollback) undo migrations"
    )
    database.add_argument("revision", nargs="?", help="downgrade: the revision to go back to")
    database.set_defaults(func=cmd_db)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as exc:
        from bot.terminal.errors import settings_problem

        print(f"careerbot: {settings_problem(exc)}", file=sys.stderr)
        return 2
    configure_logging(settings)
    try:
        return args.func(args, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - a clear line, never a traceback, for users
        from bot.terminal.errors import startup_problem

        problem = startup_problem(exc, settings)
        if problem is None:
            raise
        print(f"careerbot: {problem}", file=sys.stderr)
        return 2
