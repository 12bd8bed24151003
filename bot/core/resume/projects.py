"""Does a project write-up make the article's highlight reel: a purpose and a method?

Source: How to Get a Machine Learning Internship › Projects ("the title, a summary of the
purpose, and one or two sentences on methodology"). A purpose counts in the student's own
words ("Counts free spots from a webcam feed", "to help teachers"), not only from a verb list.
"""

from __future__ import annotations

import re

from bot.core.resume.entries import Entry
from bot.core.resume.lexicon import METHOD_KINDS, count_skills, skill_by_name

_PURPOSE = re.compile(
    r"\b(?:in order to|so that|aim(?:s|ed)?|goal|purpose|objective|problem|help(?:s|ed|ing)?|"
    r"enabl\w*|allow\w*|predict\w*|detect\w*|classif\w*|recommend\w*|forecast\w*|identif\w*|"
    r"estimat\w*|segment\w*|generat\w*|summari[sz]\w*|translat\w*|answer\w*|search\w*|"
    r"automat\w*|analy[sz]\w*|investigat\w*|understand\w*|measur\w*|improv\w*|reduc\w*|"
    r"optimi[sz]\w*|track\w*|monitor\w*|find\w*|match\w*|scor\w*|rank\w*|explor\w*|chatbot|"
    r"assistant|diagnos\w*|prevent\w*|support\w*|assess\w*|compar\w*)\b",
    re.I,
)
_METHOD = re.compile(
    r"\b(?:using|used|trained|train(?:ing)?|fine[- ]?tun\w*|implement\w*|model\w*|algorithm\w*|"
    r"pipeline\w*|architecture|methodology|method|approach|features?|regression|classifier\w*|"
    r"network\w*|embedding\w*|cluster\w*|dataset\w*|data set\w*|evaluat\w*|accuracy|f1|auc|"
    r"rmse|cross[- ]validat\w*|benchmark\w*|scrap\w*|built with|powered by|based on)\b",
    re.I,
)


def project_gaps(entry: Entry) -> list[str]:
    """What a project write-up lacks: "purpose" and/or "method" (the article's highlight reel)."""
    description = "\n".join(entry.body)
    missing = []
    if not purpose_stated(entry):
        missing.append("purpose")
    kinds = {skill_by_name()[name].kind for name in count_skills(description)}
    if not (description.strip() and (_METHOD.search(description) or kinds & METHOD_KINDS)):
        missing.append("method")
    return missing


# A purpose in the student's own words: "Counts free spots from a webcam feed", "an app that
# clusters cells for labmates", "to help teachers", "so students can check before driving".
_VERB_OPENER = re.compile(r"^(?:an?\s+|the\s+)?([A-Z][a-z]{2,}(?:es|s))\b(?!['’])\s+(?:\w|\()")
_NOT_VERBS = frozenset(
    "results tools skills features details links contributions responsibilities highlights "
    "methods models datasets notes achievements metrics outcomes courses technologies "
    "kaggle pandas keras sas ios aws".split()
)
_CLAUSE = re.compile(
    r"\b(?:that|which|who)\s+(?:\w+ly\s+)?\w+s\b|\bto\s+(?:help|let|save|make|give|warn|plan|"
    r"surface|decide|choose|check|learn|spot|flag|find|serve|support|speed|cut|catch|"
    r"count|read|tell|show)\b|\bso\s+(?:that\b|\w+\s+can\b|\w+\s+\w+\s+can\b)|\bfor\s+"
    r"(?:users|students|teachers|farmers|analysts|commuters|shoppers|labmates|owners|customers|"
    r"people|patients|doctors|clinicians|researchers|my|our|the\s+\w+\s+team)\b",
    re.I,
)


def purpose_stated(entry: Entry) -> bool:
    """Whether a project says what it is for, in any words."""
    if _PURPOSE.search(entry.text) or _CLAUSE.search(entry.text):
        return True
    for line in entry.body:
        match = _VERB_OPENER.match(line.strip())
        if match and match.group(1).lower() not in _NOT_VERBS:
            return True
    return False
