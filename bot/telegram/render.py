"""Answers and replies as Telegram HTML (escaped, ≤ 4096 characters a message) and keyboards."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.answers.compose import CITATION, Answer
from bot.knowledge.text import telegram_length

MAX_MESSAGE = 4096
MAX_STEP_LABEL = 40
NOOP = "noop"


def _cut_html(block: str, limit: int) -> tuple[str, str]:
    """Cut an over-long HTML block: the longest head that fits `limit` once its open tags are
    closed, ending at a line break (else a space, else anywhere) outside tags and entities.
    The tail reopens what the head closed, so both halves stay valid Telegram HTML."""
    open_tags: list[tuple[str, str]] = []  # (tag as written, name)
    best: dict[str, tuple[int, list]] = {}  # separator kind → (cut index, open tags there)
    units = i = 0
    while i < len(block):
        closing = sum(len(name) + 3 for _, name in open_tags)  # "</name>" each
        if units + closing > limit:
            break
        char = block[i]
        if char in "<&":  # a tag or an entity: cut before it, never inside
            best["any"] = (i, list(open_tags))
            end = block.find(">" if char == "<" else ";", i)
            end = len(block) - 1 if end < 0 else end
            token = block[i : end + 1]
            if token.startswith("</"):
                open_tags.pop()
            elif char == "<" and not token.endswith("/>"):
                open_tags.append((token, token[1:].split(">")[0].split()[0]))
            units += len(token.encode("utf-16-le")) // 2
            i = end + 1
            continue
        kind = "line" if char == "\n" else "space" if char == " " else "any"
        best[kind] = (i, list(open_tags))
        units += 2 if ord(char) > 0xFFFF else 1
        i += 1
    if i >= len(block):
        return block, ""
    # A line break in the second half, else a space there, else the last clean place.
    usable = [best[k] for k in ("line", "space") if k in best and best[k][0] >= i // 2]
    cut, tags = (usable or [best.get("any", (0, []))])[0]
    if cut == 0:  # never an empty head
        cut, tags = i, open_tags
    head = block[:cut] + "".join(f"</{name}>" for _, name in reversed(tags))
    return head, "".join(tag for tag, _ in tags) + block[cut:].lstrip("\n ")


def split_message(blocks: list[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Join self-contained HTML blocks into messages under the limit, never cutting a tag or
    an entity (a block too long for one message is cut by _cut_html)."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        while telegram_length(block) > limit:
            if current:
                messages.append(current)
                current = ""
            piece, block = _cut_html(block, limit)
            messages.append(piece)
        candidate = f"{current}\n\n{block}" if current else block
        if telegram_length(candidate) > limit:
            messages.append(current)
            current = block
        else:
            current = candidate
    if current:
        messages.append(current)
    return messages


def answer_blocks(answer: Answer) -> list[str]:
    """The answer as HTML blocks: note, quoted points per source, then the source list."""
    blocks: list[str] = []
    if answer.note:
        blocks.append(f"<i>{escape(answer.note)}</i>")
    if not answer.in_scope:
        blocks.append(escape(answer.text))
        if answer.suggestions:
            tries = "\n".join(f"• {escape(s)}" for s in answer.suggestions)
            blocks.append(f"<b>Try asking:</b>\n{tries}")
        return blocks
    # The same text as the terminal's, block for block; only the citation marks are styled.
    for block in answer.text.split("\n\n"):
        blocks.append(CITATION.sub(r"<i>\g<0></i>", escape(block)))
    cited = "\n".join(f"[{i}] {escape(s.title)}" for i, s in enumerate(answer.sources, start=1))
    blocks.append(f"📖 <b>Sources</b>\n{cited}")
    return blocks


def answer_keyboard(
    answer: Answer, log_id: int | None, voted: bool = False
) -> InlineKeyboardMarkup | None:
    """One button per source (shows the passage), then 👍/👎 (or a thank-you once voted)."""
    rows: list[list[InlineKeyboardButton]] = []
    for n, step in enumerate(answer.steps, start=1):  # an overview: one button per step
        label = f"{n}. {step}"
        if len(label) > MAX_STEP_LABEL:
            label = label[: MAX_STEP_LABEL - 1].rstrip() + "…"
        rows.append([InlineKeyboardButton(label, callback_data=f"step:{n}")])
    if answer.sources and not answer.steps:
        rows.append(
            [
                InlineKeyboardButton(f"📖 Source {i}", callback_data=f"src:{s.passage_id}")
                for i, s in enumerate(answer.sources, start=1)
            ]
        )
    if log_id is not None and answer.in_scope:
        if voted:
            rows.append([InlineKeyboardButton("🙏 Thanks for the feedback!", callback_data=NOOP)])
        else:
            rows.append(
                [
                    InlineKeyboardButton("👍", callback_data=f"fb:{log_id}:1"),
                    InlineKeyboardButton("👎", callback_data=f"fb:{log_id}:-1"),
                ]
            )
    return InlineKeyboardMarkup(rows) if rows else None


def step_html(section: str, passages: list) -> str:
    """One overview step in full: the section's text, cited (fits one message)."""
    body = escape("\n".join(p.text for p in passages))
    citation = escape(passages[0].citation if passages else section)
    html = f"<b>{escape(section)}</b>\n\n{body}\n\n📖 <i>{citation}</i>"
    return html if telegram_length(html) <= MAX_MESSAGE else split_message([html])[0]


GAP_EXAMPLE_CHARS = 160  # ten questions per list stay far below one message


def gaps_html(title: str, questions, empty: str) -> str:
    """A titled list of knowledge gaps (core.gaps.GapQuestion): wording, count, last seen."""
    lines = [f"<b>{escape(title)}</b>"]
    for n, q in enumerate(questions, start=1):
        example = q.example if len(q.example) <= GAP_EXAMPLE_CHARS else q.example[:159] + "…"
        lines.append(f"{n}. {escape(example)} — ×{q.count}, last {q.last_seen:%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines if questions else [*lines, empty])


def passage_html(citation: str, text: str) -> str:
    return f"📖 <b>{escape(citation)}</b>\n\n<blockquote>{escape(text)}</blockquote>"


def keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Callback keyboard from (label, data) pairs."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )
