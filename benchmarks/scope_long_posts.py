"""Can any signal tell an answerable long post from an uncovered one? AUC under grouped CV.

For dev.yaml's real questions (English), short (≤ LONG_WORDS words) and long apart, each signal
is computed with the question's group and near-twins held out of the scope judge's neighbours
(as benchmarks/scope_cv.py does), and scored by its AUC: the chance that an answerable question
scores above an uncovered one (0.5 = no signal). Signals: the k-NN vote of the whole message
(shipped), of its questions (best, last, mean), of other cuts of a post (its first two
sentences, its last ones, its question sentences), the nearest card and the nearest passage.

Round 7 adds signals that read the ask rather than the post's topic (no labelled neighbours):
- token coverage (late interaction): each content word of the post's questions (parts.py; the
  whole post without any), as its contextual MiniLM token vector from the forward pass that
  embeds the question, scored by its best cosine to any token of the article's sentences and
  headings (or also the cards' phrasings); the mean, minimum, 20% quantile and IDF-weighted
  mean of those scores, with the article's IDF or the labelled questions' own (labels unused);
- lexical novelty: the IDF-weighted share of the questions' content words (spelling snapped and
  the glossary applied, as the bot does) that the article and the glossary never use (negated:
  higher = in scope); the whole message's share, the rejected round-2 rule, for comparison;
- a logistic regression over every signal, with nested grouped CV: for each held-out group of
  dev's real questions the model is fitted on the other groups, whose vote signals are
  recomputed with that group and its near-twins also left out of their neighbours.
The last column is the operating point: the uncovered long posts a signal declines at the
threshold that declines no more answerable long posts than the shipped judge does under CV.
A second table tries each new signal as a veto beside the vote (declined when either is below
its threshold; both thresholds picked on the other groups), then applies the thresholds fitted
on all of dev's real long posts to the long posts of scope_check.yaml and long_posts.yaml, and
shows what a veto by random noise does under the same CV.

    PYTHONPATH=. python -m ingest && PYTHONPATH=. python benchmarks/scope_long_posts.py
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import common  # noqa: F401  (puts the project on sys.path)
import numpy as np

from benchmarks.scope_cv import (
    Memory,
    cross_validate,
    fit_logistic,
    fold_thresholds,
    load_memory,
    shipped,
)
from bot.config import get_settings
from bot.core.answers.service import AnswerService, open_answer_service
from bot.knowledge.scope_model import LONG_WORDS, TWIN, knn_vote
from bot.knowledge.scope_rules import rule_reason
from bot.knowledge.text import keyword_terms, message_sentences
from bot.knowledge.yaml_io import read_yaml

LR_L2 = 1.0


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    pos, neg = scores[labels == 1], scores[labels == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    above = (pos[:, None] > neg[None, :]).mean()
    return float(above + 0.5 * (pos[:, None] == neg[None, :]).mean())


def token_vectors(service: AnswerService, text: str) -> tuple[list[str], np.ndarray]:
    """The text's content words (stemmed; no stop words, numbers or punctuation) and their
    contextual token vectors (a word's first piece), unit length: the hidden states that the
    query embedding mean-pools, from the same ONNX forward pass."""
    embedder = service.kb.embedder
    encoding = embedder._tokenizer.encode(text)
    ids = np.array([encoding.ids], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": 0 * ids}
    hidden = embedder._session.run(None, {k: feeds[k] for k in embedder._inputs})[0][0]
    words, keep = [], []
    for i, word in enumerate(encoding.word_ids):
        if word is None or (i and encoding.word_ids[i - 1] == word):
            continue
        terms = keyword_terms(text[slice(*encoding.word_to_chars(word))])
        if terms and terms[0].isalpha():
            words.append(terms[0])
            keep.append(i)
    vectors = hidden[keep]
    return words, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def declined_at(scores: np.ndarray, labels: np.ndarray, answerable_declined: int) -> int:
    """Uncovered questions declined (score below the threshold) at the highest threshold that
    declines at most `answerable_declined` answerable ones."""
    threshold = np.sort(scores[labels == 1])[answerable_declined]
    return int((scores[labels == 0] < threshold).sum())


class AskSignals:
    """Signals that read what a message asks, with no labelled neighbours: token coverage (late
    interaction) and lexical novelty of its questions (parts.py; the whole message without)."""

    def __init__(self, service: AnswerService, items: list) -> None:
        self.service = service
        self.keywords = service.kb.retriever.keywords
        article = [
            text
            for p in service.kb.retriever.passages.values()
            for text in (p.heading_path or p.title, *p.sentences)
        ]
        phrasings = [q for c in service.cards.cards for q in c.phrasings]
        self.article = np.vstack([token_vectors(service, t)[1] for t in article])
        with_cards = [self.article, *(token_vectors(service, t)[1] for t in phrasings)]
        self.article_cards = np.vstack(with_cards)
        # The labelled questions' own IDF (their labels unused) weighs "okay", "guys" down;
        # the article's (BM25's) weighs every word it never uses like its rarest.
        self.df = Counter(t for it in items for t in set(keyword_terms(it.text)))
        self.questions = len(items)
        # Lexical novelty: the words of the article and of the glossary (both sides).
        self.known = set(self.keywords._vocabulary) | {
            t for k, v in service.glossary._entries.items() for t in keyword_terms(f"{k} {v}")
        }

    def question_idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return float(np.log((self.questions - df + 0.5) / (df + 0.5) + 1))

    def known_share(self, text: str, idf: Callable[[str], float]) -> float:
        """Minus the IDF-weighted share of the text's content words the article and glossary
        never use (spelling snapped and the glossary applied first, as the bot does)."""
        fixed = self.keywords.correct_spelling(text, self.service.known_words)
        terms = keyword_terms(self.service.glossary.expand(fixed))
        if not terms:
            return 0.0
        weights = np.array([idf(t) for t in terms])
        return -float(weights[[t not in self.known for t in terms]].sum() / weights.sum())

    def signals(self, prepared: list) -> dict[str, np.ndarray]:
        asks = [p.parts or [p.text] for p in prepared]
        tokens = [
            [token_vectors(self.service, self.service._embedding_text(q)) for q in ask]
            for ask in asks
        ]

        def covered(reference: np.ndarray, idf: Callable[[str], float] | None = None):
            """Per message, the mean of its ask words' best cosines to a reference token,
            weighted by `idf`; or, without, the plain mean, minimum and 20% quantile."""
            out = []
            for pairs in tokens:
                words = [w for ws, _ in pairs for w in ws]
                best = np.concatenate(
                    [(v @ reference.T).max(1) for _, v in pairs if len(v)] or [[1.0]]
                )
                if idf is not None:
                    weights = np.array([idf(w) for w in words] or [1.0])
                    out.append([float((weights * best).sum() / weights.sum())])
                else:
                    out.append([best.mean(), best.min(), np.quantile(best, 0.2)])
            return np.array(out).T

        plain, idf = covered(self.article), self.keywords.idf
        new = "NEW token coverage of the ask"
        return {
            f"{new}: mean": plain[0],
            f"{new}: min": plain[1],
            f"{new}: 20% quantile": plain[2],
            f"{new}: article-IDF-weighted mean": covered(self.article, idf)[0],
            f"{new}: question-IDF-weighted mean": covered(self.article, self.question_idf)[0],
            f"{new}, article + card phrasings: mean": covered(self.article_cards)[0],
            f"{new}, article + card phrasings: question-IDF mean": covered(
                self.article_cards, self.question_idf
            )[0],
            "NEW known words of the ask (minus article-IDF-weighted novel share)": np.array(
                [self.known_share(" ".join(ask), idf) for ask in asks]
            ),
            "NEW known words of the ask (minus question-IDF-weighted novel share)": np.array(
                [self.known_share(" ".join(ask), self.question_idf) for ask in asks]
            ),
            "known words of the whole message (round-2 rule)": np.array(
                [self.known_share(p.text, idf) for p in prepared]
            ),
        }


def measure(memory: Memory, items: list, service: AnswerService, ask_signals: AskSignals):
    """Every signal of dev's real questions (higher = in scope), their labels, which are long,
    their groups, and which of them the shipped judge declines under CV."""
    rows = np.array(
        [
            i
            for i, it in enumerate(items)
            if it.source == "dev" and it.kind == "real" and not memory.ruled[i]
        ]
    )
    labels = memory.labels[rows]
    long = memory.words[rows] > LONG_WORDS
    prepared = [service.prepare(items[i].text) for i in rows]

    def embed(texts: list[str]) -> np.ndarray:
        return service.embed([service._embedding_text(t) for t in texts])

    def votes(vectors: np.ndarray, owners: np.ndarray, excluded: np.ndarray) -> np.ndarray:
        """Each vector's vote, with its owner's group and near-twins (and `excluded`) held out."""
        own = rows[owners]
        sims = vectors @ memory.vectors.T
        allowed = (
            ~excluded[None, :]
            & (memory.groups[own][:, None] != memory.groups[None, :])
            & (memory.sims[own] < TWIN)
            & (sims < TWIN)
        )
        return knn_vote(np.where(allowed, sims, -1.0), memory.labels)

    def cut(how: Callable[[str], str]) -> np.ndarray:
        return embed([how(items[i].text) or items[i].text for i in rows])

    whole_vectors = memory.vectors[rows]
    part_vectors = embed([q for p in prepared for q in p.parts])
    part_owner = np.repeat(np.arange(len(rows)), [len(p.parts) for p in prepared])
    cuts = {
        "the first two sentences' vote": cut(lambda t: " ".join(message_sentences(t)[:2])),
        "the last two sentences' vote": cut(lambda t: " ".join(message_sentences(t)[-2:])),
        "the question sentences' vote": cut(
            lambda t: " ".join(s for s in message_sentences(t) if "?" in s)
        ),
    }

    def vote_signals(excluded: np.ndarray) -> dict[str, np.ndarray]:
        """The signals that vote with labelled neighbours, `excluded` held out of them too."""
        whole = votes(whole_vectors, np.arange(len(rows)), excluded)
        by_part = votes(part_vectors, part_owner, excluded)
        mine = [by_part[part_owner == r] for r in range(len(rows))]

        def of_parts(pick: Callable[[np.ndarray], float]) -> np.ndarray:
            return np.array([pick(v) if len(v) else w for v, w in zip(mine, whole, strict=True)])

        return {
            "k-NN vote of the whole message (shipped)": whole,
            "best question's vote": of_parts(np.max),
            "last question's vote": of_parts(lambda v: v[-1]),
            "mean question vote": of_parts(np.mean),
            **{name: votes(v, np.arange(len(rows)), excluded) for name, v in cuts.items()},
        }

    def card(vectors: np.ndarray) -> float:
        """The nearest card phrasing's cosine to any of the vectors (-1 with none)."""
        return max((float(service.cards.scores(v).max()) for v in vectors), default=-1.0)

    fixed_signals = {
        "nearest card (whole)": np.array([card(v[None, :]) for v in whole_vectors]),
        "nearest card (best question)": np.array(
            [
                max(card(part_vectors[part_owner == r]), card(w[None, :]))
                for r, w in enumerate(whole_vectors)
            ]
        ),
        "nearest passage (retrieval)": np.array(
            [
                service.kb.retriever.retrieve(p.text, w, k=5).top_dense
                for p, w in zip(prepared, whole_vectors, strict=True)
            ]
        ),
        **ask_signals.signals(prepared),
    }
    nothing = np.zeros(len(memory.labels), dtype=bool)
    signals = {**vote_signals(nothing), **fixed_signals}
    table_names = [n for n in signals if not n.startswith(("NEW", "known"))]
    new_names = [n for n in signals if n.startswith("NEW")]
    log_words = memory.lengths[rows]

    def design(values: dict[str, np.ndarray], names: list[str]) -> np.ndarray:
        return np.column_stack([values[n] for n in names] + [log_words])

    # Nested grouped CV: each group of dev's real questions is scored by a model fitted on the
    # others, whose vote signals leave that group and its near-twins out of their neighbours.
    combos = {
        "LR over the table's signals + log words": table_names,
        "LR over the table's and the new signals + log words": table_names + new_names,
        "LR over the shipped vote and the new signals + log words": table_names[:1] + new_names,
    }
    fitted = {name: np.zeros(len(rows)) for name in combos}
    groups = memory.groups[rows]
    for g in np.unique(groups):
        test = groups == g
        held = memory.groups == g
        train_values = {**vote_signals(held | (memory.sims[held].max(0) >= TWIN)), **fixed_signals}
        for name, names in combos.items():
            model = fit_logistic(design(train_values, names)[~test], labels[~test], LR_L2)
            fitted[name][test] = model.log_odds(design(signals, names)[test])
    signals.update(fitted)

    # The shipped judge as it decides under CV (each group's thresholds from the other groups).
    cv_scores = cross_validate(memory, shipped)
    declined = (cv_scores <= fold_thresholds(memory, cv_scores, by_length=True))[rows]
    return signals, labels, long, memory.groups[rows], declined


def veto_thresholds(vote, other, labels, budget: int) -> tuple[float, float]:
    """The thresholds (decline: vote below the first or `other` below the second) that decline
    the most uncovered questions while declining at most `budget` answerable ones."""
    grid_a, grid_b = np.r_[-np.inf, np.unique(vote)], np.r_[-np.inf, np.unique(other)]
    a, b = vote[:, None] < grid_a[None, :], other[:, None] < grid_b[None, :]

    def declined(side: np.ndarray) -> np.ndarray:  # per (threshold a, threshold b)
        sa, sb = a[side].astype(int), b[side].astype(int)
        return sa.sum(0)[:, None] + sb.sum(0)[None, :] - sa.T @ sb

    inside, outside = declined(labels == 1), declined(labels == 0)
    best = np.where(inside <= budget, outside * 1000 - inside, -1)
    i, j = np.unravel_index(np.argmax(best), best.shape)
    return float(grid_a[i]), float(grid_b[j])


def veto_cv(vote, other, labels, groups, share: float) -> np.ndarray:
    """Declined under grouped CV: each group by thresholds picked on the other groups."""
    out = np.zeros(len(vote), dtype=bool)
    for g in np.unique(groups):
        test = groups == g
        budget = round(share * (labels[~test] == 1).sum())
        ta, tb = veto_thresholds(vote[~test], other[~test], labels[~test], budget)
        out[test] = (vote[test] < ta) | (other[test] < tb)
    return out


def second_sets(service: AnswerService, memory: Memory, ask_signals: AskSignals):
    """The long posts of scope_check.yaml (kind) and long_posts.yaml (all answerable) that
    reach the judge: their kinds, whole-message votes with every labelled neighbour (as the
    bot votes) and ask signals."""
    eval_dir = get_settings().knowledge_dir / "eval"
    posts = [(q["q"], q["kind"]) for q in read_yaml(eval_dir / "scope_check.yaml")["questions"]]
    posts += [(q["q"], "long post") for q in read_yaml(eval_dir / "long_posts.yaml")["questions"]]
    prepared = [service.prepare(q) for q, _ in posts]
    keep = [
        i
        for i, (q, _) in enumerate(posts)
        if len(q.split()) > LONG_WORDS and prepared[i].early is None and not rule_reason(q)
    ]
    vectors = service.embed([service.embedding_text(prepared[i]) for i in keep])
    votes = knn_vote(vectors @ memory.vectors.T, memory.labels)
    kinds = np.array([posts[i][1] for i in keep])
    return kinds, votes, ask_signals.signals([prepared[i] for i in keep])


def main() -> None:
    memory, items = load_memory()
    service = open_answer_service(get_settings())
    ask_signals = AskSignals(service, items)
    signals, labels, long, groups, declined = measure(memory, items, service, ask_signals)

    in_declined = int((declined & long & (labels == 1)).sum())
    out_declined = int((declined & long & (labels == 0)).sum())

    n_in, n_out = int((long & (labels == 1)).sum()), int((long & (labels == 0)).sum())
    print(
        f"dev real, AUC under grouped CV: short {int((~long & (labels == 1)).sum())} in · "
        f"{int((~long & (labels == 0)).sum())} out, long {n_in} in · {n_out} out; the shipped "
        f"judge under CV declines {in_declined}/{n_in} answerable and {out_declined}/{n_out} "
        "uncovered long posts"
    )
    print(
        f"| signal | short | long | uncovered long declined at ≤ {in_declined}/{n_in} "
        "answerable declined |\n|---|---|---|---|"
    )
    for name, scores in signals.items():
        point = declined_at(scores[long], labels[long], in_declined)
        print(
            f"| {name} | {auc(scores[~long], labels[~long]):.2f} | "
            f"{auc(scores[long], labels[long]):.2f} | {point}/{n_out} |"
        )

    # A second signal as a veto: declined when the vote or the signal is below its threshold.
    vote, share = signals["k-NN vote of the whole message (shipped)"], in_declined / n_in
    kinds, second_votes, second = second_sets(service, memory, ask_signals)
    counts = {str(k): int((kinds == k).sum()) for k in dict.fromkeys(kinds)}
    print(
        "\nThe shipped vote, or a second signal below its own threshold. Dev real long posts: "
        "both thresholds picked on the other groups (grouped CV), and in-sample (an upper "
        "bound); the thresholds fitted on all of them applied to the long posts of "
        f"scope_check.yaml and long_posts.yaml ({counts}; votes with every labelled neighbour)"
    )
    print(
        f"| second signal | dev long under CV: answerable declined · uncovered declined | "
        f"in-sample uncovered declined (≤ {in_declined}) | declined per kind |\n|---|---|---|---|"
    )
    y, g = labels[long], groups[long]
    for name in ["(none: the vote alone)", *second]:
        other = signals[name][long] if name in second else np.zeros(int(long.sum()))
        cv = veto_cv(vote[long], other, y, g, share)
        ta, tb = veto_thresholds(vote[long], other, y, in_declined)
        in_sample = int((((vote[long] < ta) | (other < tb)) & (y == 0)).sum())
        theirs = second[name] if name in second else np.zeros(len(kinds))
        out = (second_votes < ta) | (theirs < tb)
        per_kind = ", ".join(f"{k} {int(out[kinds == k].sum())}/{n}" for k, n in counts.items())
        print(
            f"| {name} | {int((cv & (y == 1)).sum())}/{n_in} · {int((cv & (y == 0)).sum())}/"
            f"{n_out} | {in_sample}/{n_out} | {per_kind} |"
        )

    rng = np.random.default_rng(0)  # what a veto by pure noise does under the same CV
    draws = [veto_cv(vote[long], rng.normal(size=len(y)), y, g, share) for _ in range(300)]
    pairs = np.array([((d & (y == 1)).sum(), (d & (y == 0)).sum()) for d in draws])
    at_most_5 = pairs[:, 0] <= 5
    print(
        f"| random noise (300 draws): median | {np.median(pairs[:, 0]):.0f}/{n_in} · "
        f"{np.median(pairs[:, 1]):.0f}/{n_out}; ≥ 21/{n_out} at ≤ 5/{n_in} in "
        f"{(at_most_5 & (pairs[:, 1] >= 21)).mean():.0%} of draws, ≥ 23 in "
        f"{(at_most_5 & (pairs[:, 1] >= 23)).mean():.0%} | — | — |"
    )


if __name__ == "__main__":
    main()
