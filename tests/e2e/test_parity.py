"""The terminal chat and Telegram give the same answer to the same question, and what Telegram
gets stays within its limits (≤ 4096 UTF-16 units a message, valid HTML of its tag subset)."""

from __future__ import annotations

import io

import pytest

from bot.config import PROJECT_ROOT
from bot.core.answers.compose import Answer, AnswerPoint, Source
from bot.knowledge.yaml_io import read_yaml
from bot.telegram.render import (
    MAX_MESSAGE,
    answer_blocks,
    passage_html,
    split_message,
    telegram_length,
)
from bot.terminal.chat import run_terminal_chat
from tests.e2e.conftest import serving as polling
from tests.e2e.telegram_html import parse_html

LONG = "should my github projects have a readme? " + "really " * 1400  # > 10,000 characters


def parity_questions() -> list[str]:
    """Every kind of reply: dev questions of each kind (every 7th), then odd input."""
    dev = read_yaml(PROJECT_ROOT / "knowledge" / "eval" / "dev.yaml")["questions"]
    return [str(item["q"]) for item in dev[::7]] + [
        "How do I get a machine learning internship?",  # the overview
        "asdkjh qwe zxcv",
        "¿Cómo consigo una pasantía de aprendizaje automático?",  # bridged: the overview
        "포트폴리오와 이력서는 <어떻게> 준비하나요?",  # bridged, with HTML-looking text
        "¿Cuál es la capital de Francia?",  # the bridge reads nothing: the language reply
        "<b>kaggle</b> & co: worth it?",
        LONG,
    ]


def terminal_reply(service, question: str) -> str:
    """What `careerbot chat` prints for one question (its banner cut off)."""
    out = io.StringIO()
    run_terminal_chat(service, stdin=io.StringIO(question + "\n"), stdout=out)
    return out.getvalue().split("\n", 3)[3]  # the banner is three lines


def comparable_lines(text: str) -> list[str]:
    """Lines as both adapters show them, minus what only one has: Telegram's '📖 Sources'
    heading, the terminal's '/more' hint (Telegram has step buttons) and its brackets around
    a note, bullet indentation."""
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line == "📖 Sources" or line.startswith("Type /more"):
            continue
        if line.startswith("(") and line.endswith(")") and "characters" in line:
            line = line[1:-1]  # the note ("Your message was long, …")
        lines.append(line)
    return lines


async def test_terminal_and_telegram_give_the_same_answer(fake_api, make_bot, answer_service):
    questions = parity_questions()
    expected = {q: len(split_message(answer_blocks(answer_service.answer(q)))) for q in questions}
    received: dict[str, list] = {}
    async with polling(make_bot()):
        for n, question in enumerate(questions):
            user = fake_api.user(500 + n)  # one user each: no flood guard in the way
            user.send_text(question)
            received[question] = await fake_api.wait_for_messages(
                user.chat_id, expected[question], timeout=30
            )
    kinds = set()
    for question in questions:
        messages = received[question]
        assert len(messages) == expected[question]
        for message in messages:
            assert message.parse_mode == "HTML" and len(message.text) <= MAX_MESSAGE
        telegram = "\n\n".join(m.text for m in messages)
        terminal = terminal_reply(answer_service, question)
        assert comparable_lines(telegram) == comparable_lines(terminal), question[:80]
        kinds.add(answer_service.answer(question).kind)
    assert {"answer", "overview", "off_topic", "gibberish", "language"} <= kinds, kinds
    assert "read its first 1,000 characters" in "".join(m.text for m in received[LONG])


def test_a_long_answer_is_split_within_telegrams_limits():
    passage = "Projects <matter> & so do “quotes”. " * 60
    sources = [Source(f"Guide › Part {i} & <more>", passage, 0.9, f"p{i}") for i in range(12)]
    points = [AnswerPoint(passage, i) for i in range(12)]
    text = "\n\n".join(f"{passage} [{i + 1}]" for i in range(12))  # ~26,000 characters
    answer = Answer("q", text, True, "answer", sources=sources, points=points)
    messages = split_message(answer_blocks(answer))
    assert len(messages) > 6
    plain = []
    for html in messages:
        assert telegram_length(html) <= MAX_MESSAGE
        text_only, _ = parse_html(html)  # raises as the Bot API would on broken HTML
        plain.append(text_only)
    joined = "\n\n".join(plain)
    assert joined.count("Projects <matter> & so do “quotes”.") == 12 * 60
    assert "[12] Guide › Part 11 & <more>" in joined


@pytest.mark.parametrize(
    "text",
    [
        "A & B <c> " * 1200,  # entities everywhere, no line break
        "x" * 9000,  # nowhere nice to cut
        "word 😀 " * 3000,  # two UTF-16 units per emoji
        "ab\n" + "y" * 9000,  # one early line break only
    ],
)
def test_one_huge_block_is_cut_outside_tags_and_entities(text):
    def squeezed(value: str) -> str:  # a cut may drop the line break or space it falls on
        return value.replace("\n", "").replace(" ", "")

    for blocks, shown in (
        (answer_blocks(Answer("q", text, False, "off_topic")), text),
        ([passage_html("Guide › Part", text)], "📖 Guide › Part" + text),  # in a <blockquote>
    ):
        messages = split_message(blocks)
        assert len(messages) > 1
        assert all(telegram_length(html) <= MAX_MESSAGE for html in messages)
        assert all(telegram_length(html) > MAX_MESSAGE // 2 for html in messages[:-1])
        plain = [parse_html(html)[0] for html in messages]  # raises on broken HTML
        assert squeezed("".join(plain)) == squeezed(shown)
