"""'More from the guide': after what answers the question, the passage ranking's best passages
(what of them the reply does not quote yet), so that a fact the card or the sentence picker left
out still reaches the reader."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from bot.core.answers.compose import MAX_REPLY_CHARS, REFERS_BACK, Answer, AnswerPoint, Source
from bot.core.answers.retrieval import RetrievedPassage
from bot.knowledge.passages import Passage
from bot.knowledge.text import normalise

MORE_LEAD = "More from the guide:"
MORE_MAX_CHARS = MAX_REPLY_CHARS  # the reply's budget is used: what fits is carried
# A passage joins when at least this close to the question: scope's floor for "the corpus has
# nothing like it" (MIN_CORPUS_SIMILARITY) (any value 0-0.25 measures the same on dev, legacy and long posts; 0.3
# held back passages a long post's diluted vector finds at 0.25-0.3).
MORE_MIN_SCORE = 0.2
MORE_MAX_PASSAGES = 3
TRIM_TO_FIT = True  # a passage too long for what is left adds its best sentences instead


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


def _lead_in(sentences: Sequence[str], index: int) -> int | None:
    lead = index
    while lead > 0 and sentences[lead].startswith("- "):
        lead -= 1
    return None if sentences[lead].startswith("- ") else lead


def with_context(sentences: Sequence[str], index: int) -> list[int]:
    """A sentence and what it needs to be read: a list item its lead-in; a sentence that
    refers back ("This will help…") the one before it (a list: the whole list and its lead-in)."""
    if sentences[index].startswith("- "):
        lead = _lead_in(sentences, index)
        return [index] if lead is None else [index, lead]
    chosen = [index]
    while index > 0 and REFERS_BACK.search(sentences[index]):
        index -= 1
        chosen.append(index)
        if sentences[index].startswith("- "):
            lead = _lead_in(sentences, index)
            chosen.extend(range(index - 1, -1 if lead is None else lead - 1, -1))
            break
    return chosen


def best_that_fit(
    sentences: Sequence[str], indexes: list[int], scores: dict[int, float], room: int
) -> list[int]:
    """Of a passage's unquoted sentences, the most relevant ones (each with its context) whose
    rendering fits in `room` characters, in reading order; none when not even one fits."""
    order = sorted(indexes, key=lambda i: (-scores.get(i, -1.0), i))
    kept: set[int] = set()
    for index in order:
        trial = kept | set(with_context(sentences, index))
        if trial == kept:
            continue
        body, _ = render_sentences([sentences[i] for i in sorted(trial)])
        if len(body) <= room:
            kept = trial
    return sorted(kept)


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


def continued_lead_ins(passages: Iterable[Passage]) -> frozenset[str]:
    """Ids of the passages (in reading order) whose last sentence leads into a list that the
    next passage holds ("If you're going in alone, you have several options.")."""
    out, before = set(), None
    for passage in passages:
        if (
            before is not None
            and before.source == passage.source
            and passage.sentences
            and passage.sentences[0].startswith("- ")
            and not before.sentences[-1].startswith("- ")
        ):
            out.add(before.id)
        before = passage if passage.sentences else None
    return frozenset(out)


def add_more_passages(
    answer: Answer,
    ranking: Sequence[RetrievedPassage],
    min_score: float = MORE_MIN_SCORE,
    max_passages: int = MORE_MAX_PASSAGES,
    max_chars: int = MORE_MAX_CHARS,
    rest_of_cited: bool = True,
    trim: bool = TRIM_TO_FIT,
    lead_ins: Collection[str] = (),
) -> None:
    """Append, under MORE_LEAD, what the reply does not quote yet of the ranking's passages that
    are close enough to the question and are not the article's intro (its lede), each cited,
    while the reply stays within max_chars. `rest_of_cited`: a passage the reply quotes in part
    may add the rest; otherwise only passages it does not cite join. `trim`: a passage that
    does not fit whole adds its most relevant sentences that do. `lead_ins`: passages whose last
    sentence introduces a list the next passage holds; that sentence never comes alone."""
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
        if passage.id in lead_ins:
            indexes = [i for i in indexes if i != len(passage.sentences) - 1]
        if not indexes:
            continue
        number = known[0] if known else len(answer.sources)
        lead = "" if added else f"\n\n{MORE_LEAD}"
        frame = len(answer.text) + len(lead) + len(f"\n\n [{number + 1}]")
        body, parts = render_sentences([passage.sentences[i] for i in indexes])
        if frame + len(body) > max_chars and trim:
            scores = item.sentence_scores
            indexes = best_that_fit(passage.sentences, indexes, scores, max_chars - frame)
            if not indexes:
                continue
            body, parts = render_sentences([passage.sentences[i] for i in indexes])
        text = f"{answer.text}{lead}\n\n{body} [{number + 1}]"
        if len(text) > max_chars:
            continue
        answer.text = text
        if not known:
            answer.sources.append(Source(passage.citation, passage.text, item.score, passage.id))
        answer.points.extend(AnswerPoint(t, number, is_item) for t, is_item in parts)
        added += 1
