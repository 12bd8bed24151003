"""A question made ready to answer: normalised and cut, checked (empty, no letters, gibberish,
another language: read through the term bridge or answered early), and its questions found
(a forum post asks several, often at its end)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.answers.bridge import BridgedQuestion, bridge_question
from bot.core.answers.compose import Answer
from bot.core.answers.gibberish import looks_like_gibberish, looks_like_other_language
from bot.core.answers.parts import question_parts
from bot.knowledge.term_bridge import TermBridge
from bot.knowledge.text import has_letters, mostly_latin, normalise

MAX_QUESTION_CHARS = 1000
MAX_PARTS_READ = 4  # a long message's questions are looked for in its first 4,000 characters
MULTI_PART = True  # a message asking several questions: each is embedded and ranked too


@dataclass
class PreparedQuestion:
    original: str
    text: str  # normalised and cut to MAX_QUESTION_CHARS
    early: Answer | None  # set when no retrieval is needed (empty, emoji only, other script)
    note: str = ""  # told to the user with the answer (e.g. only part of the message was read)
    parts: list[str] = field(default_factory=list)  # its questions, when it asks several
    bridged: BridgedQuestion | None = None  # another language, read through the term bridge


def cut(text: str) -> str:
    """At most MAX_QUESTION_CHARS, cut at a word boundary."""
    return text if len(text) <= MAX_QUESTION_CHARS else text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]


def prepare_question(
    question: str,
    kb_words: frozenset[str],
    bridge: TermBridge,
    reply: Callable[[str, str], Answer],
) -> PreparedQuestion:
    """`kb_words`: the knowledge base's own words (never gibberish); `reply(question, kind)`:
    the early reply of a kind ("empty", "no_text", "gibberish", "language")."""
    full = normalise(question or "")
    text = cut(full)
    note = ""
    if len(full) > MAX_QUESTION_CHARS:
        note = f"Your message was long, so I read its first {MAX_QUESTION_CHARS:,} characters."
    early = None
    bridged = None
    if not text:
        early = reply(question, "empty")
    elif not has_letters(text):
        early = reply(question, "no_text")
    elif looks_like_gibberish(text, kb_words):
        # A language the word lists do not know ("Makine öğrenmesi stajı nasıl bulunur?")
        # reads as gibberish to them; the guide's terms spelt in it still tell.
        bridged = bridge_question(text, bridge, foreign_only=True)
        early = None if bridged else reply(question, "gibberish")
    elif not mostly_latin(text) or looks_like_other_language(text):
        bridged = bridge_question(text, bridge)
        early = None if bridged else reply(question, "language")
    if bridged is not None:
        text = bridged.query  # answered as the English terms it spells
    parts = message_questions(full, text) if early is None and not bridged and MULTI_PART else []
    if note and parts and not all(p in text for p in parts):
        # A forum post often asks at its end: its questions lead what is read of it.
        text = cut(" ".join([*parts, full]))
        note = (
            f"Your message was long, so I read its first {MAX_QUESTION_CHARS:,} characters "
            "and the questions after them."
        )
    note = note if early is None else ""
    return PreparedQuestion(question, text, early, note, parts, bridged)


def message_questions(full: str, text: str) -> list[str]:
    """The message's questions, found in all of it (a forum post often asks at its end,
    past the part that is embedded whole), each cut like the message."""
    parts = []
    for part in question_parts(full[: MAX_QUESTION_CHARS * MAX_PARTS_READ]):
        part = cut(part)
        if part != text and part not in parts:
            parts.append(part)
    return parts
