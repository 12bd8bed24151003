"""Answer cards: authored question phrasings whose answer is a run of verbatim article quotes.

A card file (knowledge/cards/<article stem>.yaml) belongs to one article. Ingest checks every
quote against that article's passages, embeds the phrasings, and writes the resolved cards here
(index/cards.json + index/cards.npz); the answer path only reads them. An article without cards
is answered from its passages alone.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.knowledge.passages import Passage
from bot.knowledge.text import normalise

OVERVIEW = "overview"


@dataclass(frozen=True)
class Quote:
    text: str  # exactly as the article has it (its quote marks and dashes)
    passage_id: str
    is_item: bool  # a bullet of a list in the article
    label: str = ""  # an overview step's name (the section heading it summarises)


@dataclass(frozen=True)
class Card:
    id: str
    file: str  # cards/<name>.yaml, for messages
    kind: str  # "answer", or "overview" (the guide's path, one quote per step)
    section: str
    phrasings: tuple[str, ...]
    quotes: tuple[Quote, ...]


def _fold(text: str) -> str:
    return normalise(text).lower()


def find_quote(quote: str, passages: list[Passage]) -> Quote | None:
    """The quote as it stands in one passage's sentence, or None when it is not verbatim.

    Matching ignores case, curly-vs-straight quotes and spacing, so authors can type them;
    the reply always shows the article's own characters.
    """
    wanted = _fold(quote.removeprefix("- "))
    if not wanted:
        return None
    for passage in passages:
        for sentence in passage.sentences:
            body = sentence.removeprefix("- ")
            folded = _fold(body)
            start = folded.find(wanted)
            if start < 0 or not _whole(folded, start, start + len(wanted)):
                continue
            original = _original_span(body, start, len(wanted))
            return Quote(original, passage.id, sentence.startswith("- "))
    return None


def _whole(folded: str, start: int, end: int) -> bool:
    """A quote is whole sentences: it starts and ends where a sentence (or list item) does.

    (A fragment such as "MLE ranked" — a YAML comment sign cut the rest — is not a quote.)
    """
    starts = start == 0 or folded[:start].rstrip().endswith((".", "?", "!", " -"))
    ends = end == len(folded) or folded[end - 1] in '.?!:"'
    return starts and ends


def _original_span(text: str, start: int, length: int) -> str:
    """The characters of `text` behind [start, start+length) of its folded form."""
    # Folding maps one character to one, except collapsed whitespace: walk both in step.
    out, folded_pos = [], 0
    previous_space = True
    for ch in text.strip():
        if ch.isspace():
            if previous_space:
                continue
            ch_folded = " "
            previous_space = True
        else:
            ch_folded = _fold(ch) or ch
            previous_space = False
        if start <= folded_pos < start + length:
            out.append(ch)
        folded_pos += len(ch_folded)
    return "".join(out).strip()


# -- the index side files ---------------------------------------------------------------------
def cards_path(index_dir: Path) -> Path:
    return index_dir / "cards.json"


def vectors_path(index_dir: Path) -> Path:
    return index_dir / "cards.npz"


def write_cards(index_dir: Path, cards: list[Card], vectors: np.ndarray, texts: list[str]) -> None:
    """`texts[i]` is what was embedded for phrasing row i (kept so unchanged rows are reused)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    owners = np.asarray([i for i, c in enumerate(cards) for _ in c.phrasings], dtype=np.int32)
    np.savez(
        vectors_path(index_dir),
        vectors=vectors.astype(np.float32),
        owners=owners,
        texts=np.asarray(texts, dtype=str),
    )
    tmp = cards_path(index_dir).with_suffix(".tmp")
    tmp.write_text(json.dumps([asdict(c) for c in cards], ensure_ascii=False))
    tmp.replace(cards_path(index_dir))


@dataclass
class CardIndex:
    """Cards and their embedded phrasings; `owners[i]` is the card of phrasing row i."""

    cards: list[Card]
    vectors: np.ndarray
    owners: np.ndarray

    @classmethod
    def empty(cls, dim: int = 384) -> CardIndex:
        return cls([], np.zeros((0, dim), np.float32), np.zeros(0, np.int32))

    @classmethod
    def load(cls, index_dir: Path) -> CardIndex:
        if not cards_path(index_dir).exists() or not vectors_path(index_dir).exists():
            return cls.empty()
        rows = json.loads(cards_path(index_dir).read_text())
        cards = [
            Card(
                **{
                    **row,
                    "phrasings": tuple(row["phrasings"]),
                    "quotes": tuple(Quote(**q) for q in row["quotes"]),
                }
            )
            for row in rows
        ]
        data = np.load(vectors_path(index_dir))
        vectors, owners = data["vectors"], data["owners"]
        if len(owners) != sum(len(c.phrasings) for c in cards):
            return cls.empty()  # side files out of step: answer from passages alone
        return cls(cards, vectors, owners)

    @staticmethod
    def embedded(index_dir: Path) -> dict[str, np.ndarray]:
        """Phrasing text → vector from the last build (to embed only new phrasings)."""
        try:
            data = np.load(vectors_path(index_dir))
            return dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
        except (OSError, KeyError, ValueError):
            return {}

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Each card's best phrasing cosine to the question (one matrix product)."""
        best = np.full(len(self.cards), -1.0, dtype=np.float32)
        if len(self.owners) and vector.size:
            np.maximum.at(best, self.owners, self.vectors @ vector)
        return best

    @property
    def overview(self) -> Card | None:
        return next((c for c in self.cards if c.kind == OVERVIEW), None)
