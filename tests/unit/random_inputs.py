"""Seeded nonsense of several kinds, for the gibberish tests: 200 strings from each generator."""

from __future__ import annotations

import random
import string

KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl;", "zxcvbnm,./", "1234567890"]
IDENTIFIERS = ["df", "x", "model", "arr", "i", "self", "data", "np", "foo", "tmp", "y_pred"]
CODE_TEMPLATES = [
    "{a}.{b}({c})",
    "print({a}.{b}())",
    "for {a} in range({n}): {b} += {a}",
    "def {a}({b}): return {b} * {n}",
    "import {a} as {b}",
    "{a} = [{n}, {m}, {n}]",
    "if ({a} == {n}) {{ {b}++; }}",
    "SELECT * FROM {a} WHERE {b} = {n};",
    '<div class="{a}">{b}</div>',
    'Traceback (most recent call last): File "{a}.py", line {n}',
    "0x{h} segfault",
    "{a}->{b} = NULL;",
    "const {a} = ({b}) => {b}.{a};",
    "$ {a} --{b}={n}",
    '{{"{a}": {n}, "{b}": null}}',
]


def _letters(rng: random.Random) -> str:
    words = [
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 10)))
        for _ in range(rng.randint(1, 6))
    ]
    return " ".join(words)


def _printable(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + string.punctuation + " " * 10
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(3, 60)))


def _keyboard_mash(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(1, 4)):
        row = rng.choice(KEYBOARD_ROWS[:3])
        start = rng.randrange(len(row) - 3)
        run = row[start : start + rng.randint(3, len(row) - start)]
        if rng.random() < 0.5:
            run = "".join(rng.sample(run, len(run)))
        pieces.append(run * rng.randint(1, 2))
    return " ".join(pieces) + rng.choice(["", "", "?", "!!"])


def _code(rng: random.Random) -> str:
    a, b = rng.sample(IDENTIFIERS, 2)
    return rng.choice(CODE_TEMPLATES).format(
        a=a,
        b=b,
        c=rng.choice(IDENTIFIERS),
        n=rng.randint(0, 99),
        m=rng.randint(0, 9),
        h="".join(rng.choice("0123456789abcdef") for _ in range(12)),
    )


def _unicode_mix(rng: random.Random) -> str:
    ranges = [(0x00C0, 0x024F), (0x0370, 0x03FF), (0x2190, 0x22FF), (0x0021, 0x007E)]
    out = []
    for _ in range(rng.randint(3, 30)):
        low, high = rng.choice(ranges)
        out.append(chr(rng.randint(low, high)))
        if rng.random() < 0.15:
            out.append(" ")
    return "".join(out)


def _alphanumeric_tokens(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits
    return " ".join(
        "".join(rng.choice(alphabet) for _ in range(rng.randint(3, 12)))
        for _ in range(rng.randint(1, 5))
    )


def _consonant_clusters(rng: random.Random) -> str:
    consonants = "bcdfghjklmnpqrstvwxz"
    return " ".join(
        "".join(rng.choice(consonants) for _ in range(rng.randint(3, 8)))
        for _ in range(rng.randint(1, 5))
    )


def _upper_and_digits(rng: random.Random) -> str:
    alphabet = string.ascii_uppercase + string.digits + "-_#"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(4, 40)))


GENERATORS = {
    "letters": _letters,
    "printable": _printable,
    "keyboard_mash": _keyboard_mash,
    "code": _code,
    "unicode_mix": _unicode_mix,
    "alphanumeric": _alphanumeric_tokens,
    "consonants": _consonant_clusters,
    "upper_digits": _upper_and_digits,
}


def random_inputs(per_generator: int = 200, seed: int = 20261201) -> list[tuple[str, str]]:
    """(generator name, string) pairs: 1,600 with the defaults."""
    rng = random.Random(seed)
    return [(name, make(rng)) for name, make in GENERATORS.items() for _ in range(per_generator)]
