"""Records of the fake Bot API: what it stores and answers with (see fake_bot_api.py)."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import NamedTuple

TOKEN = "123456:TEST-SECRET-TOKEN-abcdef"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "CareerBot",
    "username": "careerbot_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}
# Without allowed_updates Telegram sends every kind of update except these.
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
# Form/multipart values arrive as strings (PTB JSON-encodes the rest); these stay strings.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "question",
        "explanation",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "url",
        "action",
        "parse_mode",
        "explanation_parse_mode",
        "question_parse_mode",
        "description",
        "title",
        "language_code",
        "secret_token",
    }
)


class ApiError(Exception):
    """An error answer: {"ok": false, "error_code": code, "description": ...}."""

    def __init__(
        self, code: int, description: str, retry_after: int | None = None, injected: bool = False
    ) -> None:
        super().__init__(description)
        self.code, self.description = code, description
        self.retry_after, self.injected = retry_after, injected

    def body(self) -> dict:
        body: dict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class Upload(NamedTuple):
    filename: str
    content: bytes
    mime_type: str | None


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    upload: Upload


@dataclass
class ApiCall:
    """One HTTP request to the fake: typed params, uploaded files and the answer it got."""

    method: str
    params: dict
    files: dict[str, Upload]
    status: int = 0
    response: dict = field(default_factory=dict)
    injected: bool = False  # answered by fail_next / block rather than by the method

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class SentMessage:
    """An outgoing message or an edit of one (`method` tells which); `message` is its API JSON."""

    method: str
    chat_id: int
    message_id: int
    text: str | None  # plain text after parse_mode; caption for media, question for polls
    raw_text: str | None  # as the bot sent it, markup included
    parse_mode: str | None
    reply_markup: dict | None
    message: dict
    params: dict
    files: dict[str, Upload]

    @property
    def buttons(self) -> list[dict]:
        return [b for row in (self.reply_markup or {}).get("inline_keyboard", []) for b in row]

    @property
    def poll(self) -> dict | None:
        return self.message.get("poll")


@dataclass
class FakePoll:
    id: str
    chat_id: int
    question: str
    options: list[str]
    type: str
    is_anonymous: bool
    allows_multiple_answers: bool
    correct_option_ids: list[int]
    explanation: str | None
    is_closed: bool = False
    message_id: int = 0
    answers: dict[int, list[int]] = field(default_factory=dict)  # user id -> option ids

    def to_api(self) -> dict:
        votes = [sum(i in ids for ids in self.answers.values()) for i in range(len(self.options))]
        poll = {
            "id": self.id,
            "question": self.question,
            "total_voter_count": len(self.answers),
            "options": [
                {"text": t, "voter_count": n, "persistent_id": str(i)}
                for i, (t, n) in enumerate(zip(self.options, votes))
            ],
            "is_closed": self.is_closed,
            "is_anonymous": self.is_anonymous,
            "type": self.type,
            "allows_multiple_answers": self.allows_multiple_answers,
            "allows_revoting": self.type != "quiz",
            "members_only": False,
        }
        if self.correct_option_ids:
            poll["correct_option_ids"] = self.correct_option_ids
        if self.explanation:
            poll["explanation"] = self.explanation
        return poll


def _coerce(params: dict) -> dict:
    typed = {}
    for key, value in params.items():
        if isinstance(value, str) and key not in _STRING_PARAMS:
            with contextlib.suppress(ValueError):
                decoded = json.loads(value)
                value = value if isinstance(decoded, str) else decoded
        typed[key] = value
    return typed
