"""Extractive answers: the retrieved sentences that answer the question, each cited."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from bot.core.answers.retrieval import RetrievedPassage
from bot.knowledge.text import keyword_terms

MAX_SENTENCES = 3
MAX_REPLY_CHARS = 1600  # any reply: read on a phone without scrolling through screens
CITATION = re.compile(r"\[\d+(?:, \d+)*\]")  # "[1]", "[1, 2]": the mark after a quoted point
BLOCK_CITATION = re.compile(rf"{CITATION.pattern}(?=\n|$)")  # only a block's closing mark
MAX_ANSWER_CHARS = 700
# Measured with `careerbot eval` (answer contains the labelled sentence): 74% → 82%.
SAME_PASSAGE_SLACK = 0.20  # a neighbour of the best sentence may be a little less relevant
OTHER_PASSAGE_SLACK = 0.10  # another passage's sentence must be nearly as relevant
MIN_SENTENCE_SCORE = 0.25
KEYWORD_WEIGHT = 0.45  # sentences sharing the question's words beat vaguely similar ones
# A sentence that leans on the one before it ("This will help…", "However, …", "as outlined
# above") is quoted with that sentence, or it reads as a non sequitur.
REFERS_BACK = re.compile(
    r"^(this|these|that|those|it|they|however|but|also|part of (this|it))\b|\babove\b", re.I
)


@dataclass(frozen=True)
class Source:
    title: str  # "Article title › Section" as cited
    text: str  # the passage itself
    score: float
    passage_id: str

    def to_json(self) -> dict:
        return {"title": self.title, "text": self.text, "score": round(self.score, 4)}


@dataclass(frozen=True)
class AnswerPoint:
    text: str
    source: int  # index into Answer.sources
    is_item: bool = False  # a bullet of a list in the source


@dataclass
class Answer:
    question: str
    text: str
    in_scope: bool
    kind: str  # answer | overview | partial | smalltalk | empty | no_text | language | injection | disclaimed | off_topic | no_match
    sources: list[Source] = field(default_factory=list)
    points: list[AnswerPoint] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    top_score: float = 0.0
    latency_ms: float = 0.0
    generated: bool = False  # True when an LLM wrote the text from the sources
    note: str = ""  # e.g. "I read the first 1,000 characters"
    steps: list[str] = field(default_factory=list)  # an overview's steps (section headings)

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "in_scope": self.in_scope,
            "sources": [s.to_json() for s in self.sources],
        }


def _clean(sentence: str) -> str:
    return sentence[2:].strip() if sentence.startswith("- ") else sentence


def _quotable(sentences: tuple[str, ...], index: int) -> bool:
    """A lead-in ending in ':' is only worth quoting when its list follows in the passage."""
    if not sentences[index].endswith(":"):
        return True
    return index + 1 < len(sentences) and sentences[index + 1].startswith("- ")


def _overlap(weights: dict[str, float], sentence: str, rewrite: Callable[[str], str]) -> float:
    """Share of the question's (IDF-weighted) words that the sentence contains."""
    total = sum(weights.values())
    if not total:
        return 0.0
    words = set(keyword_terms(rewrite(sentence)))
    return sum(w for t, w in weights.items() if t in words) / total


def ranked_sentences(
    retrieved: list[RetrievedPassage],
    scores: dict[str, dict[int, float]],
    question_terms: dict[str, float] | None = None,
    rewrite: Callable[[str], str] = str,
    skip: Collection[str] = (),
) -> list[tuple[float, int, int]]:
    """(score, passage rank, sentence index) of every quotable sentence, best first: its cosine
    to the question plus the (IDF-weighted) share of the question's words it contains."""
    candidates = [
        (
            score
            + (0.03 if rank == 0 else 0.0)
            + KEYWORD_WEIGHT
            * _overlap(question_terms or {}, item.passage.sentences[index], rewrite),
            rank,
            index,
        )
        for rank, item in enumerate(retrieved)
        for index, score in scores.get(item.passage.id, {}).items()
        if _quotable(item.passage.sentences, index) and item.passage.sentences[index] not in skip
    ]
    return sorted(candidates, reverse=True)


def choose_sentences(
    retrieved: list[RetrievedPassage],
    scores: dict[str, dict[int, float]],
    question_terms: dict[str, float] | None = None,
    rewrite: Callable[[str], str] = str,
    skip: Collection[str] = (),
) -> list[tuple[int, int]]:
    """(passage rank, sentence index) of the sentences to quote, in reading order."""
    candidates = ranked_sentences(retrieved, scores, question_terms, rewrite, skip)
    if not candidates:
        return [(0, 0)] if retrieved else []
    best, best_rank = candidates[0][0], candidates[0][1]
    chosen: list[tuple[int, int]] = []
    length = 0
    for score, rank, index in candidates:
        if len(chosen) >= MAX_SENTENCES:
            break
        slack = SAME_PASSAGE_SLACK if rank == best_rank else OTHER_PASSAGE_SLACK
        if chosen and score < max(best - slack, MIN_SENTENCE_SCORE):
            continue
        sentence = retrieved[rank].passage.sentences[index]
        if chosen and length + len(sentence) > MAX_ANSWER_CHARS:
            continue
        chosen.append((rank, index))
        length += len(sentence)
    # A lead-in like "Here's a quick checklist:" is useless without the list it introduces.
    for rank, index in list(chosen):
        sentences = retrieved[rank].passage.sentences
        if sentences[index].endswith(":"):
            following = index + 1
            while following < len(sentences) and sentences[following].startswith("- "):
                if (rank, following) not in chosen:
                    chosen.append((rank, following))
                following += 1
    for rank, index in list(chosen):
        sentences = retrieved[rank].passage.sentences
        while index > 0 and REFERS_BACK.search(_clean(sentences[index])):
            index -= 1
            if (rank, index) not in chosen:
                chosen.append((rank, index))
        # a list item is read with its lead-in ("Here's a checklist:" / "several options.")
        if sentences[index].startswith("- "):
            lead = index
            while lead > 0 and sentences[lead].startswith("- "):
                lead -= 1
            if not sentences[lead].startswith("- ") and (rank, lead) not in chosen:
                chosen.append((rank, lead))
    ranks_in_order = sorted({rank for rank, _ in chosen})
    return sorted(chosen, key=lambda c: (ranks_in_order.index(c[0]), c[1]))


def lede_sentences(passages) -> list[str]:
    """The article's opening and closing intro lines (before its first section): its lede."""
    intro = [s for p in passages if not p.heading_path for s in p.sentences]
    return list(dict.fromkeys(intro[:2] + intro[-3:])) if intro else []


def join_blocks(points: list[AnswerPoint], n_sources: int) -> str:
    """One block per source, in source order: lists read as lists, each block cited [n]."""
    blocks: list[str] = []
    for number in range(n_sources):
        own = [p for p in points if p.source == number]
        if any(p.is_item for p in own):
            body = "\n".join(f"• {p.text}" if p.is_item else p.text for p in own)
        else:
            body = " ".join(p.text for p in own)
        blocks.append(f"{body} [{number + 1}]")
    return "\n\n".join(blocks)


def compose_answer(
    question: str,
    retrieved: list[RetrievedPassage],
    scores: dict[str, dict[int, float]],
    term_weights: dict[str, float] | None = None,
    rewrite: Callable[[str], str] = str,
    skip: Collection[str] = (),
) -> Answer:
    """Quote the best sentences, grouped by the passage they come from, each passage cited.

    `skip`: sentences never quoted here (the article's lede: filler for a specific question).
    """
    terms = term_weights or {}
    sources: list[Source] = []
    source_of_rank: dict[int, int] = {}
    points: list[AnswerPoint] = []
    for rank, index in choose_sentences(retrieved, scores, terms, rewrite, skip):
        if rank not in source_of_rank:
            item = retrieved[rank]
            source_of_rank[rank] = len(sources)
            sources.append(
                Source(item.passage.citation, item.passage.text, item.score, item.passage.id)
            )
        sentence = retrieved[rank].passage.sentences[index]
        points.append(
            AnswerPoint(_clean(sentence), source_of_rank[rank], sentence.startswith("- "))
        )
    return Answer(
        question=question,
        text=join_blocks(points, len(sources)),
        in_scope=True,
        kind="answer",
        sources=sources,
        points=points,
        top_score=max((s.score for s in sources), default=0.0),
    )


def merge_sources_by_citation(answer: Answer) -> None:
    """One source per section cited: passages of one section quoted apart (a card's quote,
    then more from the guide) would list the same heading under several numbers."""
    number_of: dict[str, int] = {}
    renumber: list[int] = []
    merged: list[Source] = []
    for source in answer.sources:
        if source.title not in number_of:
            number_of[source.title] = len(merged)
            merged.append(source)
        else:
            first = merged[number_of[source.title]]
            text = first.text if source.text in first.text else f"{first.text}\n\n{source.text}"
            merged[number_of[source.title]] = Source(
                first.title, text, max(first.score, source.score), first.passage_id
            )
        renumber.append(number_of[source.title])
    if len(merged) == len(answer.sources):
        return

    def mark(match: re.Match) -> str:
        numbers = (renumber[int(n) - 1] + 1 for n in re.findall(r"\d+", match.group()))
        return "[" + ", ".join(str(n) for n in sorted(set(numbers))) + "]"

    answer.text = BLOCK_CITATION.sub(mark, answer.text)
    answer.points = [AnswerPoint(p.text, renumber[p.source], p.is_item) for p in answer.points]
    answer.sources = merged


def without_citations(text: str) -> str:
    """The text without its citation marks (for a reply that lists no sources)."""
    return re.sub(rf" ?{CITATION.pattern}", "", text)
