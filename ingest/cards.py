"""knowledge/cards/*.yaml → verified cards + embedded phrasings (index/cards.json, cards.npz).

Every quote must be verbatim in its article; a card with a bad quote (or no phrasings, or an
unknown section) is skipped and named, the rest are ingested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import yaml

from bot.knowledge.cards import OVERVIEW, Card, CardIndex, Quote, find_quote, write_cards
from bot.knowledge.embedder import EMBEDDING_DIM, Embedder
from bot.knowledge.glossary import Glossary
from bot.knowledge.passages import Passage
from bot.knowledge.yaml_io import read_yaml

CARDS_DIR = "cards"


def embed_new_only(
    texts: list[str], known: dict[str, np.ndarray], get_embedder: Callable[[], Embedder]
) -> np.ndarray:
    """The texts' vectors: those embedded before are reused, only new texts are embedded (the
    model loads only when there are some)."""
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if missing:
        known.update(zip(missing, get_embedder().embed_documents(missing), strict=True))
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), np.float32)
    return np.asarray([known[t] for t in texts], dtype=np.float32)


def card_files(knowledge_dir: Path) -> list[Path]:
    folder = knowledge_dir / CARDS_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _article_passages(article: str, passages: Iterable[Passage]) -> list[Passage]:
    name = article.strip().lstrip("/")
    return [p for p in passages if p.source == name or p.source.endswith("/" + name)]


def _headings(passages: list[Passage]) -> set[str]:
    found = set()
    for p in passages:
        found.add(p.title)
        found.update(h for h in p.heading_path.split(" › ") if h)
    return found


def _card(
    entry: dict, where: str, passages: list[Passage], headings: set[str], kind: str
) -> tuple[Card | None, list[str]]:
    """One card from its YAML entry, or None and what is wrong with it."""
    card_id = str(entry.get("id") or kind)
    name = f"{where}: card '{card_id}'"
    phrasings = tuple(str(p).strip() for p in entry.get("phrasings") or () if str(p).strip())
    problems = [] if phrasings else [f"{name}: no phrasings"]
    section = str(entry.get("section") or "")
    if kind != OVERVIEW and section not in headings:
        problems.append(f"{name}: section {section!r} is not a heading of the article")
    raw = entry.get("steps") if kind == OVERVIEW else entry.get("quotes")
    quotes: list[Quote] = []
    for item in raw or ():
        text = str(item.get("quote") if isinstance(item, dict) else item)
        label = str(item.get("section", "")) if isinstance(item, dict) else ""
        if kind == OVERVIEW and label not in headings:
            problems.append(f"{name}: step section {label!r} is not a heading of the article")
            continue
        found = find_quote(text, passages)
        if found is None:
            problems.append(f"{name}: quote not found verbatim in the article: {text[:80]!r}")
            continue
        quotes.append(Quote(found.text, found.passage_id, found.is_item, label))
    if not raw:
        problems.append(f"{name}: no quotes")
    if problems:
        return None, problems
    return Card(card_id, where, kind, section, phrasings, tuple(quotes)), []


def load_cards(knowledge_dir: Path, passages: list[Passage]) -> tuple[list[Card], list[str]]:
    """Every valid card of every card file, and one message per bad file or entry."""
    cards: list[Card] = []
    problems: list[str] = []
    for path in card_files(knowledge_dir):
        where = path.relative_to(knowledge_dir).as_posix()
        try:
            data = read_yaml(path) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(f"{where}: unreadable ({type(exc).__name__})")
            continue
        if not isinstance(data, dict):
            problems.append(f"{where}: expected a mapping with 'article' and 'cards'")
            continue
        own = _article_passages(str(data.get("article") or ""), passages)
        if not own:
            problems.append(f"{where}: article {data.get('article')!r} is not in the index")
            continue
        headings = _headings(own)
        entries = [(e, "answer") for e in data.get("cards") or () if isinstance(e, dict)]
        if isinstance(data.get("overview"), dict):
            entries.insert(0, ({"id": OVERVIEW, **data["overview"]}, OVERVIEW))
        seen: set[str] = set()
        for entry, kind in entries:
            card, wrong = _card(entry, where, own, headings, kind)
            problems.extend(wrong)
            if card is not None and card.id in seen:
                problems.append(f"{where}: card '{card.id}' appears twice (kept the first)")
            elif card is not None:
                seen.add(card.id)
                cards.append(card)
    return cards, problems


def build_cards(
    knowledge_dir: Path,
    index_dir: Path,
    passages: list[Passage],
    glossary: Glossary,
    get_embedder: Callable[[], Embedder],
) -> list[str]:
    """Verify every card against the passages and write the card index; returns the problems.

    Quotes are re-checked on every run (an article edit can break one); only phrasings not
    embedded before (new, or rewritten by a glossary change) go through the model.
    """
    cards, problems = load_cards(knowledge_dir, passages)
    texts = [glossary.annotate(p) for c in cards for p in c.phrasings]
    vectors = embed_new_only(texts, CardIndex.embedded(index_dir), get_embedder)
    write_cards(index_dir, cards, vectors, texts)
    return problems
