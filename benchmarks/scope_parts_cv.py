"""Scope of messages with several questions or a backstory, under grouped cross-validation.

A long forum post is one vector: its backstory ("I'm a CS junior doing ML projects…") pulls it
toward in scope whatever it asks. The bot also embeds the message's questions
(bot/core/answers/parts.py). Here every labelled question of benchmarks/scope_cv.py is split
as the bot splits it, its parts are embedded as the bot embeds them, and each part is voted on
with the same held-out neighbours as its message (its group and both texts' near-twins held
out). Each group's thresholds come from the other groups' out-of-fold votes, as in
scope_cv.py. Candidates combine the whole message's vote with its parts' votes.

knowledge/eval/scope_check.yaml (written by someone who saw no other set) is scored by the same
rules as a second check: the votes there are from all labelled questions, the thresholds fitted
on all out-of-fold votes, as ingest fits them. Never a target: nothing is fitted on it.

    PYTHONPATH=. python -m ingest && PYTHONPATH=. python benchmarks/scope_parts_cv.py \
        [--misses] [--context]

--context embeds each part with the message's sentence before it (an extra embedding per part
at query time) instead of the part alone; the "(part + a·whole)" rows mix vectors, for free.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import common  # noqa: F401  (puts the project on sys.path)
import numpy as np

from benchmarks.scope_cv import REPORT_SOURCES, Memory, load_memory
from bot.config import get_settings
from bot.core.answers.scope import MIN_CORPUS_SIMILARITY
from bot.core.answers.service import RANKED_PASSAGES, open_answer_service
from bot.knowledge.scope_model import (
    IN_DECLINE_TARGET,
    LONG_WORDS,
    PART_CONTEXT,
    TWIN,
    bucket_thresholds,
    knn_vote,
    length_bucket,
    pick_threshold,
)
from bot.knowledge.scope_rules import rule_reason
from bot.knowledge.text import message_sentences
from bot.knowledge.yaml_io import read_yaml

IN_SCOPE_KINDS = {"broad", "covered", "partial"}


@dataclass
class Message:
    """One message's votes: the whole, and each question inside (empty when it asks one)."""

    whole: float
    words: int
    parts: np.ndarray  # votes
    part_words: np.ndarray
    part_mixed: dict[float, np.ndarray]  # votes of normalise(part + a * whole), by a
    emphasised: dict[float, float]  # vote of normalise(whole + b * mean(parts)), by b
    group: int = -1
    label: int = -1
    gate: bool = True  # False: a rule or the corpus cut settles it (declined)
    opened: float = np.nan  # a long post: the lower of its vote and its opening's (else whole)

    @property
    def message_vote(self) -> float:
        return self.whole if np.isnan(self.opened) else self.opened


@dataclass
class Fitted:
    pair: np.ndarray  # per-length thresholds on whole votes (as shipped)
    extra: dict[str, object]  # candidates' own thresholds


Rule = Callable[[Message, Fitted], bool]
MIXES = tuple(sorted({0.25, 0.5, 0.75, 1.0, 1.5, 2.0, PART_CONTEXT}))
EMPHASES = (0.5, 1.0, 2.0)


def gap(vote: float, words: int, pair: np.ndarray) -> float:
    return vote - pair[int(length_bucket(words))]


def best_part_gap(m: Message, pair: np.ndarray, votes: np.ndarray | None = None) -> float:
    votes = m.parts if votes is None else votes
    if not len(votes):
        return -np.inf
    return max(gap(v, w, pair) for v, w in zip(votes, m.part_words, strict=True))


# -- candidate rules: in scope? ------------------------------------------------------------------
def whole_only(m: Message, f: Fitted) -> bool:
    return gap(m.whole, m.words, f.pair) > 0


def any_part(m: Message, f: Fitted) -> bool:
    """Before: the whole, or else any question judged alone."""
    return whole_only(m, f) or best_part_gap(m, f.pair) > 0


def mixed_part(a: float) -> Rule:
    def rule(m: Message, f: Fitted) -> bool:
        return whole_only(m, f) or best_part_gap(m, f.pair, m.part_mixed.get(a, m.parts)) > 0

    shipped = " (shipped)" if a == PART_CONTEXT else ""
    rule.__name__ = f"whole, or any part read with the whole (part + {a}·whole){shipped}"
    return rule


def combined_score(how: str) -> Callable[[Message, np.ndarray], float]:
    def score(m: Message, pair: np.ndarray) -> float:
        w, p = gap(m.whole, m.words, pair), best_part_gap(m, pair)
        return (w + p) / 2 if how == "mean" else min(w, p) if how == "min" else max(w, p)

    return score


def with_parts_threshold(how: str, long_only: bool) -> Rule:
    """Messages with parts (long ones only, or all): in scope when the mean/min of the whole's
    gap and the best part's gap clears a threshold fitted on such messages."""
    score = combined_score(how)

    def rule(m: Message, f: Fitted) -> bool:
        if not len(m.parts) or (long_only and not length_bucket(m.words)):
            return any_part(m, f)
        return score(m, f.pair) > f.extra[rule.__name__]

    def fit(messages: list[Message], pair: np.ndarray) -> float:
        chosen = [m for m in messages if len(m.parts) and (not long_only or length_bucket(m.words))]
        s = np.array([score(m, pair) for m in chosen])
        y = np.array([m.label for m in chosen])
        return pick_threshold(s, y, IN_DECLINE_TARGET) if len(s) else 0.0

    rule.__name__ = f"{how}(whole gap, best part gap) over own threshold, " + (
        "long messages with parts" if long_only else "messages with parts"
    )
    rule.fit = fit  # type: ignore[attr-defined]
    return rule


def strict_when_parts_out(long_only: bool, context: bool = False) -> Rule:
    """When every question of the message votes out (alone, or read with the message), the
    whole must clear a stricter threshold (fitted on such messages); otherwise as the rule
    judging the questions the same way."""
    base = mixed_part(PART_CONTEXT) if context else any_part

    def parts_gap(m: Message, pair: np.ndarray) -> float:
        votes = m.part_mixed.get(PART_CONTEXT, m.parts) if context else m.parts
        return best_part_gap(m, pair, votes)

    def rule(m: Message, f: Fitted) -> bool:
        if (
            not len(m.parts)
            or (long_only and not length_bucket(m.words))
            or parts_gap(m, f.pair) > 0
        ):
            return base(m, f)
        # never below the shipped threshold for its length: stricter, not laxer
        return m.whole > max(f.extra[rule.__name__], f.pair[int(length_bucket(m.words))])

    def fit(messages: list[Message], pair: np.ndarray) -> float:
        chosen = [
            m
            for m in messages
            if len(m.parts)
            and (not long_only or length_bucket(m.words))
            and parts_gap(m, pair) <= 0
        ]
        s = np.array([m.whole for m in chosen])
        y = np.array([m.label for m in chosen])
        return pick_threshold(s, y, IN_DECLINE_TARGET) if (y == 1).any() else 0.0

    rule.__name__ = (
        "stricter whole threshold when all parts vote out"
        + (f" (read + {PART_CONTEXT}·whole)" if context else " (alone)")
        + (" (long only)" if long_only else "")
    )
    rule.fit = fit  # type: ignore[attr-defined]
    return rule


def emphasised_whole(b: float, a: float) -> Rule:
    """The message's vector leans toward its questions (whole + b·mean of the parts), its
    thresholds refitted per length; or else any part read with the whole (a)."""

    def whole_vote(m: Message) -> float:
        return m.emphasised.get(b, m.whole) if len(m.parts) else m.whole

    def rule(m: Message, f: Fitted) -> bool:
        own = f.extra[rule.__name__]
        return gap(whole_vote(m), m.words, own) > 0 or (
            best_part_gap(m, f.pair, m.part_mixed.get(a, m.parts)) > 0
        )

    def fit(messages: list[Message], pair: np.ndarray) -> np.ndarray:
        return bucket_thresholds(
            np.array([whole_vote(m) for m in messages]),
            np.array([m.label for m in messages]),
            np.array([m.words for m in messages]),
        )

    rule.__name__ = f"whole + {b}·mean(parts), or any part + {a}·whole"
    rule.fit = fit  # type: ignore[attr-defined]
    return rule


def jointly_calibrated(a: float) -> Rule:
    """Whole, or any part read with the whole (a); the whole's thresholds picked so that this
    rule, not the whole vote alone, declines at most 3% of in-scope questions per length: an
    in-scope post its question brings in does not pull the whole's threshold down."""

    def rescued(m: Message, pair: np.ndarray) -> bool:
        return best_part_gap(m, pair, m.part_mixed.get(a, m.parts)) > 0

    def rule(m: Message, f: Fitted) -> bool:
        own = f.extra[rule.__name__]
        return gap(m.whole, m.words, own) > 0 or rescued(m, f.pair)

    def fit(messages: list[Message], pair: np.ndarray) -> np.ndarray:
        scores = np.array([np.inf if rescued(m, pair) else m.whole for m in messages])
        return bucket_thresholds(
            scores, np.array([m.label for m in messages]), np.array([m.words for m in messages])
        )

    rule.__name__ = f"whole, or any part + {a}·whole, thresholds calibrated on that rule"
    rule.fit = fit  # type: ignore[attr-defined]
    return rule


def with_opening_final(a: float) -> Rule:
    """As with_opening, but a post whose own vote is in and its opening's out is declined:
    its questions do not bring it back (they are what its backstory is about)."""
    base = with_opening(a)

    def rule(m: Message, f: Fitted) -> bool:
        own = f.extra[base.__name__]
        if not np.isnan(m.opened) and gap(m.whole, m.words, own) > 0 >= gap(m.opened, m.words, own):
            return False
        return base(m, f)

    rule.__name__ = (
        f"long posts voted by their opening too (final), or any part + {a}·whole (rejected)"
    )
    return rule


def with_opening(a: float) -> Rule:
    """A long post's vote is the lower of its own and its opening's (its first two sentences),
    the thresholds fitted on those votes; or else any part read with the whole (a), judged by
    the same thresholds."""

    def rule(m: Message, f: Fitted) -> bool:
        own = f.extra[rule.__name__]
        return gap(m.message_vote, m.words, own) > 0 or (
            best_part_gap(m, own, m.part_mixed.get(a, m.parts)) > 0
        )

    def fit(messages: list[Message], pair: np.ndarray) -> np.ndarray:
        return bucket_thresholds(
            np.array([m.message_vote for m in messages]),
            np.array([m.label for m in messages]),
            np.array([m.words for m in messages]),
        )

    rule.__name__ = f"long posts voted by their opening too, or any part + {a}·whole (rejected)"
    rule.fit = fit  # type: ignore[attr-defined]
    return rule


CANDIDATES: list[Rule] = [
    whole_only,
    any_part,
    *(mixed_part(a) for a in MIXES),
    with_parts_threshold("mean", True),
    with_parts_threshold("mean", False),
    with_parts_threshold("min", True),
    with_parts_threshold("min", False),
    *(strict_when_parts_out(long, context) for context in (False, True) for long in (True, False)),
    *(emphasised_whole(b, a) for b in EMPHASES for a in (0.5, 1.0)),
    *(jointly_calibrated(a) for a in (0.0, 0.5, 1.0)),
    with_opening(PART_CONTEXT),
    with_opening_final(PART_CONTEXT),
]
whole_only.__name__ = "whole message's vote only"
any_part.__name__ = "whole, or any part alone (before)"


def fit_rules(messages: list[Message], pair: np.ndarray) -> Fitted:
    fitted = Fitted(pair, {})
    for rule in CANDIDATES:
        if hasattr(rule, "fit"):
            fitted.extra[rule.__name__] = rule.fit(messages, pair)
    return fitted


# -- data ----------------------------------------------------------------------------------------
def with_sentence_before(text: str, part: str) -> str:
    """The part with the message's sentence before it (its backstory's last line)."""
    sentences = message_sentences(text)
    for i, sentence in enumerate(sentences[1:], start=1):
        if part.startswith(sentence[:30]) or sentence in part:
            return part if sentences[i - 1] in part else f"{sentences[i - 1]} {part}"
    return part


def split_and_embed(
    service, texts: list[str], context: bool = False
) -> list[tuple[list[str], np.ndarray]]:
    """Each text's parts as the bot finds them, embedded as the bot embeds them (with the
    sentence before each, if `context`)."""
    parts = [service.prepare(t).parts for t in texts]
    if context:
        parts = [
            [with_sentence_before(t, p) for p in ps] for t, ps in zip(texts, parts, strict=True)
        ]
    flat = [p for ps in parts for p in ps]
    vectors = service.embed([service._embedding_text(p) for p in flat]) if flat else None
    out, at = [], 0
    for ps in parts:
        out.append((ps, vectors[at : at + len(ps)] if ps else np.zeros((0, 384))))
        at += len(ps)
    return out


def mixed(parts: np.ndarray, whole: np.ndarray, a: float) -> np.ndarray:
    v = parts + a * whole[None, :]
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def emphasise(whole: np.ndarray, parts: np.ndarray, b: float) -> np.ndarray:
    v = whole + b * parts.mean(0)
    return (v / np.linalg.norm(v))[None, :]


def opening(text: str) -> str | None:
    """A long message's first two sentences (a forum post's title and first line); None for a
    short one or one that is all opening. Tried as a second vote for long posts, rejected."""
    sentences = message_sentences(text)
    if len(text.split()) <= LONG_WORDS or len(sentences) <= 2:
        return None
    return " ".join(sentences[:2])


def opening_vectors(service, texts: list[str]) -> dict[int, np.ndarray]:
    """The long texts' openings, embedded as the bot embeds them."""
    found = {i: opening(t) for i, t in enumerate(texts)}
    rows = [i for i, t in found.items() if t is not None]
    vectors = service.embed([service._embedding_text(found[i]) for i in rows]) if rows else []
    return dict(zip(rows, vectors, strict=True))


def oof_messages(memory: Memory, items, service) -> list[Message]:
    """Every labelled question's votes with its group held out (parts with the same mask)."""
    split = split_and_embed(service, [it.text for it in items], "--context" in sys.argv)
    openings = opening_vectors(service, [it.text for it in items])
    everything = np.ones(len(items), dtype=bool)
    whole = knn_vote(
        np.where(
            (memory.groups[:, None] != memory.groups[None, :]) & (memory.sims < TWIN),
            memory.sims,
            -1.0,
        ),
        memory.labels,
    )
    del everything
    messages = []
    for i, (texts, vectors) in enumerate(split):
        allowed = (memory.groups != memory.groups[i]) & (memory.sims[i] < TWIN)

        def vote(v: np.ndarray, allowed: np.ndarray = allowed) -> np.ndarray:
            if not len(v):
                return np.zeros(0)
            s = v @ memory.vectors.T
            return knn_vote(np.where(allowed[None, :] & (s < TWIN), s, -1.0), memory.labels)

        messages.append(
            Message(
                float(whole[i]),
                int(memory.words[i]),
                vote(vectors),
                np.array([len(t.split()) for t in texts]),
                {a: vote(mixed(vectors, memory.vectors[i], a)) for a in MIXES if len(vectors)},
                {
                    b: float(vote(emphasise(memory.vectors[i], vectors, b))[0])
                    for b in EMPHASES
                    if len(vectors)
                },
                int(memory.groups[i]),
                int(memory.labels[i]),
            )
        )
        if i in openings:
            messages[-1].opened = min(float(whole[i]), float(vote(openings[i][None, :])[0]))
    return messages


def scope_check_messages(service) -> list[tuple[str, Message]]:
    """scope_check.yaml's questions with votes from all labelled questions."""
    anchors = service.anchors
    path = get_settings().knowledge_dir / "eval" / "scope_check.yaml"
    questions = read_yaml(path)["questions"]
    out = []
    prepared = [service.prepare(q["q"]) for q in questions]
    whole_vectors = service.embed([service.embedding_text(p) for p in prepared])
    split = split_and_embed(service, [q["q"] for q in questions], "--context" in sys.argv)
    openings = opening_vectors(service, [p.text for p in prepared])
    for n, (q, p, v, (texts, vectors)) in enumerate(
        zip(questions, prepared, whole_vectors, split, strict=True)
    ):
        retrieval = service.kb.retriever.retrieve(
            p.text, v, k=RANKED_PASSAGES, keyword_query=service.glossary.expand(p.text)
        )
        gate = (
            p.early is None
            and rule_reason(p.text) is None
            and retrieval.top_dense >= MIN_CORPUS_SIMILARITY
        )
        keep = [rule_reason(t) is None for t in texts]  # a part a rule settles is out

        def vote(x: np.ndarray, keep: list[bool] = keep) -> np.ndarray:
            if not len(x):
                return np.zeros(0)
            return np.where(keep, knn_vote(x @ anchors.vectors.T, anchors.labels), -1.0)

        out.append(
            (
                q["kind"],
                Message(
                    float(knn_vote((anchors.vectors @ v)[None, :], anchors.labels)[0]),
                    len(p.text.split()),
                    vote(vectors),
                    np.array([len(t.split()) for t in texts]),
                    {a: vote(mixed(vectors, v, a)) for a in MIXES if len(vectors)},
                    {
                        b: float(
                            knn_vote(emphasise(v, vectors, b) @ anchors.vectors.T, anchors.labels)[
                                0
                            ]
                        )
                        for b in EMPHASES
                        if len(vectors)
                    },
                    gate=gate,
                ),
            )
        )
        if n in openings:
            own = knn_vote((anchors.vectors @ v)[None, :], anchors.labels)[0]
            opened = knn_vote((anchors.vectors @ openings[n])[None, :], anchors.labels)[0]
            out[-1][1].opened = float(min(own, opened))
    return out


def main() -> None:
    memory, items = load_memory()
    service = open_answer_service(get_settings())
    messages = oof_messages(memory, items, service)
    report = np.isin(memory.sources, REPORT_SOURCES) & ~memory.ruled
    real = report & (memory.kinds == "real")
    has_parts = np.array([len(m.parts) > 0 for m in messages])
    verdicts = {rule.__name__: np.zeros(len(items), dtype=bool) for rule in CANDIDATES}
    for g in np.unique(memory.groups):
        held = memory.groups == g
        calibrate = ~held & report
        pair = bucket_thresholds(
            np.array([m.whole for m in messages])[calibrate],
            memory.labels[calibrate],
            memory.words[calibrate],
        )
        fitted = fit_rules([m for m, c in zip(messages, calibrate, strict=True) if c], pair)
        for rule in CANDIDATES:
            for i in np.flatnonzero(held):
                verdicts[rule.__name__][i] = rule(messages[i], fitted)
    # scope_check: thresholds from all out-of-fold votes, as ingest fits them
    pair = bucket_thresholds(
        np.array([m.whole for m in messages])[report], memory.labels[report], memory.words[report]
    )
    fitted_all = fit_rules([m for m, c in zip(messages, report, strict=True) if c], pair)
    check = scope_check_messages(service)
    n_parts = int((report & has_parts).sum())
    print(
        f"{int(report.sum())} labelled questions judged ({n_parts} with parts, "
        f"{int((real & has_parts).sum())} of them real); cells: in-scope declined / in-scope · "
        "out-of-scope answered / out-of-scope"
    )
    print(
        "| candidate | dev real | with parts | all questions | scope_check "
        "(in declined · uncovered answered · off-topic answered) |"
    )
    print("|---|---|---|---|---|")
    for rule in CANDIDATES:
        said = verdicts[rule.__name__]

        def cell(pick: np.ndarray, said: np.ndarray = said) -> str:
            inside, outside = pick & (memory.labels == 1), pick & (memory.labels == 0)
            return (
                f"{int((~said & inside).sum())}/{int(inside.sum())} · "
                f"{int((said & outside).sum())}/{int(outside.sum())}"
            )

        answered = {k: 0 for k in ("in", "uncovered", "off_topic")}
        totals = dict.fromkeys(answered, 0)
        for kind, m in check:
            key = "in" if kind in IN_SCOPE_KINDS else kind
            totals[key] += 1
            answered[key] += bool(m.gate and rule(m, fitted_all))
        print(
            f"| {rule.__name__} | {cell(real)} | {cell(report & has_parts)} | {cell(report)} | "
            f"{totals['in'] - answered['in']}/{totals['in']} · {answered['uncovered']}/"
            f"{totals['uncovered']} · {answered['off_topic']}/{totals['off_topic']} |"
        )
        if "--misses" in sys.argv:
            for i, it in enumerate(items):
                if report[i] and has_parts[i] and said[i] != bool(memory.labels[i]):
                    print(f"    {'declined' if memory.labels[i] else 'answered'} {it.text[:90]!r}")


if __name__ == "__main__":
    main()
