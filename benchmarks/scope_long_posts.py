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

    PYTHONPATH=. python -m ingest && PYTHONPATH=. python benchmarks/scope_long_posts.py
"""

from __future__ import annotations

from collections.abc import Callable

import common  # noqa: F401  (puts the project on sys.path)
import numpy as np

from benchmarks.scope_cv import cross_validate, fit_logistic, fold_thresholds, load_memory, shipped
from bot.config import get_settings
from bot.core.answers.service import AnswerService, open_answer_service
from bot.knowledge.scope_model import LONG_WORDS, TWIN, knn_vote
from bot.knowledge.text import keyword_terms, message_sentences

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


def main() -> None:
    memory, items = load_memory()
    service = open_answer_service(get_settings())
    keywords = service.kb.retriever.keywords
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
    asks = [p.parts or [p.text] for p in prepared]  # the post's questions, else the whole post

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

    # Token coverage: the reference texts' tokens embedded once; each ask word's best cosine.
    article = [
        text
        for p in service.kb.retriever.passages.values()
        for text in (p.heading_path or p.title, *p.sentences)
    ]
    phrasings = [q for c in service.cards.cards for q in c.phrasings]
    ask_tokens = [[token_vectors(service, service._embedding_text(q)) for q in ask] for ask in asks]

    def coverage(references: list[str]) -> list[tuple[list[str], np.ndarray]]:
        """Per row: the words of its ask, each one's best cosine to a token of `references`."""
        tokens = np.vstack([token_vectors(service, t)[1] for t in references])
        out = []
        for pairs in ask_tokens:
            best = [(v @ tokens.T).max(1) for _, v in pairs if len(v)]
            out.append(
                ([w for ws, _ in pairs for w in ws] or ["_"], np.concatenate(best or [[1.0]]))
            )
        return out

    by_article, by_article_cards = coverage(article), coverage(article + phrasings)
    # Two IDFs: the article's (BM25's; a word it never uses weighs like its rarest) and the
    # labelled questions' own (no labels used), which weighs down "okay", "guys", "someone".
    texts = [set(keyword_terms(it.text)) for it in items]
    df = {t: sum(t in words for words in texts) for t in set().union(*texts)}

    def pool_idf(term: str) -> float:
        return float(np.log((len(texts) - df.get(term, 0) + 0.5) / (df.get(term, 0) + 0.5) + 1))

    def covered(rows_cov, pick: Callable[[np.ndarray, np.ndarray], float], idf=None) -> np.ndarray:
        """pick(best cosines, weights) per row (weights: the idf of each word, or ones)."""
        return np.array(
            [
                pick(b, np.array([idf(w) for w in ws]) if idf else np.ones(len(b)))
                for ws, b in rows_cov
            ]
        )

    def weighted(best: np.ndarray, weights: np.ndarray) -> float:
        return float((weights * best).sum() / weights.sum())

    # Lexical novelty: the words of the article and of the glossary (both sides).
    known = set(keywords._vocabulary) | {
        t for k, v in service.glossary._entries.items() for t in keyword_terms(f"{k} {v}")
    }

    def known_share(text: str, idf: Callable[[str], float] = keywords.idf) -> float:
        """Minus the IDF-weighted share of the text's content words the article and glossary
        never use (spelling snapped and the glossary applied first, as the bot does)."""
        fixed = keywords.correct_spelling(text, service.known_words)
        terms = keyword_terms(service.glossary.expand(fixed))
        if not terms:
            return 0.0
        weights = np.array([idf(t) for t in terms])
        return -float(weights[[t not in known for t in terms]].sum() / weights.sum())

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
        "NEW token coverage of the ask: mean": covered(by_article, weighted),
        "NEW token coverage of the ask: min": covered(by_article, lambda b, w: float(b.min())),
        "NEW token coverage of the ask: 20% quantile": covered(
            by_article, lambda b, w: float(np.quantile(b, 0.2))
        ),
        "NEW token coverage of the ask: article-IDF-weighted mean": covered(
            by_article, weighted, keywords.idf
        ),
        "NEW token coverage of the ask: question-IDF-weighted mean": covered(
            by_article, weighted, pool_idf
        ),
        "NEW token coverage of the ask, article + card phrasings: mean": covered(
            by_article_cards, weighted
        ),
        "NEW token coverage of the ask, article + card phrasings: question-IDF mean": covered(
            by_article_cards, weighted, pool_idf
        ),
        "NEW known words of the ask (minus article-IDF-weighted novel share)": np.array(
            [known_share(" ".join(ask)) for ask in asks]
        ),
        "NEW known words of the ask (minus question-IDF-weighted novel share)": np.array(
            [known_share(" ".join(ask), pool_idf) for ask in asks]
        ),
        "known words of the whole message (round-2 rule)": np.array(
            [known_share(p.text) for p in prepared]
        ),
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


if __name__ == "__main__":
    main()
