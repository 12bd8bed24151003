"""Does fine-tuning the embedder on the knowledge base's authored data help? (an experiment)

A copy of the bundled all-MiniLM-L6-v2 is fine-tuned in memory (saved, if at all, to a temp dir:
the installed package is never touched) on CPU with sentence-transformers' losses in a plain torch
loop (the `datasets` package the trainer needs is not installed), on knowledge/ authored data
only, never knowledge/eval/:

- S (scope, SetFit-style): pairs of knowledge/scope/examples.yaml questions (in_scope = in,
  out_of_scope and smalltalk = out) and card phrasings (in); same label = cosine 1, other label
  = cosine 0 (CosineSimilarityLoss), PAIRS_PER_TEXT positive and as many negative pairs per text.
- R (retrieval): MultipleNegativesRankingLoss on (card phrasing -> that card's quotes joined),
  no card twice in a batch.
- S+R: both, their batches interleaved in one run.

Each model (the base one too, re-embedded the same way) is measured with the project's
machinery, texts embedded as ingest and the bot embed them (glossary annotation; the answer
service's spelling correction for queries):

- scope: every labelled question (bot/knowledge/scope_data.py) re-embedded; the shipped k-NN
  vote of the whole message under grouped CV (benchmarks/scope_cv.py `cross_validate` with
  `shipped`: own group and near-twins held out) -> AUC in-scope vs uncovered on dev.yaml's real
  English questions, short (<= 25 words) and long apart (benchmarks/scope_long_posts.py `auc`);
  per-length thresholds from the other groups' out-of-fold votes (`fold_thresholds`, i.e.
  bucket_thresholds at IN_DECLINE_TARGET) -> dev real in-scope declined / N and uncovered
  answered / N. long_posts.yaml's in-scope posts: the vote over the whole pool (as the bot
  runs it) against the long-post threshold ingest would fit (`fit_scope`) -> share declined.
- retrieval: dev.yaml's answerable English questions naming an answering passage (`expect`):
  share whose answering passage is in the top 3 of the dense passage ranking and of the shipped
  hybrid ranking (bot/core/answers/retrieval.Retriever over in-memory stand-ins for the Chroma
  collections, the shipped BM25 index); dev has no card label, so for cards: the share whose
  nearest card is >= 0.55 (CARD_MIN_SIMILARITY) and cites an answering passage, the share of dev's
  uncovered questions with a card >= 0.55 (a card would answer), and the nearest card cosine's
  AUC answerable vs uncovered (the 0.55 gate was set on the base model's cosines).

    PYTHONPATH=. python -m ingest && PYTHONPATH=. python benchmarks/finetune_embedder.py

Results (2026-12-01, 2 shared cores, 1 torch thread; details and the reading in
benchmarks/results/finetune_embedder.md). AUC of the whole-message vote on dev real (short 25 in ·
16 out, long 43 in · 34 out); declined / answered of dev real; long_posts.yaml's in-scope posts
declined; answering passage in the top 3 of dev's 128 answerable questions with `expect`:

    model  AUC short/long  in declined  out answered  long posts  dense top-3  hybrid top-3  train
    base   0.970 / 0.751   5/68         19/50         1/120       87/128       94/128        -
    S      0.920 / 0.720   6/68         21/50         0/120       76/128       91/128        200 s
    R      0.973 / 0.758   5/68         19/50         1/120       98/128       103/128       131 s
    S+R    1.000 / 0.732   3/68         18/50         1/120       85/128       95/128        330 s
    S+L    0.958 / 0.761   7/68         20/50         0/120       80/128       92/128        479 s
    S+L+R  1.000 / 0.756   3/68         18/50         1/120       90/128       97/128        593 s
    (seed 1: R 0.973 / 0.750, 4/68, 20/50, 2/120, 97/128, 100/128;
             S+R 1.000 / 0.739, 3/68, 19/50, 0/120, 87/128, 95/128)

No variant lifts the long-post AUC; S moves every cosine up (uncovered questions with a card
>= 0.55: 20/71 -> 58/71). R improves retrieval on dev (optimistic: the cards' phrasings were
written after reading dev.yaml) and leaves scope as it was.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import random
import time
from pathlib import Path

import common  # noqa: F401  (puts the project on sys.path)
import numpy as np

from benchmarks.scope_cv import cross_validate, fold_thresholds, load_memory, rates, shipped
from benchmarks.scope_long_posts import auc
from bot.config import get_settings
from bot.core.answers.evaluation import load_questions, passage_hit
from bot.core.answers.retrieval import Retriever
from bot.core.answers.service import CARD_MIN_SIMILARITY, open_answer_service
from bot.knowledge.embedder import model_path
from bot.knowledge.scope_data import card_phrasings, example_questions
from bot.knowledge.scope_model import LONG_WORDS, fit_scope
from bot.knowledge.scope_rules import rule_reason
from bot.knowledge.text import message_sentences, mostly_latin

SEED = 0
PAIRS_PER_TEXT = 2  # S: this many positive and as many negative pairs per training text
BATCH = 32
LEARNING_RATE = 2e-5
WARMUP = 0.1
SYNTHETIC_POSTS = 240  # L: made-up long posts added to S's texts
R_EPOCHS = 4  # R has ~200 pairs: one epoch is 7 steps, too few to move anything
MAX_SEQ_LENGTH = 256  # the model's own; card answers (quotes joined) need it


# -- training data (knowledge/ only, never knowledge/eval/) ---------------------------------------
def labelled_texts(knowledge_dir: Path) -> list[tuple[str, bool]]:
    """The scope examples and card phrasings, with their label (in scope = True)."""
    items = example_questions(knowledge_dir) + card_phrasings(knowledge_dir)
    return [(it.text, it.in_scope) for it in items]


def synthetic_posts(texts: list[tuple[str, bool]], rng: random.Random) -> list[tuple[str, bool]]:
    """L: long posts made of a long example's backstory (its sentences without a question mark,
    in scope or not) and a short example question or card phrasing, labelled by the question:
    the same backstory asks in-scope and uncovered things, so only the question can decide."""
    backstories = []
    for text, _ in texts:
        if len(text.split()) > LONG_WORDS:
            told = [s for s in message_sentences(text) if "?" not in s]
            if told:
                backstories.append(" ".join(told))
    short = {
        label: [t for t, inside in texts if inside == label and len(t.split()) <= 15]
        for label in (True, False)
    }
    posts = []
    for n in range(SYNTHETIC_POSTS):
        label = n % 2 == 0
        posts.append((f"{rng.choice(backstories)} {rng.choice(short[label])}", label))
    return posts


def scope_pairs(texts: list[tuple[str, bool]], annotate, rng: random.Random) -> list:
    """SetFit-style pairs over labelled texts: (a, b, 1.0 same label / 0.0 other label)."""
    texts = list(dict.fromkeys((annotate(t), inside) for t, inside in texts))
    by_label = {label: [t for t, inside in texts if inside == label] for label in (True, False)}
    pairs = []
    for text, label in texts:
        for _ in range(PAIRS_PER_TEXT):
            same = rng.choice(by_label[label])
            while same == text:
                same = rng.choice(by_label[label])
            pairs.append((text, same, 1.0))
            pairs.append((text, rng.choice(by_label[not label]), 0.0))
    rng.shuffle(pairs)
    return pairs


def retrieval_pairs(cards, annotate) -> list[tuple[str, str, int]]:
    """(card phrasing, the card's quotes joined, card number) for every phrasing."""
    return [
        (annotate(p), " ".join(q.text for q in card.quotes), n)
        for n, card in enumerate(cards)
        for p in card.phrasings
    ]


def retrieval_batches(pairs, rng: random.Random, epochs: int) -> list[list]:
    """MNRL batches with no card twice in a batch (its answer would be a false negative)."""
    batches = []
    for _ in range(epochs):
        pending = pairs[:]
        rng.shuffle(pending)
        while pending:
            batch, seen, rest = [], set(), []
            for pair in pending:
                if len(batch) < BATCH and pair[2] not in seen:
                    batch.append(pair)
                    seen.add(pair[2])
                else:
                    rest.append(pair)
            batches.append(batch)
            pending = rest
    return batches


# -- training -------------------------------------------------------------------------------------
def fine_tune(
    base, scope: list | None, retrieval: list | None, seed: int = SEED
) -> tuple[object, float, int]:
    """A fine-tuned deep copy of `base` (the loaded reference model): seconds and steps too."""
    import torch
    from sentence_transformers.sentence_transformer.losses import (
        CosineSimilarityLoss,
        MultipleNegativesRankingLoss,
    )
    from transformers import get_linear_schedule_with_warmup

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = copy.deepcopy(base)
    model.max_seq_length = MAX_SEQ_LENGTH
    steps: list[tuple[str, list]] = []
    if scope:
        # Pairs of similar length batched together (little padding: 2-3x faster on CPU).
        by_length = sorted(scope, key=lambda pair: len(pair[0].split()) + len(pair[1].split()))
        steps += [("scope", by_length[i : i + BATCH]) for i in range(0, len(scope), BATCH)]
    if retrieval:
        steps += [("retrieval", b) for b in retrieval_batches(retrieval, rng, R_EPOCHS)]
    rng.shuffle(steps)
    losses = {
        "scope": CosineSimilarityLoss(model),
        "retrieval": MultipleNegativesRankingLoss(model),
    }
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(WARMUP * len(steps)), len(steps))
    started = time.perf_counter()
    model.train()
    for step, (task, batch) in enumerate(steps):
        if step % 20 == 0:
            print(f"  step {step}/{len(steps)} {time.perf_counter() - started:.0f}s", flush=True)
        columns = list(zip(*batch, strict=True))
        features = [model.preprocess(list(columns[0])), model.preprocess(list(columns[1]))]
        if task == "scope":
            labels = torch.tensor(columns[2], dtype=torch.float32)
        else:
            labels = torch.zeros(len(batch))  # unused: MNRL's positives are the pairs
        loss = losses[task](features, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
    model.eval()
    return model, time.perf_counter() - started, len(steps)


def encoder(model):
    def embed(texts: list[str]) -> np.ndarray:
        return model.encode(
            list(texts),
            batch_size=64,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32)

    return embed


# -- measurement ----------------------------------------------------------------------------------
class ArrayCollection:
    """Answers Retriever's Chroma `query` from an in-memory matrix (cosine distance)."""

    def __init__(self, ids: list[str], vectors: np.ndarray) -> None:
        self.ids, self.vectors = ids, vectors

    def query(self, query_embeddings, n_results: int, include) -> dict:
        sims = np.asarray(query_embeddings, dtype=np.float32) @ self.vectors.T
        order = np.argsort(-sims, axis=1, kind="stable")[:, :n_results]
        return {
            "ids": [[self.ids[j] for j in row] for row in order],
            "distances": [[1.0 - float(sims[i, j]) for j in row] for i, row in enumerate(order)],
        }


@dataclasses.dataclass
class Fixture:
    """Everything measured, loaded once: the labelled pool and the dev sets' texts."""

    memory: object
    pool_texts: list[str]
    real: np.ndarray  # pool rows: dev real, English, not settled by a rule
    calibrate: np.ndarray  # pool rows ingest calibrates the threshold on
    long_posts: list[str]  # embedding texts of long_posts.yaml's in-scope posts
    long_ruled: int
    # (text, embedding text, expected phrases, is a real question)
    retrieval_queries: list[tuple[str, str, tuple[str, ...], bool]]
    uncovered_queries: list[str]  # embed texts of dev's uncovered English questions
    answerable_queries: list[str]  # embed texts of dev's answerable English questions
    passages: list
    card_texts: list[str]
    card_owners: np.ndarray
    cards: list
    keywords: object
    expand: object


def load_fixture(settings) -> Fixture:
    memory, items = load_memory()
    service = open_answer_service(settings)
    glossary = service.glossary
    pool_texts = [glossary.annotate(it.text) for it in items]
    real = np.array(
        [
            it.source == "dev" and it.kind == "real" and not memory.ruled[i]
            for i, it in enumerate(items)
        ]
    )
    calibrate = np.array(
        [it.source != "cards" and not memory.ruled[i] for i, it in enumerate(items)]
    )

    def embed_text(text: str) -> str:
        return service._embedding_text(service.prepare(text).text)

    eval_dir = settings.knowledge_dir / "eval"
    posts = [q for q in load_questions(eval_dir / "long_posts.yaml") if q.answerable]
    long_ruled = sum(rule_reason(q.q) is not None for q in posts)
    dev = [q for q in load_questions(eval_dir / "dev.yaml") if mostly_latin(q.q)]
    retrieval_queries = [
        (service.prepare(q.q).text, embed_text(q.q), q.expect, q.kind == "real")
        for q in dev
        if q.answerable and q.expect
    ]
    cards = service.cards.cards
    return Fixture(
        memory=memory,
        pool_texts=pool_texts,
        real=real,
        calibrate=calibrate,
        long_posts=[embed_text(q.q) for q in posts if rule_reason(q.q) is None],
        long_ruled=long_ruled,
        retrieval_queries=retrieval_queries,
        uncovered_queries=[
            embed_text(q.q) for q in dev if not q.answerable and q.kind != "gibberish"
        ],
        answerable_queries=[embed_text(q.q) for q in dev if q.answerable],
        passages=list(service.kb.retriever.passages.values()),
        card_texts=[glossary.annotate(p) for c in cards for p in c.phrasings],
        card_owners=np.array([n for n, c in enumerate(cards) for _ in c.phrasings]),
        cards=cards,
        keywords=service.kb.retriever.keywords,
        expand=glossary.expand,
    )


def measure(fx: Fixture, embed) -> dict:
    # Scope: the labelled pool re-embedded with this model.
    vectors = embed(fx.pool_texts).astype(np.float64)
    memory = dataclasses.replace(fx.memory, vectors=vectors, sims=vectors @ vectors.T)
    scores = cross_validate(memory, shipped)
    thresholds = fold_thresholds(memory, scores, by_length=True)
    in_declined, n_in, out_answered, n_out = rates(memory, scores, thresholds, ("dev",), "real")
    labels, long = memory.labels[fx.real], memory.words[fx.real] > LONG_WORDS
    real_scores = scores[fx.real]
    fitted = fit_scope(vectors, memory.labels, memory.groups, fx.calibrate, memory.words)
    from bot.knowledge.scope_model import knn_vote

    post_votes = knn_vote(embed(fx.long_posts).astype(np.float64) @ vectors.T, memory.labels)
    posts_declined = int((post_votes <= fitted.thresholds[1]).sum())

    # Retrieval: passages and sentences embedded as ingest embeds them.
    passage_vectors = embed([p.embedding_text for p in fx.passages])
    sentence_ids = [p.sentence_id(i) for p in fx.passages for i in range(len(p.sentences))]
    sentence_vectors = embed([s for p in fx.passages for s in p.sentences])
    collections = (
        ArrayCollection([p.id for p in fx.passages], passage_vectors),
        ArrayCollection(sentence_ids, sentence_vectors),
    )
    texts = [q[0] for q in fx.retrieval_queries]
    query_vectors = embed([q[1] for q in fx.retrieval_queries])
    hits = {}
    for mode in ("dense", "hybrid"):
        retriever = Retriever(fx.passages, *collections, fx.keywords, mode=mode)
        found = retriever.retrieve_many(texts, query_vectors, 3, [fx.expand(t) for t in texts])
        hits[mode] = np.array(
            [
                passage_hit([r.passage.text for r in got.passages[:3]], q[2])
                for got, q in zip(found, fx.retrieval_queries, strict=True)
            ]
        )
    is_real = np.array([q[3] for q in fx.retrieval_queries])

    # Cards: the nearest card by its best phrasing.
    card_vectors = embed(fx.card_texts)
    by_id = {p.id: p for p in fx.passages}

    def nearest_card(qv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        best = np.full((len(qv), len(fx.cards)), -1.0, dtype=np.float32)
        sims = qv @ card_vectors.T
        for n in range(len(fx.cards)):
            best[:, n] = sims[:, fx.card_owners == n].max(1)
        return best.argmax(1), best.max(1)

    which, cos = nearest_card(query_vectors)
    card_right = np.array(
        [
            c >= CARD_MIN_SIMILARITY
            and passage_hit(
                [by_id[x.passage_id].text for x in fx.cards[w].quotes if x.passage_id in by_id],
                q[2],
            )
            for w, c, q in zip(which, cos, fx.retrieval_queries, strict=True)
        ]
    )
    _, cos_out = nearest_card(embed(fx.uncovered_queries))
    _, cos_in = nearest_card(embed(fx.answerable_queries))
    card_auc = auc(
        np.concatenate([cos_in, cos_out]),
        np.concatenate([np.ones(len(cos_in)), np.zeros(len(cos_out))]),
    )
    return {
        "auc_short": auc(real_scores[~long], labels[~long]),
        "auc_long": auc(real_scores[long], labels[long]),
        "real_in_declined": f"{in_declined}/{n_in}",
        "real_out_answered": f"{out_answered}/{n_out}",
        "thresholds": [round(float(t), 3) for t in fitted.thresholds],
        "long_posts_declined": f"{posts_declined}/{len(fx.long_posts)}",
        "dense_top3": f"{int(hits['dense'].sum())}/{len(hits['dense'])}",
        "dense_top3_real": f"{int(hits['dense'][is_real].sum())}/{int(is_real.sum())}",
        "hybrid_top3": f"{int(hits['hybrid'].sum())}/{len(hits['hybrid'])}",
        "hybrid_top3_real": f"{int(hits['hybrid'][is_real].sum())}/{int(is_real.sum())}",
        "card_right": f"{int(card_right.sum())}/{len(card_right)}",
        "card_on_uncovered": f"{int((cos_out >= CARD_MIN_SIMILARITY).sum())}/{len(cos_out)}",
        "card_auc": card_auc,
    }


COLUMNS = (
    ("auc_short", "AUC short"),
    ("auc_long", "AUC long"),
    ("real_in_declined", "dev real in declined"),
    ("real_out_answered", "dev real out answered"),
    ("long_posts_declined", "long posts declined"),
    ("thresholds", "thresholds (short, long)"),
    ("dense_top3", "dense top-3 (all · real)"),
    ("hybrid_top3", "hybrid top-3 (all · real)"),
    ("card_right", "card ≥0.55 cites answer"),
    ("card_on_uncovered", "card ≥0.55 on uncovered"),
    ("card_auc", "card cos AUC"),
    ("train", "train s (steps)"),
)


def table(rows: dict[str, dict]) -> str:
    lines = ["| model | " + " | ".join(h for _, h in COLUMNS) + " |"]
    lines.append("|---" * (len(COLUMNS) + 1) + "|")
    for name, row in rows.items():
        cells = []
        for key, _ in COLUMNS:
            value = row.get(key, "")
            if key in ("dense_top3", "hybrid_top3"):
                value = f"{value} · {row[key + '_real']}"
            elif isinstance(value, float):
                value = f"{value:.3f}"
            cells.append(str(value))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", default="base,S,R,S+R")
    parser.add_argument("--seed", type=int, default=SEED, help="of pairs, batches and torch")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1: cores shared)")
    args = parser.parse_args()
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(args.threads)
    settings = get_settings()
    fx = load_fixture(settings)
    base = SentenceTransformer(str(model_path()), device="cpu")
    annotate = open_answer_service(settings).glossary.annotate
    texts = labelled_texts(settings.knowledge_dir)
    scope = scope_pairs(texts, annotate, random.Random(args.seed))
    posts = synthetic_posts(texts, random.Random(args.seed))
    scope_long = scope_pairs(texts + posts, annotate, random.Random(args.seed))
    retrieval = retrieval_pairs(fx.cards, annotate)
    print(
        f"training data: {len(scope)} scope pairs (S), {len(scope_long)} with "
        f"{len(posts)} synthetic posts (S+L), {len(retrieval)} card phrasing pairs (R)"
    )
    plan = {
        "base": (None, None),
        "S": (scope, None),
        "R": (None, retrieval),
        "S+R": (scope, retrieval),
        "S+L": (scope_long, None),
        "S+L+R": (scope_long, retrieval),
    }
    rows: dict[str, dict] = {}
    for name in args.variants.split(","):
        if name == "base":
            model, seconds, steps = base, 0.0, 0
        else:
            model, seconds, steps = fine_tune(base, *plan[name], seed=args.seed)
        started = time.perf_counter()
        rows[name] = {**measure(fx, encoder(model)), "train": f"{seconds:.0f} ({steps})"}
        print(f"[{name}] trained {seconds:.0f}s, measured {time.perf_counter() - started:.0f}s")
        print(rows[name], flush=True)
        if model is not base:
            del model
    out = table(rows)
    print(out)


if __name__ == "__main__":
    main()
