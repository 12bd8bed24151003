"""'More from the guide': after what answers the question, the passage ranking's best passages
(what of them the reply does not quote yet), so that a fact the card or the sentence picker left
out still reaches the reader."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.answers.compose import Answer, AnswerPoint, Source
from bot.core.answers.retrieval import RetrievedPassage
from bot.knowledge.text import normalise

MORE_LEAD = "More from the guide:"
MORE_MAX_CHARS = 1_500  # stop before the reply would pass this (the hard limit is 1,600)
MORE_MIN_SCORE = 0.3  # a passage joins only when this close to the question (dev + legacy)
MORE_MAX_PASSAGES = 3


def _fold(text: str) -> str:
    return normalise(text).lower()


def unquoted_sentences(sentences: Sequence[str], reply: str) -> list[int]:
    """Indexes of the sentences the reply does not quote yet; a list item brings its lead-in."""
    folded = _fold(reply)
    missing = [
        i
        for i, s in enumerate(sentences)
        if _fold(s[2:] if s.startswith("- ") else s) not in folded
    ]
    chosen = set(missing)
    for i in missing:
        lead = i
        while lead > 0 and sentences[lead].startswith("- "):
            lead -= 1
        if lead != i and not sentences[lead].startswith("- "):
            chosen.add(lead)
    return sorted(chosen)


def render_sentences(sentences: Sequence[str]) -> tuple[str, list[tuple[str, bool]]]:
    """Sentences as the reply shows them (list items as bullets, each on its line) and as
    (text, is_item) points."""
    parts = [(s[2:].strip(), True) if s.startswith("- ") else (s, False) for s in sentences]
    lines: list[str] = []
    for text, is_item in parts:
        if is_item or not lines or lines[-1].startswith("• "):
            lines.append(f"• {text}" if is_item else text)
        else:
            lines[-1] = f"{lines[-1]} {text}"
    return "\n".join(lines), parts


def add_more_passages(
    answer: Answer,
    ranking: Sequence[RetrievedPassage],
    min_score: float = MORE_MIN_SCORE,
    max_passages: int = MORE_MAX_PASSAGES,
    max_chars: int = MORE_MAX_CHARS,
    rest_of_cited: bool = True,
) -> None:
    """Append, under MORE_LEAD, what the reply does not quote yet of the ranking's passages that
    are close enough to the question and are not the article's intro (its lede), each cited,
    while the reply stays within max_chars. `rest_of_cited`: a passage the reply quotes in part
    may add the rest; otherwise only passages it does not cite join."""
    added = 0
    for item in ranking:
        passage = item.passage
        if added >= max_passages:
            break
        if not passage.heading_path or item.score < min_score:
            continue
        known = [n for n, s in enumerate(answer.sources) if s.passage_id == passage.id]
        if known and not rest_of_cited:
            continue
        indexes = unquoted_sentences(passage.sentences, answer.text)
        if not indexes:
            continue
        body, parts = render_sentences([passage.sentences[i] for i in indexes])
        number = known[0] if known else len(answer.sources)
        lead = "" if added else f"\n\n{MORE_LEAD}"
        text = f"{answer.text}{lead}\n\n{body} [{number + 1}]"
        if len(text) > max_chars:
            continue
        answer.text = text
        if not known:
            answer.sources.append(Source(passage.citation, passage.text, item.score, passage.id))
        answer.points.extend(AnswerPoint(t, number, is_item) for t, is_item in parts)
        added += 1
