"""Compare a résumé with a job description: which asked-for skills it shows, which it lacks.

Source: How to Get a Machine Learning Internship › Tailor Each Resume to the Job. The JD's
asks are lexicon skills (knowledge/resume/skills.yaml) plus multiword phrases the posting
repeats; requirements weigh more than "nice to have"s, repeated asks more than one-offs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bot.core.resume.lexicon import count_skills, skill_by_name

REQUIRED_FACTOR = 1.5
PREFERRED_FACTOR = 0.5
PHRASE_WEIGHT = 1.0
MAX_PHRASES = 10

_REQUIRED_HEADING = re.compile(
    r"\b(?:require(?:d|ments?)|must[- ]haves?|minimum|basic qualifications|what you(?:'|’)?ll need|"
    r"you have|you bring|qualifications|who you are|essential)\b",
    re.I,
)
_PREFERRED = re.compile(
    r"\b(?:preferred|nice[- ]to[- ]haves?|bonus|a plus|desired|desirable|good to have|"
    r"ideally|advantage(?:ous)?)\b",
    re.I,
)
_STOPWORDS = frozenset(
    """a an the and or of for to in on at by with from as is are be been being will would can
    could should may might must our we you your their they this that these those it its into
    about over under within across per via than then also such other more most any all each
    who what which when where how why not no nor but if so do does did have has had having
    i me my us etc e.g i.e eg ie""".split()
)
_GENERIC = frozenset(
    """experience experienced skills skill ability abilities strong excellent good great solid
    proven team teams work working role roles candidate candidates job jobs position company
    years year knowledge understanding including include includes related field fields
    opportunity opportunities equal employer benefits salary apply application applications
    responsibilities responsibility requirements requirement qualifications qualification
    preferred required plus bonus internship internships intern interns student students
    new help join looking ideal successful passion passionate interest interested familiarity
    familiar proficiency proficient demonstrated hands-on level using use used build building
    day days week weeks month months time full part summer fall spring remote hybrid office
    people world business customers customer members member including e.g""".split()
)


@dataclass(frozen=True)
class JDMatch:
    """`score` 0-100 is the weighted share of the JD's asks that the résumé shows."""

    score: int
    matched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"score": self.score, "matched": list(self.matched), "missing": list(self.missing)}


def _line_factors(jd_text: str) -> list[tuple[str, float]]:
    """Each JD line with its weight factor from the block it sits in."""
    mode = 1.0
    result = []
    for line in jd_text.split("\n"):
        stripped = line.strip()
        words = stripped.split()
        is_heading = 0 < len(words) <= 8 and not stripped.endswith(".")
        if is_heading and _PREFERRED.search(stripped):
            mode = PREFERRED_FACTOR
        elif is_heading and _REQUIRED_HEADING.search(stripped):
            mode = REQUIRED_FACTOR
        factor = PREFERRED_FACTOR if _PREFERRED.search(stripped) else mode
        result.append((line, factor))
    return result


def _tokens(text: str) -> list[list[str]]:
    """Runs of content words, split at punctuation and stopwords."""
    runs: list[list[str]] = []
    for chunk in re.split(r"[.,;:!?()\[\]{}\"“”•·|\n\t]+|\s[-–—]\s", text.lower()):
        run: list[str] = []
        for word in re.findall(r"[a-z][a-z0-9+#'’-]*", chunk):
            word = word.strip("'’-")
            if word in _STOPWORDS or len(word) < 2:
                if len(run) >= 2:
                    runs.append(run)
                run = []
            else:
                run.append(word)
        if len(run) >= 2:
            runs.append(run)
    return runs


def repeated_phrases(jd_text: str) -> list[str]:
    """Two- and three-word phrases the JD repeats, not already lexicon skills."""
    counts: Counter[str] = Counter()
    for run in _tokens(jd_text):
        for size in (2, 3):
            for start in range(len(run) - size + 1):
                gram = run[start : start + size]
                if gram[0] in _GENERIC or gram[-1] in _GENERIC:
                    continue
                counts[" ".join(gram)] += 1
    repeated = {p: c for p, c in counts.items() if c >= 2 and not count_skills(p)}
    kept = [
        phrase
        for phrase, count in repeated.items()
        if not any(
            phrase != other and phrase in other and repeated[other] >= count for other in repeated
        )
    ]
    kept.sort(key=lambda p: (-repeated[p], p))
    return kept[:MAX_PHRASES]


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    # "ranking models" also finds "ranking model": stem a plural, then allow one back.
    stems = [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in phrase.split()
    ]
    parts = [re.escape(word) + "(?:s|es)?" for word in stems]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(parts) + r"(?!\w)", re.I)


def _skill_mentions(line: str) -> list[tuple[int, int, str]]:
    mentions = []
    for skill in skill_by_name().values():
        for pattern in skill.patterns:
            mentions.extend((m.start(), m.end(), skill.name) for m in pattern.finditer(line))
    mentions.sort()
    kept: list[tuple[int, int, str]] = []
    for mention in mentions:  # drop mentions nested in a longer one ("SQL" in "Spark SQL")
        if kept and mention[0] < kept[-1][1]:
            if mention[1] - mention[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = mention
            continue
        kept.append(mention)
    return kept


def _line_asks(line: str) -> list[tuple[str, ...]]:
    """Skills a line asks for; "PyTorch or TensorFlow" is one ask met by either."""
    mentions = _skill_mentions(line)
    groups: list[list[str]] = []
    separators: list[list[str]] = []
    for index, (start, _end, name) in enumerate(mentions):
        gap = line[mentions[index - 1][1] : start].strip().lower() if index else None
        if gap is not None and re.fullmatch(r"(?:,|/|or|and|and/or|,\s*(?:or|and))", gap):
            if name not in groups[-1]:
                groups[-1].append(name)
            separators[-1].append(gap)
        else:
            groups.append([name])
            separators.append([])
    asks: list[tuple[str, ...]] = []
    for names, gaps in zip(groups, separators):
        alternatives = any(re.search(r"\bor\b|/", g) for g in gaps) and not any(
            re.fullmatch(r",?\s*and", g) for g in gaps
        )
        asks.extend([tuple(names)] if alternatives else [(name,) for name in names])
    return asks


def jd_requirements(jd_text: str) -> dict[tuple[str, ...], float]:
    """What the JD asks for, each ask a tuple of alternatives (skill names or a phrase)."""
    weights: dict[tuple[str, ...], float] = {}
    counts: Counter[tuple[str, ...]] = Counter()
    skills = skill_by_name()
    for line, factor in _line_factors(jd_text):
        for ask in _line_asks(line):
            counts[ask] += 1
            weight = max(skills[name].weight for name in ask) * factor
            weights[ask] = max(weights.get(ask, 0.0), weight)
    # A skill asked for alone elsewhere doesn't also need its "X or Y" alternative.
    singles = {ask[0] for ask in weights if len(ask) == 1}
    for ask in [a for a in weights if len(a) > 1 and any(n in singles for n in a)]:
        del weights[ask]
    for phrase in repeated_phrases(jd_text):
        ask = (phrase,)
        counts[ask] += len(_phrase_pattern(phrase).findall(jd_text))
        weights[ask] = PHRASE_WEIGHT
    return {ask: weight * (1 + 0.25 * min(counts[ask] - 1, 2)) for ask, weight in weights.items()}


def match_job_description(resume_text: str, jd_text: str) -> JDMatch:
    """Score how well the résumé covers the JD's skills and repeated phrases."""
    asks = jd_requirements(jd_text)
    if not asks:
        return JDMatch(0, [], [])
    shown = count_skills(resume_text, with_implied=True)
    skills = skill_by_name()

    def present(name: str) -> bool:
        return name in shown if name in skills else bool(_phrase_pattern(name).search(resume_text))

    matched, missing = [], []
    for ask in sorted(asks, key=lambda a: (-asks[a], " ".join(a).lower())):
        if any(present(name) for name in ask):
            matched.append(next(name for name in ask if present(name)))
        else:
            missing.append(" or ".join(ask))
    total = sum(asks.values())
    score = round(100 * sum(w for a, w in asks.items() if any(present(n) for n in a)) / total)
    return JDMatch(score, matched, missing)
