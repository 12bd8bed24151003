"""The questions inside a long message: forum posts carry backstory and several questions.

One embedding of a 600-character post averages its parts: the backstory ("I'm a 2nd year CS
student…") and the first question pull the vector, and the second question is lost. The parts
are embedded too, so that each question finds its card and its passages; the backstory is left
out of the parts (it still counts in the whole message's vector, which the scope vote uses).
"""

from __future__ import annotations

import re

from bot.knowledge.text import STOPWORDS, keyword_terms, message_sentences

MAX_PARTS = 3  # more questions than this in one message: the first three get their own search
MIN_PART_WORDS = 2  # fewer content words, and it refers back: read with the sentence before

# "is kaggle good and what do interns earn": a second question joined by "and"/"also"/"or".
_JOINED = re.compile(
    r",?\s+(?:and|also|plus|or)\s+(?=(?:what|how|why|which|where|when|who)\b|(?:should|can|"
    r"could|would|do|does|is|are|will)\s+(?:i|we|you|it|they|there|that|this|my|one)\b)",
    re.IGNORECASE,
)
_ASKS = re.compile(
    r"^(?:also,?\s+|and\s+|so,?\s+|but\s+|or\s+|plus,?\s+|\d+[.)]\s+)?"
    r"(?:what|what's|whats|how|why|which|where|when|who|whom|should|shall|can|could|would|will|"
    r"do|does|did|is|are|am|was|were|have|has|any (?:tips|advice|suggestions|ideas|resources)|"
    r"advice|tips|thoughts|suggestions|recommendations?|is it|would it|wondering|curious)\b",
    re.IGNORECASE,
)
_REFERS_BACK = re.compile(r"\b(?:this|that|it|these|those|so|one|them|which)\b", re.IGNORECASE)
_LEAD = re.compile(r"^(?:also|and|so|but|or|plus|\d+[.)])[,:]?\s+", re.IGNORECASE)
# Closing lines ask nothing about the subject.
_POLITE = re.compile(
    r"^(?:any (?:help|advice|input|feedback|thoughts|suggestions|tips|guidance)\b[^?]*"
    r"\bappreciated|(?:i'd|i would|would) (?:really |greatly |much )?appreciate|"
    r"thanks|thank you|thx|tia|cheers|sorry for the long post)\b",
    re.IGNORECASE,
)


def _content_words(text: str) -> int:
    return sum(1 for w in keyword_terms(text) if w not in STOPWORDS)


def asks(sentence: str) -> bool:
    """A sentence that asks something (a question mark, or a question's first word)."""
    if _POLITE.match(sentence):
        return False
    return sentence.rstrip().endswith("?") or bool(_ASKS.match(sentence.strip()))


def question_parts(text: str) -> list[str]:
    """The questions a message asks, in order, when it asks more than its whole text does:
    several questions, or one question after backstory. Empty when the message is one
    question (then the whole message is the query, as before).

    A question too short to stand alone that refers back ("Is that true?", "Is this futile?")
    is read with the sentence before it, which is what it asks about."""
    sentences = message_sentences(text)
    pieces: list[tuple[str, bool]] = []  # (piece, asks)
    for sentence in sentences:
        # "Given my background, should I X, or should I Y?": every piece of a question asks.
        whole = sentence.rstrip().endswith("?") and not _POLITE.match(sentence)
        pieces.extend((p.strip(), whole or asks(p)) for p in _JOINED.split(sentence) if p.strip())
    parts: list[str] = []
    for i, (piece, is_question) in enumerate(pieces):
        if not is_question:
            continue
        part = _LEAD.sub("", piece)
        words = _content_words(part)
        if i > 0 and (not words or (words < MIN_PART_WORDS and _REFERS_BACK.search(part))):
            before = pieces[i - 1][0]
            if parts and parts[-1].endswith(_LEAD.sub("", before)):
                parts[-1] = f"{parts[-1]} {part}"  # "…, or is this futile?" finishes the question
                continue
            part = f"{before} {part}"
        if _content_words(part) >= 1 and part not in parts:
            parts.append(part)
    if not parts or (len(parts) == 1 and parts[0] == text.strip()):
        return []
    return parts[:MAX_PARTS]
