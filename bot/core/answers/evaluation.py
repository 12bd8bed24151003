"""Answer quality on labelled question sets (knowledge/eval): metrics, and a naive RAG comparator.

Every figure is computed for the shipped answer path and for a naive dense RAG (top three
500-character chunks, pasted), on the same questions, so each number has its comparator.
Schema of the sets: knowledge/eval/README.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.core.answers.compose import MAX_REPLY_CHARS, lede_sentences
from bot.knowledge.passages import Passage
from bot.knowledge.text import normalise
from bot.knowledge.yaml_io import read_yaml

ANSWERABLE = ("covered", "partial")
NAIVE_CHUNK_CHARS = 500
NAIVE_TOP_K = 3


@dataclass(frozen=True)
class EvalQuestion:
    q: str
    kind: str  # real | paraphrase | broad | off_topic | gibberish
    coverage: str  # covered | partial | uncovered
    expect: tuple[str, ...] = ()  # verbatim phrases of the answering passage
    must_mention: tuple[tuple[str, ...], ...] = ()  # facts; each satisfied by any alternative
    sections: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.coverage in ANSWERABLE


@dataclass
class LabelledQuestion:
    """The older set's shape (knowledge/eval/questions.yaml), kept for its readers."""

    question: str
    expect: str | None  # verbatim phrase the right passage contains; None = out of scope
    section: str | None


def load_eval_set(path: Path) -> list[LabelledQuestion]:
    data = read_yaml(path)
    items = [LabelledQuestion(i["q"], i["expect"], i.get("section")) for i in data["in_scope"]]
    items += [LabelledQuestion(i["q"], None, None) for i in data["out_of_scope"]]
    return items


def load_questions(path: Path) -> list[EvalQuestion]:
    """A labelled set in the current schema, or the older in_scope/out_of_scope one.

    An older in-scope item becomes a covered paraphrase whose one fact is its labelled phrase
    (the reply must quote it); an older out-of-scope item becomes an off-topic question.
    """
    data = read_yaml(path) or {}
    if "questions" not in data:
        return [
            EvalQuestion(
                item.question,
                "paraphrase",
                "covered",
                (item.expect,),
                ((item.expect,),),
                (item.section,) if item.section else (),
            )
            if item.expect is not None
            else EvalQuestion(item.question, "off_topic", "uncovered")
            for item in load_eval_set(path)
        ]
    return [
        EvalQuestion(
            q=str(row["q"]),
            kind=row["kind"],
            coverage=row["coverage"],
            expect=tuple(row.get("expect") or ()),
            must_mention=tuple(
                tuple(str(a) for a in group) for group in row.get("must_mention") or ()
            ),
            sections=tuple(row.get("sections") or ()),
        )
        for row in data["questions"]
    ]


# -- metric functions -----------------------------------------------------------------------------
def _fold(text: str) -> str:
    return normalise(text).lower()


def contains(text: str, phrase: str) -> bool:
    """Case-, quote- and whitespace-insensitive substring test."""
    return _fold(phrase) in _fold(text)


def passage_hit(source_texts: Sequence[str], expect: Sequence[str]) -> bool:
    """The answering passage (it holds one of the expected phrases) is among the sources."""
    return any(contains(text, phrase) for text in source_texts for phrase in expect)


def mentions_all(reply: str, must_mention: Sequence[Sequence[str]]) -> bool:
    """Every fact is in the reply: each group satisfied by any of its alternatives."""
    return all(any(contains(reply, alt) for alt in group) for group in must_mention)


def shows_lede(reply: str, lede: Sequence[str]) -> bool:
    return any(contains(reply, sentence) for sentence in lede)


@dataclass(frozen=True)
class Reply:
    """What is scored: the text the user reads, whether it declined, what it cites."""

    text: str
    declined: bool
    sources: tuple[str, ...]


@dataclass
class KindFigures:
    """Figures for one kind of question (or all of them) in one set, for one system."""

    questions: int = 0
    answerable: int = 0
    with_expect: int = 0
    passage_hits: int = 0
    with_facts: int = 0
    mentioned: int = 0  # every fact present
    mentioned_short: int = 0  # every fact present and the reply fits MAX_REPLY_CHARS
    too_long: int = 0
    wrongly_declined: int = 0
    uncovered: int = 0
    declined_uncovered: int = 0
    lede_eligible: int = 0
    lede_shown: int = 0
    misses: list[dict] = field(default_factory=list)

    def add(self, question: EvalQuestion, reply: Reply, lede: Sequence[str], title: str) -> None:
        self.questions += 1
        problems = []
        if len(reply.text) > MAX_REPLY_CHARS:
            self.too_long += 1
            problems.append("too long")
        if title not in question.sections and not reply.declined:
            self.lede_eligible += 1
            if shows_lede(reply.text, lede):
                self.lede_shown += 1
                problems.append("lede")
        if question.answerable:
            self.answerable += 1
            if reply.declined:
                self.wrongly_declined += 1
                problems.append("declined")
            if question.expect:
                self.with_expect += 1
                if passage_hit(reply.sources, question.expect):
                    self.passage_hits += 1
                elif not reply.declined:
                    problems.append("passage not cited")
            if question.must_mention:
                self.with_facts += 1
                if mentions_all(reply.text, question.must_mention):
                    self.mentioned += 1
                    self.mentioned_short += len(reply.text) <= MAX_REPLY_CHARS
                elif not reply.declined:
                    problems.append("facts missing")
        else:
            self.uncovered += 1
            if reply.declined:
                self.declined_uncovered += 1
            else:
                problems.append("answered")
        if problems:
            self.misses.append({"q": question.q, "problems": problems, "reply": reply.text})

    def row(self) -> dict:
        def rate(hits: int, n: int) -> float | None:
            return round(hits / n, 4) if n else None

        return {
            "questions": self.questions,
            "answerable": self.answerable,
            "passage_in_sources": rate(self.passage_hits, self.with_expect),
            "must_mention": rate(self.mentioned, self.with_facts),
            "key_facts_within_limit": rate(self.mentioned_short, self.with_facts),
            "key_facts_count": f"{self.mentioned_short}/{self.with_facts}",
            "wrongly_declined": self.wrongly_declined,
            "uncovered": self.uncovered,
            "declined": self.declined_uncovered,
            "too_long": self.too_long,
            "lede_shown": f"{self.lede_shown}/{self.lede_eligible}",
        }


def score_replies(
    questions: Sequence[EvalQuestion], replies: Sequence[Reply], lede: Sequence[str], title: str
) -> dict[str, KindFigures]:
    """Figures per kind, plus "all"; in the questions' order."""
    figures: dict[str, KindFigures] = {}
    for question, reply in zip(questions, replies, strict=True):
        for key in (question.kind, "all"):
            figures.setdefault(key, KindFigures()).add(question, reply, lede, title)
    return figures


# -- the naive comparator -------------------------------------------------------------------------
def naive_chunks(passages: Sequence[Passage], size: int = NAIVE_CHUNK_CHARS) -> list[str]:
    """The articles' text cut the way a default langchain pipeline cuts it (500 characters)."""
    sections: dict[tuple[str, str], list[str]] = {}
    for p in passages:
        sections.setdefault((p.source, p.heading_path), []).append(p.text)
    text = "\n\n".join(
        (f"{heading}\n\n" if heading else "") + "\n".join(parts)
        for (_, heading), parts in sections.items()
    )
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=0).split_text(text)


class NaiveRag:
    """Dense top-3 over 500-character chunks, pasted as the reply; never declines."""

    def __init__(self, chunks: list[str], vectors: np.ndarray) -> None:
        self.chunks = chunks
        self.vectors = vectors

    def reply(self, vector: np.ndarray) -> Reply:
        order = np.argsort(-(self.vectors @ vector))[:NAIVE_TOP_K]
        picked = tuple(self.chunks[i] for i in order)
        return Reply("\n\n".join(picked), False, picked)


def evaluate_sets(service, sets: dict[str, list[EvalQuestion]], with_misses: set[str]) -> dict:
    """Each set through the shipped answer path and the naive comparator; figures per kind.

    Misses (question, reply) are listed only for the sets named in `with_misses`: a held-out
    set is reported as aggregates only.
    """
    passages = list(service.kb.retriever.passages.values())
    lede = lede_sentences(passages)
    title = passages[0].title if passages else ""
    embedder = service.kb.embedder
    chunks = naive_chunks(passages)
    naive = NaiveRag(chunks, embedder.embed_documents(chunks))
    report: dict = {"embedder": embedder.name, "max_reply_chars": MAX_REPLY_CHARS, "sets": {}}
    for name, questions in sets.items():
        answers = service.answer_many([q.q for q in questions])
        shipped = [Reply(a.text, not a.in_scope, tuple(s.text for s in a.sources)) for a in answers]
        raw = embedder.embed_documents([q.q for q in questions])
        baseline = [naive.reply(v) for v in raw]
        ours = score_replies(questions, shipped, lede, title)
        theirs = score_replies(questions, baseline, lede, title)
        entry = {
            "questions": len(questions),
            "careerbot": {kind: f.row() for kind, f in ours.items()},
            "naive_rag": {kind: f.row() for kind, f in theirs.items()},
        }
        if name in with_misses:
            entry["misses"] = ours["all"].misses if "all" in ours else []
        report["sets"][name] = entry
    return report
