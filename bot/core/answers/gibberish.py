"""Input that is not an English question: keyboard mash, random characters, stray code, or a
question in another Latin-script language. Cheap checks that run before any embedding.

The English word list is the whole-word part of the embedding model's own WordPiece vocabulary
(≈ 21,700 words, already installed with the model); a character-trigram model trained on it
tells a pronounceable unknown word ("leetcode", a typo like "intrnship") from a mashed one
("asdkjh", "zxcv").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
from functools import cache

from bot.knowledge.embedder import model_words
from bot.knowledge.text import STOPWORDS

# A whitespace-separated chunk is a prose word once this punctuation is stripped from its ends.
_EDGE_PUNCTUATION = ".,!?;:\"'¿¡…«»“”‘’()[]*"
_PROSE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")
# Tokens that mix letters and digits yet read as words: python3, gpt4, 3rd, 10k, 2yrs.
_WORDISH_MIXED = re.compile(r"[^\W\d_]{2,}\d{1,2}|\d+(?:st|nd|rd|th|k|m|s|h|yrs?|am|pm)")
# Code shapes: calls, attribute access, operators, braces, hex addresses, tags, paths.
_CODE = re.compile(
    r"\w\(|\w\.\w+\(|[{};]|[-+*/%=!<>]=|=>|->|::|&&|\|\||</?\w+>|\b0x[0-9a-f]{3,}\b|[\\/]\w+[\\/]|\w_\w"
    r"|\w\s*=\s*[\[\d\"'{(]|\btraceback\b|\w\.(?:py|js|ts|java|cpp|rb|go|sh)\b",
    re.IGNORECASE,
)
# A statement keyword opening the text weighs as two hits: "import numpy as np".
_CODE_START = re.compile(
    r"\s*(?:def|import|from \w+ import|class|return|select|#include|var|let|const)\s+\w",
    re.IGNORECASE,
)
TRIGRAM_FLOOR = (
    -3.3
)  # mean log-probability: 2% of English words fall below it, 95% of random strings
KNOWN_SHARE = 0.5  # of a text's letters, in known words: clearly words
PLAUSIBLE_SHARE = 0.6  # of a text's letters, in known or pronounceable words: words with typos
NOTHING_KNOWN_SHARE = 0.8  # the same when not one word is known
SINGLE_SCRIPT = 0.8  # share of letters in the main writing system of a real sentence

# Chat shorthand the vocabulary lacks.
CHAT_WORDS = frozenset("thx ty pls plz u ur r tbh imo idk lol btw asap hw wth w/o k".split())

# The most frequent function words of Latin-script languages a student might write in, minus
# those that are English words too ("a", "no", "me", "die", "was", "come", "is").
FUNCTION_WORDS = {
    "Spanish": "el la los las del que y en un una por para con es como cómo qué pero más muy mi "
    "puedo tengo hacer sin ser hay está",
    "French": "le la les des du et est une un en pour pas que qui dans avec je suis comment mon "
    "ma sur ce cette être faire",
    "German": "der das und ist nicht ich ein eine zu mit für wie kann auf den dem ich bin "
    "wie sich auch oder",
    "Italian": "il lo gli di che è un una per non sono cosa posso con del della nel anche",
    "Portuguese": "os que é um uma para não com como eu posso da em ser está fazer também",
    "Dutch": "het een en van niet ik hoe wat met voor zijn kan ook",
    "Vietnamese": "của và có không tôi làm thế nào để được các những một với này trong như là "
    "mình gì bạn nên muốn cần",
    "Indonesian": "dari untuk dengan ini itu saya bagaimana apa tidak bisa adalah atau juga aku "
    "mau harus",
    "Turkish": "bir için nasıl mı mü çok daha gibi olarak nereden hangi neler nedir gerekir "
    "istiyorum",
}
_FUNCTION_SETS = {lang: frozenset(words.split()) for lang, words in FUNCTION_WORDS.items()}


def english_words() -> frozenset[str]:
    """Whole words of the model's vocabulary (lowercase letters; single letters aside, only
    words of two letters or more count)."""
    return model_words()


@cache
def _trigrams() -> tuple[dict[str, float], dict[str, float]]:
    """Log-probabilities of a letter given the two before it, from the English word list."""
    grams: Counter[str] = Counter()
    contexts: Counter[str] = Counter()
    for word in english_words():
        if len(word) < 2 or not word.isascii():
            continue
        padded = f"^^{word}$"
        for i in range(2, len(padded)):
            grams[padded[i - 2 : i + 1]] += 1
            contexts[padded[i - 2 : i]] += 1
    smoothing = 0.1 * 27
    context_log = {c: math.log(n + smoothing) for c, n in contexts.items()}
    return {g: math.log(n + 0.1) for g, n in grams.items()}, context_log


def _fold_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def pronounceability(word: str) -> float:
    """Mean log-probability of the word's letters under the English trigram model."""
    grams, contexts = _trigrams()
    padded = f"^^{_fold_accents(word.lower())}$"
    unseen, unseen_context = math.log(0.1), math.log(0.1 * 27)
    total = 0.0
    for i in range(2, len(padded)):
        total += grams.get(padded[i - 2 : i + 1], unseen) - contexts.get(
            padded[i - 2 : i], unseen_context
        )
    return total / (len(padded) - 2)


def _stems(word: str) -> tuple[str, ...]:
    """The word and its forms without a plural or verb ending (the vocabulary lists lemmas)."""
    forms = [word]
    for suffix in ("'s", "’s", "s", "es", "ed", "ing", "ly"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.append(word[: -len(suffix)])
    return tuple(forms)


def _is_known(token: str, extra_words: Collection[str]) -> bool:
    word = token.lower()
    if word in ("a", "i") or word in CHAT_WORDS:
        return True
    english = english_words()
    return len(word) > 1 and any(form in english or form in extra_words for form in _stems(word))


def _chunks(text: str) -> list[str]:
    return [c.strip(_EDGE_PUNCTUATION) for c in text.split()]


def words_of(texts: Iterable[str]) -> frozenset[str]:
    """The lowercase words of some texts: a knowledge base's own vocabulary, for `extra_words`."""
    return frozenset(w.lower() for text in texts for w in _LETTERS.findall(text))


def _script(letter: str) -> str:
    """Writing system of a letter; Japanese kana and kanji count as one (they mix in a sentence)."""
    script = unicodedata.name(letter, "UNKNOWN").split()[0]
    return "CJK" if script in ("HIRAGANA", "KATAKANA") else script


def _single_script(text: str) -> bool:
    """True when one writing system holds most letters: a random mix of alphabets is not."""
    scripts = Counter(_script(ch) for ch in text if ch.isalpha())
    return not scripts or scripts.most_common(1)[0][1] >= SINGLE_SCRIPT * scripts.total()


_LATIN_RUN = re.compile(r"[A-Za-z]+")


def _english_terms_in_another_script(text: str, extra_words: Collection[str]) -> bool:
    """True for a sentence in a non-Latin script that quotes English terms ("Coursera의 Prof.
    Andrew Ng 수업", "data science 학습"): two writing systems hold nearly all its letters, the
    main one is not Latin, and its Latin letters are plain words, at least one of them known,
    unlike letters of alphabets at random."""
    scripts = Counter(_script(ch) for ch in text if ch.isalpha())
    main, main_count = scripts.most_common(1)[0]
    if main == "LATIN" or main_count + scripts["LATIN"] < SINGLE_SCRIPT * scripts.total():
        return False
    runs = _LATIN_RUN.findall(text)
    ascii_letters = sum(len(run) for run in runs)
    if not ascii_letters or ascii_letters < scripts["LATIN"]:
        return False  # accented Latin letters strewn among another alphabet's
    kinds = [_word_kind(run, extra_words) for run in runs]
    readable = sum(len(run) for run, kind in zip(runs, kinds, strict=True) if kind != "junk")
    return "known" in kinds and readable >= PLAUSIBLE_SHARE * ascii_letters


def _word_kind(chunk: str, extra_words: Collection[str]) -> str:
    """known | acronym | plausible | junk, for a whitespace chunk stripped of punctuation."""
    if _PROSE.fullmatch(chunk):
        if _is_known(chunk, extra_words):
            return "known"
        if 1 < len(chunk.removesuffix("s")) <= 6 and chunk.removesuffix("s").isupper():
            return "acronym"  # GPA, LLMs, FAANG
        if len(chunk) >= 3 and pronounceability(chunk) >= TRIGRAM_FLOOR:
            return "plausible"
    elif _WORDISH_MIXED.fullmatch(chunk.lower()):
        return "plausible"
    return "junk"


def looks_like_gibberish(text: str, extra_words: Collection[str] = frozenset()) -> bool:
    """True for keyboard mash, random characters and stray code; False for anything that reads
    as words, even short ("kaggle?", "PhD?"), misspelt, or in another language.

    `extra_words`: lowercase words known besides English (the knowledge base's own terms)."""
    if not _single_script(text):
        # Letters of several alphabets at random, unless it is another language quoting English.
        return not _english_terms_in_another_script(text, extra_words)
    letters = [ch for ch in text if ch.isalpha()]
    if letters and 2 * sum(_script(ch) == "LATIN" for ch in letters) < len(letters):
        # Mostly another writing system ("Как получить стажировку по ML?"): a language, not
        # gibberish (digits alone aside).
        return False
    if looks_like_other_language(text):
        return False
    letters_of: Counter[str] = Counter()  # letters per word kind
    known: list[str] = []
    for chunk in _chunks(text):
        letters = sum(len(run) for run in _LETTERS.findall(chunk))
        if letters:  # a number or punctuation counts neither for nor against
            kind = _word_kind(chunk, extra_words)
            letters_of[kind] += letters
            if kind == "known":
                known.append(chunk.lower())
    all_letters = letters_of.total()
    if not all_letters:
        return True  # digits and symbols only ("12345", "$$$ 100%")
    function_words = sum(w in STOPWORDS for w in known)
    content_words = sum(w not in STOPWORDS and len(w) > 2 for w in known)
    code_hits = len(_CODE.findall(text)) + (2 if _CODE_START.match(text) else 0)
    if code_hits and (content_words < 2 or (code_hits >= 2 and function_words < 3)):
        return True  # code with at most a few words around it
    if letters_of["known"] >= KNOWN_SHARE * all_letters:
        return False
    if len(known) >= 2 and function_words:
        return False  # "what is numpy.array?": English around an unknown term
    readable = letters_of["known"] + letters_of["acronym"] + letters_of["plausible"]
    if not known:
        # Nothing I know: one unknown word has nothing to answer from; several must all read
        # as words (a name, a term, another language) to be worth a search.
        return len(_chunks(text)) == 1 or readable < NOTHING_KNOWN_SHARE * all_letters
    return readable < PLAUSIBLE_SHARE * all_letters


def looks_like_other_language(text: str) -> bool:
    """True when a Latin-script question is plainly not English: it holds at least two function
    words of one of FUNCTION_WORDS' languages, and more of them than English function words."""
    words = [c.lower() for c in _chunks(text) if _PROSE.fullmatch(c)]
    english = sum(w in STOPWORDS for w in words)
    distinct = set(words)
    hits = max(len(distinct & function_words) for function_words in _FUNCTION_SETS.values())
    return hits >= 2 and hits > english
