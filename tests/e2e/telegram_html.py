"""Telegram's rules for what a bot may send, as the fake Bot API enforces them.

`parse_html` mirrors how the Bot API parses ``parse_mode=HTML`` (tdlib's parser): only Telegram's
tag subset, strictly nested, entities ``&lt; &gt; &amp; &quot;`` and numeric ones. It returns the
plain text and the entities Telegram would attach, so the fake can answer with a realistic
Message. Error texts follow Telegram's ("Unsupported start tag "x" at byte offset N", ...).
The other checks (lengths in UTF-16 code units, keyboards, polls, commands) raise `BadRequest`
whose text is the Bot API description without its "Bad Request: " prefix.

One deliberate difference: Telegram shows a bare ``&`` (or an unknown ``&name;``) literally, but
the project convention is to ``html.escape`` user text, so a bare ``&`` almost always means a
missing escape. ``strict_ampersand=True`` (the default) therefore rejects it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
        "tg-time",
    }
)
_SIMPLE_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_AMPERSAND = re.compile(
    r"&(?:#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}))|([a-zA-Z][a-zA-Z0-9]*))?(;?)"
)
_COMMAND = re.compile(r"(?<![\w/@])/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/])")
_MENTION = re.compile(r"(?<![\w@/])@[a-zA-Z0-9_]{5,32}(?!\w)")


class BadRequest(ValueError):
    """A request Telegram refuses with 400; str(self) follows "Bad Request: "."""


class EntityParseError(BadRequest):
    """The text is not valid Telegram HTML; str(self) is Telegram's reason."""


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _valid_ampersand(match: re.Match) -> bool:
    hex_code, dec_code, name, semicolon = match.groups()
    if not semicolon:
        return False
    if name is not None:
        return name in _NAMED_ENTITIES
    if hex_code is None and dec_code is None:
        return False
    code = int(hex_code, 16) if hex_code is not None else int(dec_code)
    return 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF


def _check_ampersands(text: str, strict: bool) -> str:
    """Strict: reject a bare `&`. Lenient: escape it, so it stays literal as on Telegram."""
    pieces, last = [], 0
    for match in _AMPERSAND.finditer(text):
        if _valid_ampersand(match):
            continue
        if strict:
            raise EntityParseError(
                f'Unescaped "&" at byte offset {_byte_offset(text, match.start())}: only &lt; '
                "&gt; &amp; &quot; and numeric entities are supported (escape user text with "
                "html.escape)"
            )
        pieces.append(text[last : match.start()] + "&amp;")
        last = match.start() + 1
    return "".join(pieces) + text[last:]


class _TelegramHTMLParser(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.plain: list[str] = []
        self.utf16_offset = 0
        self.open_tags: list[tuple[str, dict, int, int]] = []  # tag, attributes, utf16/str start
        self.entities: list[dict] = []

    def _index(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _where(self, index: int | None = None) -> str:
        index = self._index() if index is None else index
        return f"at byte offset {_byte_offset(self.source, index)}"

    def _append(self, text: str) -> None:
        self.plain.append(text)
        self.utf16_offset += utf16_len(text)

    def handle_data(self, data: str) -> None:
        if "<" in data:  # html.parser passes a `<` that starts no tag through as text
            index = self._index() + data.index("<")
            name = re.match(r"[^\s>]*", self.source[index + 1 :]).group(0).lower()
            if index + 1 + len(name) == len(self.source):
                raise EntityParseError(f"Unclosed start tag {self._where(index)}")
            raise EntityParseError(f'Unsupported start tag "{name}" {self._where(index)}')
        self._append(data)

    def handle_entityref(self, name: str) -> None:
        self._append(_NAMED_ENTITIES[name])

    def handle_charref(self, name: str) -> None:
        self._append(chr(int(name[1:], 16) if name[:1] in "xX" else int(name)))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in ALLOWED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{tag}" {self._where()}')
        attributes = {key: (value or "") for key, value in attrs}
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" {self._where()}')
        if tag == "tg-time" and not attributes.get("unix", "").isdigit():
            raise EntityParseError(f'Tag "tg-time" must have attribute "unix" {self._where()}')
        self.open_tags.append((tag, attributes, self.utf16_offset, len("".join(self.plain))))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        raise EntityParseError(f'Unsupported start tag "{tag}/" {self._where()}')

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags:
            raise EntityParseError(f"Unexpected end tag {self._where()}")
        open_tag, attributes, start, text_start = self.open_tags.pop()
        if tag != open_tag:
            raise EntityParseError(
                f'Unmatched end tag {self._where()}, expected "</{open_tag}>", found "</{tag}>"'
            )
        if self.utf16_offset > start:
            attributes.setdefault("href", "".join(self.plain)[text_start:])  # <a> without href
            self._add_entity(open_tag, attributes, start, self.utf16_offset - start)

    def _add_entity(self, tag: str, attributes: dict, offset: int, length: int) -> None:
        entity: dict = {"offset": offset, "length": length}
        if tag in _SIMPLE_ENTITY_TYPES:
            entity["type"] = _SIMPLE_ENTITY_TYPES[tag]
            language = attributes.get("class", "")
            if tag == "code" and language.startswith("language-"):
                entity["language"] = language.removeprefix("language-")
            last = self.entities[-1] if self.entities else None
            if (
                tag == "pre"
                and last
                and last["type"] == "code"
                and (last["offset"], last["length"]) == (offset, length)
            ):
                self.entities.pop()  # <pre><code class="language-x"> is one pre entity
                entity.update({k: v for k, v in last.items() if k == "language"})
        elif tag == "a":
            entity.update(type="text_link", url=attributes["href"])
        elif tag == "blockquote":
            entity["type"] = "expandable_blockquote" if "expandable" in attributes else "blockquote"
        elif tag == "tg-emoji":
            emoji_id = attributes.get("emoji-id", "")
            if not emoji_id.isdigit():
                raise EntityParseError("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=emoji_id)
        else:  # tg-time
            entity.update(type="date_time", unix_time=int(attributes["unix"]))
            if attributes.get("format"):
                entity["date_time_format"] = attributes["format"]
        self.entities.append(entity)

    def _reject_markup(self, kind: str) -> None:
        raise EntityParseError(f'Unsupported start tag "{kind}" {self._where()}')

    def handle_comment(self, data: str) -> None:
        self._reject_markup("!--")

    def handle_decl(self, decl: str) -> None:
        self._reject_markup("!" + decl.split()[0].lower() if decl.split() else "!")

    def unknown_decl(self, data: str) -> None:
        self._reject_markup("![" + data.split("[")[0].lower())

    def handle_pi(self, data: str) -> None:
        self._reject_markup("?" + data.split()[0].lower() if data.split() else "?")


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict]]:
    """Plain text and entities of Telegram HTML; raises EntityParseError like the Bot API would."""
    parser = _TelegramHTMLParser(_check_ampersands(text, strict_ampersand))
    parser.feed(parser.source)
    parser.close()
    if parser.open_tags:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{parser.open_tags[-1][0]}"'
        )
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(parser.plain), entities


def strip_text(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Telegram trims leading/trailing whitespace from a message and clips entities to match."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    end = utf16_len(stripped)
    clipped = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        stop = min(entity["offset"] + entity["length"] - shift, end)
        if stop > start:
            clipped.append({**entity, "offset": start, "length": stop - start})
    return stripped, clipped


def parse_formatted(
    text: str,
    parse_mode: str | None,
    *,
    strict_ampersand: bool = True,
) -> tuple[str, list[dict]]:
    """Text as Telegram stores it after applying `parse_mode` (only HTML is validated)."""
    if (parse_mode or "").lower() == "html":
        return strip_text(*parse_html(text, strict_ampersand=strict_ampersand))
    return strip_text(text, [])


def detect_entities(text: str) -> list[dict]:
    """Entities Telegram's clients attach to a user's message: /commands and @mentions."""
    found = []
    for kind, pattern in (("bot_command", _COMMAND), ("mention", _MENTION)):
        for match in pattern.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group(0)),
                }
            )
    return sorted(found, key=lambda e: e["offset"])


def formatted_text(
    text: str | None,
    parse_mode: str | None,
    *,
    limit: int,
    too_long: str,
    empty: str | None = None,
    strict_ampersand: bool = True,
) -> tuple[str, list[dict]]:
    """Parse like Telegram, then enforce the length limit on the resulting plain text."""
    try:
        plain, entities = parse_formatted(text or "", parse_mode, strict_ampersand=strict_ampersand)
    except EntityParseError as error:
        raise BadRequest(f"can't parse entities: {error}") from None
    if empty and not plain:
        raise BadRequest(empty)
    if utf16_len(plain) > limit:
        raise BadRequest(too_long)
    return plain, entities


def check_reply_markup(markup: dict | None) -> None:
    """Inline buttons need text and exactly one action; callback_data is 1-64 bytes."""
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise BadRequest(
                    "can't parse inline keyboard button: Text buttons are "
                    "unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise BadRequest("BUTTON_DATA_INVALID")


def check_poll(params: dict, max_options: int) -> tuple[list[str], list[int]]:
    """Option texts and correct option ids of a valid sendPoll request."""
    options = [o if isinstance(o, str) else o.get("text", "") for o in params.get("options") or []]
    question = params.get("question") or ""
    if not 1 <= utf16_len(question) <= 300:
        raise BadRequest("poll question length must be between 1 and 300")
    if len(options) < 2:
        raise BadRequest("poll must have at least 2 option")
    if len(options) > max_options:
        raise BadRequest(f"poll can't have more than {max_options} options")
    if any(not 1 <= utf16_len(option) <= 100 for option in options):
        raise BadRequest("poll options length must be between 1 and 100")
    correct = params.get("correct_option_ids")
    if correct is None and params.get("correct_option_id") is not None:
        correct = [params["correct_option_id"]]
    correct = [int(i) for i in correct or []]
    if params.get("type") == "quiz" and (
        not correct
        or any(not 0 <= i < len(options) for i in correct)
        or correct != sorted(set(correct))
    ):
        raise BadRequest("wrong correct option IDs specified")
    return options, correct


def check_commands(commands: list[dict]) -> None:
    if len(commands) > 100:
        raise BadRequest("too many commands")
    for command in commands:
        if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
            raise BadRequest("BOT_COMMAND_INVALID")
        if not 1 <= len(command.get("description", "")) <= 256:
            raise BadRequest("command description must be non-empty")


CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def check_chat_action(action: object) -> None:
    if action not in CHAT_ACTIONS:
        raise BadRequest("wrong parameter action in request")
