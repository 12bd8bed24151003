"""Text helpers shared by ingest and the query path: normalising, sentences, keyword terms."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Curly quotes and dashes become ASCII for matching only; quoted text keeps the source's characters.
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9$#👉])")
# A user's message is split more loosely than the article: lower-case starts, line breaks, ";".
_MESSAGE_SENTENCE = re.compile(r"(?<=[?!.])\s+|\s*[\n;]\s*")
# Control and format characters (zero-width joiners, bidi marks…), but not line breaks or tabs;
# lone surrogates too (undecodable bytes in argv, half an emoji in JSON): no encoder takes them.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ud800-\udfff]"
)
_WORD = re.compile(r"[a-z0-9#$+]+(?:'[a-z]+)?")

STOPWORDS = frozenset(
    """a about above after again all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me
    more most my myself no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves im ive id dont get got go going really
    want need thing things like also much many way ways one""".split()
)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def normalise(text: str) -> str:
    """NFKC, folded quotes/dashes, collapsed whitespace: the form questions are embedded in."""
    text = _CONTROL.sub("", unicodedata.normalize("NFKC", text).translate(_FOLD))
    return re.sub(r"\s+", " ", text).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; a list item stays whole (its sentences belong together)."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("- "):
            sentences.append(line)
            continue
        sentences.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return sentences


def message_sentences(text: str) -> list[str]:
    """The sentences of a user's message (a forum post's title, backstory and questions)."""
    return [part.strip() for part in _MESSAGE_SENTENCE.split(text) if part and part.strip()]


def _stem(word: str) -> str:
    """A light suffix stripper: enough to join 'projects'/'project', 'learning'/'learn'."""
    for suffix, keep in (
        ("ies", "y"),
        ("ing", ""),
        ("ers", "er"),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            if suffix == "es" and not word.endswith(("ches", "shes", "sses", "xes")):
                continue
            return word[: -len(suffix)] + keep
    return word


@lru_cache(maxsize=8192)  # the articles' sentences and recent questions: ~4 MB at most
def _terms(text: str) -> tuple[str, ...]:
    words = _WORD.findall(normalise(text).lower())
    words = [w[:-2] if w.endswith("'s") else w.replace("'", "") for w in words]
    return tuple(_stem(w) for w in words if w not in STOPWORDS and len(w) > 1)


def keyword_terms(text: str) -> list[str]:
    """Lowercased, stemmed content words for BM25 (stop words dropped); cached per text."""
    return list(_terms(text))


def mostly_latin(text: str) -> bool:
    """At least half the letters are Latin (other scripts get the bot's language reply)."""
    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    return not letters or latin / len(letters) >= 0.5


def has_letters(text: str) -> bool:
    """True if the text holds at least one letter or digit (not only emoji/punctuation)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
