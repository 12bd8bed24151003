"""One heading reader for articles: ingest's sections and what bank entries may cite."""

from __future__ import annotations

from bot.knowledge.markdown import lines_with_headings
from ingest.loaders import markdown_sections

ARTICLE = (
    "# Top\n\nIntro text.\n\n## Middle ##\n\n```python\n# a code comment, not a heading\n```\n\n"
    "### Low\n\nLow text.\n\n#### Deep\n\nDeep text.\n    # indented code, not a heading\n"
)


def test_headings_outside_code_fences_only():
    found = [h for _, h in lines_with_headings(ARTICLE.splitlines()) if h]
    assert found == [(1, "Top"), (2, "Middle"), (3, "Low"), (4, "Deep")]


def test_sections_keep_a_code_comment_as_text():
    title, sections = markdown_sections(ARTICLE)
    assert title == "Top"
    assert [s.heading for s in sections] == ["Top", "Middle", "Low", "Deep"]
    middle = sections[1]
    assert "# a code comment, not a heading" in middle.text
    assert sections[3].parents == ("Middle", "Low")
