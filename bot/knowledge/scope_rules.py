"""What the bot never answers, whatever the scope model says: small talk (it gets the help
message), instructions aimed at the bot itself, and the advice the article expressly disclaims
(tax, legal, investment). Ingest uses them too: questions a rule settles never calibrate the
scope model."""

from __future__ import annotations

import re

INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules|guidelines|"
    r"prompt|knowledge base|restrictions|filters)\b|system prompt|developer mode|jailbreak|"
    r"\bDAN\b|no restrictions|hidden rules|pretend (you|to be)|"
    # "act as a…" addressed to the bot, not "does a degree act as a filter"
    r"(^|[.!?:]\s*|\b(please|now|you (will|must|should|are to)|want you to|from now on,?)\s+)"
    r"act as (an?|my) |"
    r"repeat the (text|words) above|api keys?\b",
    re.IGNORECASE,
)
DISCLAIMED = re.compile(
    r"\b(tax|taxes|taxed|irs|legal|legally|illegal|lawyer|attorney|lawsuit|sue|suing|visa|"
    r"immigration|green card|work permit|crypto|cryptocurrency|bitcoin|securities|dividends?|"
    r"stock market|investment advice|investors?|index funds?|etfs?)\b|"
    # Money put into markets, not time put into Kaggle or a boot camp; a stock-price
    # prediction project is a portfolio question.
    r"\binvest(s|ing|ed|ment|ments)?\b.{0,25}\b(stocks?|shares|crypto\w*|bitcoin|funds?|"
    r"etfs?|bonds?|real estate|the market|my (money|savings))\b|"
    r"\b(buy|sell|buying|selling)\b.{0,15}\b(stocks?|shares)\b",
    re.IGNORECASE,
)
SMALLTALK = re.compile(
    r"^\s*(hi|hii+|hello|hey( there)?|yo|good (morning|afternoon|evening)|thanks|thank you|thx|"
    r"ty|ok(ay)?|cool|great|nice|bye|goodbye|help|what can you do|who are you|start)\s*[!.?]*\s*$",
    re.IGNORECASE,
)


def rule_reason(question: str) -> str | None:
    """ "smalltalk", "injection" or "disclaimed" when a rule settles the question, else None."""
    if SMALLTALK.match(question):
        return "smalltalk"
    if INJECTION.search(question):
        return "injection"
    if DISCLAIMED.search(question):
        return "disclaimed"
    return None
