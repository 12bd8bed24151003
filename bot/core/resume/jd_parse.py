"""Read a job description into requirements: skills (with alternatives), degree, years.

"scikit-learn and XGBoost or LightGBM" is two requirements, the second met by either;
"BS or MS in Computer Science, Statistics, Mathematics or a related field" is one degree
requirement, not four skills; "1+ years of experience" is a years requirement. Lines under
"Requirements" are required, under "Nice to have" (or saying "a plus") preferred, under
"What you'll do" they weigh less, and company blurbs least. Skills and their synonyms come
from knowledge/resume/skills.yaml, degree fields from degree_fields.yaml.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bot.core.resume.background import degree_field_names
from bot.core.resume.lexicon import count_skills, skill_by_name

REQUIRED, PREFERRED, DUTIES, CONTEXT = "required", "preferred", "duties", "context"
FACTORS = {REQUIRED: 1.0, PREFERRED: 0.5, DUTIES: 0.6, CONTEXT: 0.3}
DEGREE_WEIGHT = 2.0
YEARS_WEIGHT = 1.5
PHRASE_WEIGHT = 0.5
MAX_PHRASES = 10

_REQUIRED_HEADING = re.compile(
    r"\b(?:require(?:d|ments?)|must[- ]haves?|minimum|basic qualifications|what you(?:'|’)?ll need|"
    r"you have|you bring|qualifications|who you are|essential|looking for|what we want|"
    r"about you|ideal candidate|skills and experience|must)\b",
    re.I,
)
_DUTIES_HEADING = re.compile(
    r"\b(?:responsibilit\w*|what you(?:'|’)?ll do|you will|the role|your role|day to day|"
    r"what you will do|duties|tasks)\b",
    re.I,
)
_PREFERRED = re.compile(
    r"\b(?:preferred|nice[- ]to[- ]haves?|bonus|a plus|desired|desirable|good to have|"
    r"ideally|advantage(?:ous)?)\b",
    re.I,
)
_DEGREE_WORDS = re.compile(
    r"\b(?:B\.?S\.?c?|M\.?S\.?c?|Ph\.?\s?D)\b|"
    r"\b(?i:bachelor(?:'|’)?s?|master(?:'|’)?s?|degree|undergraduate|graduate student|enrolled|"
    r"pursuing|studying)\b",
)
_DEGREE_LEVELS = (
    (1, re.compile(r"\b(?:B\.?S\.?c?|BA|bachelor(?:'|’)?s?|undergraduate)\b", re.I)),
    (2, re.compile(r"\b(?:M\.?S\.?c?|master(?:'|’)?s?)\b", re.I)),
    (3, re.compile(r"\bPh\.?\s?D\b", re.I)),
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_YEARS = re.compile(
    r"\b(\d{1,2}|one|two|three|four|five|six)\s*\+?\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?\+?\s*"
    r"(?:\(\d\)\s*)?years?\b",
    re.I,
)
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣●○■]|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class Requirement:
    """One thing a posting asks for. `kind` is "skill", "degree", "years" or "phrase";
    `options` are alternatives (skill names), degree fields, or the phrase; `level` is the
    degree level (1 BS, 2 MS, 3 PhD; 0 any) or the years asked for."""

    text: str
    kind: str
    options: tuple[str, ...]
    required: bool
    weight: float
    level: int = 0
    related_ok: bool = False

    def to_json(self) -> dict:
        return {"requirement": self.text, "kind": self.kind, "required": self.required}


def line_modes(jd_text: str) -> list[tuple[str, str]]:
    """Each JD line with its block: required, preferred, duties or context."""
    mode = CONTEXT
    result = []
    for line in jd_text.split("\n"):
        stripped = line.strip()
        words = stripped.split()
        heading = 0 < len(words) <= 8 and not stripped.endswith(".") and not _BULLET.match(line)
        if heading and _PREFERRED.search(stripped):
            mode = PREFERRED
        elif heading and _REQUIRED_HEADING.search(stripped):
            mode = REQUIRED
        elif heading and _DUTIES_HEADING.search(stripped):
            mode = DUTIES
        elif heading and not count_skills(stripped):
            mode = CONTEXT if mode == CONTEXT else mode
        result.append((line, PREFERRED if _PREFERRED.search(stripped) else mode))
    return result


def skill_mentions(line: str) -> list[tuple[int, int, str]]:
    """(start, end, skill) for each skill named in `line`, longest mention first at a place."""
    mentions = []
    for skill in skill_by_name().values():
        for pattern in skill.patterns:
            mentions.extend((m.start(), m.end(), skill.name) for m in pattern.finditer(line))
    mentions.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    kept: list[tuple[int, int, str]] = []
    for mention in mentions:  # drop mentions nested in a longer one ("SQL" in "Spark SQL")
        if kept and mention[0] < kept[-1][1]:
            continue
        kept.append(mention)
    return kept


def line_asks(line: str) -> list[tuple[str, ...]]:
    """Skills a line asks for; "A and B or C" is A, then B-or-C; "(x, y or z)" is one ask."""
    mentions = skill_mentions(line)
    chunks: list[list[str]] = []
    has_or: list[bool] = []
    for index, (start, _end, name) in enumerate(mentions):
        gap = line[mentions[index - 1][1] : start].strip().lower() if index else None
        joins = gap is not None and re.fullmatch(r"(?:,|/|or|,?\s*or|and/or|\(|,?\s*and)", gap)
        if joins and not re.fullmatch(r",?\s*and|\(", gap):
            if name not in chunks[-1]:
                chunks[-1].append(name)
            has_or[-1] = has_or[-1] or bool(re.search(r"\bor\b|/", gap))
        else:
            chunks.append([name])
            has_or.append(False)
    asks: list[tuple[str, ...]] = []
    for names, alternatives in zip(chunks, has_or):
        asks.extend([tuple(names)] if alternatives else [(name,) for name in names])
    return asks


def _degree_requirement(line: str, mode: str) -> Requirement | None:
    if not _DEGREE_WORDS.search(line) and not re.search(r"\bstudent\b", line, re.I):
        return None
    text = _BULLET.sub("", line).strip()
    lowered = text.lower()
    fields = tuple(
        name
        for name in degree_field_names()
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered)
    )
    fields = tuple(f for f in fields if not any(f != o and f in o for o in fields))
    related = bool(
        re.search(
            r"related (?:field|discipline|area|degree)|quantitative field|or similar|"
            r"or equivalent|similar field|relevant field|stem field",
            lowered,
        )
    )
    if not fields and not related:
        return None
    levels = [level for level, pattern in _DEGREE_LEVELS if pattern.search(text)]
    weight = DEGREE_WEIGHT * (1.0 if mode != PREFERRED else 0.5)
    return Requirement(
        text, "degree", fields, mode != PREFERRED, weight, min(levels, default=0), related
    )


def _years_requirement(line: str, mode: str) -> Requirement | None:
    match = _YEARS.search(line)
    if not match or not re.search(r"experience|building|working", line, re.I):
        return None
    text = _BULLET.sub("", line).strip()
    weight = YEARS_WEIGHT * (1.0 if mode != PREFERRED else 0.5)
    count = match.group(1).lower()
    years = int(count) if count.isdigit() else _NUMBER_WORDS[count]
    return Requirement(text, "years", (), mode != PREFERRED, weight, years)


def parse_requirements(jd_text: str) -> list[Requirement]:
    """Everything the posting asks for, each once, with its weight."""
    found: dict[tuple[str, tuple[str, ...]], Requirement] = {}
    counts: Counter[tuple[str, tuple[str, ...]]] = Counter()
    skills = skill_by_name()
    for line, mode in line_modes(jd_text):
        if not line.strip():
            continue
        special = [
            r for r in (_degree_requirement(line, mode), _years_requirement(line, mode)) if r
        ]
        for requirement in special:
            key = (requirement.kind, (requirement.text,))
            found.setdefault(key, requirement)
        if any(r.kind == "degree" for r in special):
            continue  # "Statistics, Mathematics" in a degree line are fields, not skills
        for ask in line_asks(line):
            key = ("skill", ask)
            counts[key] += 1
            weight = max(skills[name].weight for name in ask) * FACTORS[mode]
            if key not in found or found[key].weight < weight:
                text = " or ".join(ask)
                found[key] = Requirement(text, "skill", ask, mode == REQUIRED, weight)
    # A skill asked for alone elsewhere doesn't also need its "X or Y" alternative.
    # The single ask keeps the stronger weight and "required" of the two.
    singles = {key[1][0] for key in found if key[0] == "skill" and len(key[1]) == 1}
    for key in [k for k in found if k[0] == "skill" and len(k[1]) > 1]:
        for name in (n for n in key[1] if n in singles):
            single, group = found[("skill", (name,))], found[key]
            if group.weight > single.weight or group.required and not single.required:
                found[("skill", (name,))] = Requirement(
                    name, "skill", (name,), single.required or group.required,
                    max(single.weight, group.weight),
                )  # fmt: skip
        if any(name in singles for name in key[1]):
            del found[key]
    result = []
    for key, requirement in found.items():
        bonus = 1 + 0.25 * min(counts[key] - 1, 2) if counts[key] else 1
        result.append(_reweighted(requirement, requirement.weight * bonus))
    for phrase in repeated_phrases(jd_text):
        result.append(Requirement(phrase, "phrase", (phrase,), False, PHRASE_WEIGHT))
    return result


def _reweighted(requirement: Requirement, weight: float) -> Requirement:
    return Requirement(
        requirement.text, requirement.kind, requirement.options, requirement.required,
        weight, requirement.level, requirement.related_ok,
    )  # fmt: skip


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
