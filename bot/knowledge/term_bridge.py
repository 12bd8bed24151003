"""The term bridge: English search terms found in a question written in another language.

No translation model runs here (none can be installed offline): knowledge/lang/terms.yaml lists,
for English terms of the guide's vocabulary, how students write them in other languages. A
question in another language is read for those spellings and the English terms stand in for it.

Two ways of matching, by writing system:
- scripts written without spaces (Chinese, Japanese, Korean, Thai): a spelling is found anywhere
  in the text, since words are not space-separated and Korean/Japanese attach particles
  ("포트폴리오는", "履歴書を");
- every other script: whole words, case- and accent-insensitive, where a text word may add a
  short ending to a spelling of 4 letters or more (plural, case: "currículos", "стажировку"
  for the stem "стажировк").
At each place the longest spelling wins ("机器学习" is machine learning, not its "学习").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.yaml_io import read_yaml

TERMS = Path("lang") / "terms.yaml"  # under the knowledge directory
LANGUAGES = frozenset(
    "en ko zh ja es pt fr de it nl ru uk vi id tr hi ar th pl".split()
)  # "en": extra English spellings and abbreviations ("ML", "CV")
SECTIONS = ("topics", "asks")  # what a question is about; how it asks ("how", "should I")
MAX_ENDING = 4  # letters a word may add to a spelling (plural, case, Turkish suffix)
MIN_STEM = 4  # a spelling this long or longer may take an ending; shorter: whole word only
MIN_SPELLING = 2  # a one-character spelling matches too much to be safe
# Writing systems without spaces between words: Han, kana, Hangul, Thai.
_UNSPACED = re.compile(
    "[\u0e00-\u0e7f\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]"
)
# A word: letters and digits, with the vowel signs of Indic scripts (not word characters to re).
_WORD = re.compile(r"[\w\u0900-\u0dff]+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Currículo' and 'curriculo' read the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"  # lang/terms.yaml, as a maintainer knows it


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(_UNSPACED.sub(" ", text)))


@dataclass(frozen=True)
class Term:
    english: str
    kind: str  # "topics" or "asks"


@dataclass
class TermBridge:
    """Spellings → English terms, indexed for one pass over a text."""

    # Unspaced spellings by their first character, longest first.
    by_char: dict[str, list[tuple[str, Term]]] = field(default_factory=dict)
    # Spaced spellings as word tuples, by their first word, longest first; with whether the
    # spelling is English (the term itself, or an "en" spelling).
    by_word: dict[str, list[tuple[tuple[str, ...], Term, bool]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    terms: int = 0

    @classmethod
    def empty(cls) -> TermBridge:
        return cls()

    @classmethod
    def load(cls, path: Path) -> TermBridge:
        """The bridge from a terms file; a broken entry is named in `problems` and skipped."""
        if not path.exists():
            return cls()
        try:
            data = read_yaml(path)
        except Exception as exc:  # noqa: BLE001 - any parse error: the file is named, not raised
            return cls(problems=[f"{_name(path)}: unreadable YAML ({exc})"])
        bridge = cls()
        if not isinstance(data, dict):
            bridge.problems.append(f"{_name(path)}: expected the sections {', '.join(SECTIONS)}")
            return bridge
        for section in SECTIONS:
            entries = data.get(section) or {}
            if not isinstance(entries, dict):
                bridge.problems.append(f"{_name(path)}: '{section}' must map English terms")
                continue
            for english, spellings in entries.items():
                problem = bridge._add(section, english, spellings)
                if problem:
                    bridge.problems.append(f"{_name(path)}: {section} › {english!r}: {problem}")
        for index in (bridge.by_char, bridge.by_word):
            for candidates in index.values():
                candidates.sort(key=lambda c: -len(c[0]))
        return bridge

    def _add(self, kind: str, english: object, spellings: object) -> str:
        """Index one entry, or say what is wrong with it (then nothing of it is indexed)."""
        if not isinstance(english, str) or not english.strip():
            return (
                "the English term must be a non-empty string (quote words YAML reads "
                "otherwise, such as yes, no, on, off, null or numbers)"
            )
        if not isinstance(spellings, dict):
            return "expected a language code → spellings mapping"
        found = {english.strip(): True}
        for language, value in spellings.items():
            if language not in LANGUAGES:
                return f"unknown language code {language!r} (known: {' '.join(sorted(LANGUAGES))})"
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                return f"{language}: spellings must be a string or a list of strings"
            short = [v for v in values if len(v.strip()) < MIN_SPELLING]
            if short:
                return f"{language}: spelling {short[0]!r} is too short to match safely"
            for v in values:
                found.setdefault(v.strip(), language == "en")
        term = Term(english.strip(), kind)
        for spelling, is_english in found.items():
            if len(spelling) < MIN_SPELLING:
                continue  # the English term "R" itself: only its listed spellings match
            if _UNSPACED.search(spelling):
                key = spelling.casefold()
                self.by_char.setdefault(key[0], []).append((key, term))
            elif words := tuple(_words(spelling)):
                self.by_word.setdefault(words[0], []).append((words, term, is_english))
        self.terms += 1
        return ""

    def match(self, text: str, foreign_only: bool = False) -> list[Term]:
        """The distinct terms the text spells, in the order they first appear (unspaced
        scripts first, then words). `foreign_only`: English spellings do not count (for a
        text that may be English)."""
        found: dict[Term, None] = {}
        lowered = text.casefold()
        i = 0
        while i < len(lowered):
            step = 1
            for spelling, term in self.by_char.get(lowered[i], ()):
                if lowered.startswith(spelling, i):
                    found.setdefault(term)
                    step = len(spelling)
                    break
            i += step
        if self.by_word:
            words = _words(text)
            i = 0
            while i < len(words):
                step = 1
                for spelling, term, is_english in self._word_candidates(words[i]):
                    if _words_match(words, i, spelling):
                        if not (foreign_only and is_english):
                            found.setdefault(term)
                        step = len(spelling)
                        break
                i += step
        return list(found)

    def _word_candidates(self, word: str) -> list[tuple[tuple[str, ...], Term, bool]]:
        """Spellings whose first word is this word or a stem of it, longest spelling first."""
        candidates = list(self.by_word.get(word, ()))
        for cut in range(1, MAX_ENDING + 1):
            if len(word) - cut < MIN_STEM:
                break
            candidates.extend(self.by_word.get(word[:-cut], ()))
        return sorted(candidates, key=lambda c: -len(c[0])) if len(candidates) > 1 else candidates


def _word_matches(word: str, spelling: str) -> bool:
    if word == spelling:
        return True
    return (
        len(spelling) >= MIN_STEM
        and word.startswith(spelling)
        and len(word) - len(spelling) <= MAX_ENDING
    )


def _words_match(words: list[str], start: int, spelling: tuple[str, ...]) -> bool:
    if start + len(spelling) > len(words):
        return False
    return all(_word_matches(words[start + n], s) for n, s in enumerate(spelling))
