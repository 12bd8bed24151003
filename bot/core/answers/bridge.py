"""Questions in another language, answered through the term bridge (dictionary-based query
translation, bot/knowledge/term_bridge.py): the English terms a question spells stand in for it,
go through the normal answer path, and the reply says which words were read.

A question is bridged when it spells at least MIN_TERMS distinct terms, MIN_TOPICS of them a
topic. One term alone says what a message mentions, not what it asks ("Python" in a Korean
paragraph); it is also where a chance match (a short spelling inside an unrelated word) would
decide the reply on its own. Two terms that agree, one of them a subject of the guide, give the
scope vote and retrieval a query to judge, and the scope vote stays the safeguard: a bridged
query it declines gets the language reply, never a decline of words the user did not write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.answers.compose import CITATION, MAX_REPLY_CHARS, Answer
from bot.core.answers.more import MORE_LEAD
from bot.knowledge.term_bridge import TermBridge

MIN_TERMS = 2
MIN_TOPICS = 1
BRIDGE_LEAD = (
    "I read English only, so I went by the words I recognised: {terms}. "
    "Here is what the guide says (in English):"
)


@dataclass(frozen=True)
class BridgedQuestion:
    query: str  # what is answered: the English terms, how it asks first
    terms: tuple[str, ...]

    @property
    def lead(self) -> str:
        return BRIDGE_LEAD.format(terms=", ".join(self.terms))

    @property
    def lead_chars(self) -> int:
        """What the lead takes of the reply's budget (it stands in a paragraph of its own)."""
        return len(self.lead) + 2


def bridge_question(
    text: str, bridge: TermBridge, foreign_only: bool = False
) -> BridgedQuestion | None:
    """The English query a question in another language spells, or None when it spells too
    little to answer. `foreign_only`: count only spellings of other languages (for a text the
    checks could not place, which may be English)."""
    terms = bridge.match(text, foreign_only)
    topics = [t.english for t in terms if t.kind == "topics"]
    if len(terms) < MIN_TERMS or len(topics) < MIN_TOPICS:
        return None
    ordered = [t.english for t in terms if t.kind != "topics"] + topics
    return BridgedQuestion(" ".join(ordered) + "?", tuple(ordered))


def with_lead(answer: Answer, bridged: BridgedQuestion) -> Answer | None:
    """The bridged query's answer, led by the words it went by; None when it is a decline (the
    user then gets the language reply). 'More from the guide' left room for the lead; when the
    cards alone leave too little, their last blocks make way, so the reply stays within
    MAX_REPLY_CHARS (the lead is what makes it honest)."""
    if not answer.in_scope:
        return None
    blocks = answer.text.split("\n\n")
    while len(blocks) > 1 and bridged.lead_chars + len("\n\n".join(blocks)) > MAX_REPLY_CHARS:
        blocks.pop()
    while len(blocks) > 1 and blocks[-1] == MORE_LEAD:
        blocks.pop()
    text = "\n\n".join(blocks)
    if text != answer.text:
        cited = {int(n) for mark in CITATION.findall(text) for n in re.findall(r"\d+", mark)}
        kept = max(cited, default=0)
        answer.sources = answer.sources[:kept]
        answer.points = [p for p in answer.points if p.source < kept and p.text in text]
    answer.text = f"{bridged.lead}\n\n{text}"
    return answer
