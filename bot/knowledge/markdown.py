"""Markdown headings, read one way by everything that splits an article into sections."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")


def lines_with_headings(lines: Iterable[str]) -> Iterator[tuple[str, tuple[int, str] | None]]:
    """Each line with its heading as (level, text), or None: body text, and every line of a
    fenced code block (a `# comment` in code is not a heading)."""
    in_fence = False
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
            yield line, None
            continue
        match = None if in_fence else HEADING.match(line)
        yield line, ((len(match.group(1)), match.group(2).strip()) if match else None)
