"""The fixed texts of replies that quote nothing: declines, the partial lead, and the replies to
messages that are not questions (empty, emoji only, another language, gibberish)."""

from __future__ import annotations

DECLINE = {
    "off_topic": "That isn't covered by my knowledge base, so I won't guess.",
    "no_match": "I couldn't find anything about that in my knowledge base, so I won't guess.",
    "disclaimed": "I can't give tax, legal or investment advice: the article I'm built on "
    "expressly doesn't either, and that isn't in my knowledge base.",
    "injection": "I only answer from my knowledge base and I don't change my instructions.",
}
PARTIAL_LEAD = "The guide covers {section}, though not exactly what you asked. What it says:"
LANGUAGE_OVERVIEW_LEAD = "Meanwhile, here is the guide's path, in English:"
UNCOVERED_PARTS_LEAD = "The guide doesn't answer {parts}. On the rest of your message it says:"
OTHER_REPLIES = {
    "smalltalk": "Hi! I answer questions about landing a first machine-learning internship, "
    "always with the source.",
    "empty": "Please type a question: I answer questions about landing a first ML internship.",
    "no_text": "I can only read text questions. Try asking something in words.",
    "language": "I can only read questions in English for now. Could you ask in English?",
    "gibberish": "Sorry, I didn't understand that. I answer questions about landing a first "
    "machine-learning internship, for example: “Is Kaggle worth it?”",
}


def decline_text(kind: str, topics: list[str], headings: list[str]) -> str:
    """A decline: why, what the guide does cover, and (for an unknown subject) the sections
    nearest to the question, from the retrieved passages' heading paths."""
    covered = "; ".join(topics) if topics else "ML internships"
    text = f"{DECLINE[kind]} What the guide does cover: {covered}."
    nearest = [n for n in dict.fromkeys(h.split(" › ")[-1] for h in headings) if n][:2]
    if kind in ("off_topic", "no_match") and nearest:
        text += f" The nearest sections: {'; '.join(nearest)}."
    return text
