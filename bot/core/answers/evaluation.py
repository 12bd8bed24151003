"""Retrieval and scope quality on the project's labelled question set (knowledge/eval)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.text import normalise
from bot.knowledge.yaml_io import read_yaml


@dataclass
class LabelledQuestion:
    question: str
    expect: str | None  # verbatim phrase the right passage contains; None = out of scope
    section: str | None


def load_eval_set(path: Path) -> list[LabelledQuestion]:
    data = read_yaml(path)
    items = [LabelledQuestion(i["q"], i["expect"], i.get("section")) for i in data["in_scope"]]
    items += [LabelledQuestion(i["q"], None, None) for i in data["out_of_scope"]]
    return items


@dataclass
class RetrievalScores:
    name: str
    questions: int = 0
    hit1: int = 0
    hit3: int = 0
    reciprocal_ranks: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, rank: int | None, question: str) -> None:
        """rank: 1-based position of the first right passage, or None."""
        self.questions += 1
        if rank is None:
            self.misses.append(question)
            return
        self.hit1 += rank == 1
        self.hit3 += rank <= 3
        self.reciprocal_ranks += 1 / rank

    def row(self) -> dict:
        n = self.questions or 1
        return {
            "retriever": self.name,
            "hit@1": self.hit1 / n,
            "hit@3": self.hit3 / n,
            "mrr": self.reciprocal_ranks / n,
            "questions": self.questions,
        }


@dataclass
class ScopeConfusion:
    in_answered: int = 0
    in_declined: int = 0
    out_answered: int = 0
    out_declined: int = 0
    wrongly_declined: list[str] = field(default_factory=list)
    wrongly_answered: list[str] = field(default_factory=list)

    def add(self, labelled_in: bool, answered: bool, question: str) -> None:
        if labelled_in and answered:
            self.in_answered += 1
        elif labelled_in:
            self.in_declined += 1
            self.wrongly_declined.append(question)
        elif answered:
            self.out_answered += 1
            self.wrongly_answered.append(question)
        else:
            self.out_declined += 1

    def row(self) -> dict:
        n_in = (self.in_answered + self.in_declined) or 1
        n_out = (self.out_answered + self.out_declined) or 1
        return {
            "in_scope_answered": self.in_answered,
            "in_scope_declined": self.in_declined,
            "out_of_scope_answered": self.out_answered,
            "out_of_scope_declined": self.out_declined,
            "declined_rate_out": self.out_declined / n_out,
            "wrongly_declined_rate_in": self.in_declined / n_in,
        }


def first_hit_rank(passage_texts: list[str], expect: str, k: int = 10) -> int | None:
    wanted = normalise(expect).lower()
    for rank, text in enumerate(passage_texts[:k], start=1):
        if wanted in normalise(text).lower():
            return rank
    return None
