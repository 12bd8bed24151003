"""A fake Telegram Bot API server for end-to-end tests: real HTTP on 127.0.0.1, real PTB client.

    app = app_builder.build()            # conftest: ApplicationBuilder pointed at `fake_api`
    app.add_handler(CommandHandler("start", start))
    async with polling(app):
        fake_api.user(42, "Ada").send_text("/start")
        [reply] = await fake_api.wait_for_messages(42, 1)

Tests act as users (`send_text`, `press_button`, `answer_poll`, ...), inspect what the bot did
(`sent_messages`, `calls`, `wait_for_messages`) and inject faults (`fail_next`, `block`).
Requests are validated the way Telegram does (rules in telegram_html.py); a chat must have been
seen (a user or update created for it) before the bot can send to it, as on Telegram.
"""
from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import itertools
import json
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Callable, NamedTuple

from aiohttp import web

from .telegram_html import (BadRequest, check_chat_action, check_commands, check_poll,
                            check_reply_markup, detect_entities, formatted_text)

TOKEN = "123456:TEST-SECRET-TOKEN-abcdef"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "CareerBot",
            "username": "careerbot_test_bot", "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False,
            "can_connect_to_business": False, "has_main_web_app": False}
# Without allowed_updates Telegram sends every kind of update except these.
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")
# Form/multipart values arrive as strings (PTB JSON-encodes the rest); these stay strings.
_STRING_PARAMS = frozenset({
    "text", "caption", "question", "explanation", "callback_query_id", "inline_message_id",
    "file_id", "url", "action", "parse_mode", "explanation_parse_mode", "question_parse_mode",
    "description", "title", "language_code", "secret_token"})


class ApiError(Exception):
    """An error answer: {"ok": false, "error_code": code, "description": ...}."""

    def __init__(self, code: int, description: str, retry_after: int | None = None,
                 injected: bool = False) -> None:
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
        poll = {"id": self.id, "question": self.question, "total_voter_count": len(self.answers),
                "options": [{"text": t, "voter_count": n, "persistent_id": str(i)}
                            for i, (t, n) in enumerate(zip(self.options, votes))],
                "is_closed": self.is_closed, "is_anonymous": self.is_anonymous,
                "type": self.type, "allows_multiple_answers": self.allows_multiple_answers,
                "allows_revoting": self.type != "quiz", "members_only": False}
        if self.correct_option_ids:
            poll["correct_option_ids"] = self.correct_option_ids
        if self.explanation:
            poll["explanation"] = self.explanation
        return poll


class FakeUser:
    """A user of the fake: its update helpers without the user_id argument, and its chat."""
    _BOUND = frozenset({"press_button", "answer_poll", "member_status"})

    def __init__(self, api: FakeBotApi, user_id: int, chat: dict) -> None:
        self.api, self.id, self.chat_id, self.chat_type = api, user_id, chat["id"], chat["type"]

    def __getattr__(self, name: str) -> Callable:
        if name in ("send_text", "send_document"):  # into this user's chat unless told otherwise
            return functools.partial(getattr(self.api, name), self.id, chat_id=self.chat_id,
                                     chat_type=self.chat_type)
        if name in self._BOUND:
            return functools.partial(getattr(self.api, name), self.id)
        raise AttributeError(name)

    def messages(self) -> list[SentMessage]:
        return self.api.sent_messages(self.chat_id)


def _coerce(params: dict) -> dict:
    typed = {}
    for key, value in params.items():
        if isinstance(value, str) and key not in _STRING_PARAMS:
            with contextlib.suppress(ValueError):
                decoded = json.loads(value)
                value = value if isinstance(decoded, str) else decoded
        typed[key] = value
    return typed


class FakeBotApi:
    max_poll_options = 10  # Bot API 9.1+ allows 12; the project keeps to the older 10.

    def __init__(self, token: str = TOKEN, *, strict_ampersand: bool = True) -> None:
        self.token, self.strict_ampersand, self.port = token, strict_ampersand, 0
        self.bot_user = dict(BOT_USER, id=int(token.split(":")[0]))
        self.webhook_url, self.commands = "", {}  # commands: (scope type, language) -> list
        self.chat_actions: list[tuple[int, str]] = []
        self.polls: dict[str, FakePoll] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_answers: list[dict] = []
        self.deleted_messages: list[tuple[int, int]] = []
        self.dropped_updates: list[dict] = []  # filtered out by allowed_updates, as on Telegram
        self.internal_errors: list[Exception] = []  # the fake's own bugs (conftest fails on them)
        self._calls: list[ApiCall] = []
        self._sent: list[SentMessage] = []
        self._updates: list[dict] = []
        self._messages: dict[tuple[int, int], dict] = {}
        self._chats: dict[int, dict] = {}
        self._users: dict[int, dict] = {}
        self._faults: list[dict] = []
        self._blocked: set[int] = set()
        self._open_queries: set[str] = set()
        self._allowed_updates: set[str] | None = None
        self._ids, self._update_ids = itertools.count(1), itertools.count(10_000)
        self._message_ids: dict[int, itertools.count] = {}
        self._poller, self._closing = 0, False
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None

    # ---- lifecycle --------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> FakeBotApi:
        app = web.Application(client_max_size=60 * 2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=2)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._notify()  # release pending long polls so shutdown does not wait for them
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---- acting as users: each helper enqueues the update Telegram would send -----------------
    def user(self, user_id: int, first_name: str = "Test", *, username: str | None = None,
             last_name: str | None = None, language_code: str = "en",
             chat_type: str = "private", chat_id: int | None = None) -> FakeUser:
        user = {"id": user_id, "is_bot": False, "first_name": first_name,
                "language_code": language_code}
        user.update({k: v for k, v in (("username", username), ("last_name", last_name)) if v})
        self._users[user_id] = user
        return FakeUser(self, user_id, self._register_chat(user_id, chat_id, chat_type))

    def send_text(self, user_id: int, text: str, *, chat_id: int | None = None,
                  chat_type: str = "private", reply_to_message_id: int | None = None) -> dict:
        """A text message (/commands and @mentions get their entities); returns the Message."""
        chat = self._register_chat(user_id, chat_id, chat_type)
        fields: dict[str, Any] = {"text": text}
        if entities := detect_entities(text):
            fields["entities"] = entities
        if reply_to_message_id is not None:
            fields["reply_to_message"] = self._visible(chat["id"], reply_to_message_id)
        return self._enqueue("message", self._new_message(chat["id"], user_id, **fields))

    def send_document(self, user_id: int, filename: str, content: bytes,
                      mime_type: str = "application/octet-stream", *, caption: str | None = None,
                      chat_id: int | None = None, chat_type: str = "private") -> dict:
        """A document message; getFile and the file download then serve `content`."""
        chat = self._register_chat(user_id, chat_id, chat_type)
        stored = self._store_file("documents", Upload(filename, content, mime_type))
        fields: dict[str, Any] = {"document": self._document_json(stored)}
        if caption:
            fields.update(caption=caption, caption_entities=detect_entities(caption))
        return self._enqueue("message", self._new_message(chat["id"], user_id, **fields))

    def press_button(self, user_id: int, message: SentMessage | dict | int,
                     callback_data: str) -> str:
        """Press an inline button the message shows *now*; returns the callback query id."""
        if isinstance(message, SentMessage):
            chat_id, message_id = message.chat_id, message.message_id
        elif isinstance(message, dict):
            chat_id, message_id = message["chat"]["id"], message["message_id"]
        else:
            chat_id, message_id = self._private_chat(user_id)["id"], message
        current = self._visible(chat_id, message_id)
        rows = current.get("reply_markup", {}).get("inline_keyboard", [])
        if callback_data not in [b.get("callback_data") for row in rows for b in row]:
            raise AssertionError(f"message {message_id} has no button with callback_data "
                                 f"{callback_data!r}; its keyboard is {rows}")
        query_id = str(next(self._ids) * 1_000_003)
        self._open_queries.add(query_id)
        self._enqueue("callback_query", {"id": query_id, "from": self._users[user_id],
                                         "chat_instance": str(chat_id), "message": current,
                                         "data": callback_data})
        return query_id

    def answer_poll(self, user_id: int, poll_id: str, option_ids: list[int]) -> dict:
        """The user votes in a (non-anonymous, open) poll: a poll_answer update."""
        poll = self.polls[poll_id]
        if poll.is_closed or poll.is_anonymous:
            raise AssertionError(f"poll {poll_id} is closed or anonymous: no poll_answer update")
        if user_id in poll.answers and poll.type == "quiz":
            raise AssertionError("a quiz answer cannot be changed")
        if not all(0 <= i < len(poll.options) for i in option_ids) or (
                len(option_ids) > 1 and not poll.allows_multiple_answers):
            raise AssertionError(f"invalid option_ids {option_ids} for poll {poll_id}")
        poll.answers[user_id] = list(option_ids)
        return self._enqueue("poll_answer", {
            "poll_id": poll_id, "user": self._users[user_id], "option_ids": list(option_ids),
            "option_persistent_ids": [str(i) for i in option_ids]})

    def member_status(self, user_id: int, status: str = "kicked") -> dict:
        """The user blocks ("kicked") or restarts ("member") the bot: a my_chat_member update.
        "kicked" also blocks the chat (sends answer 403) and "member" unblocks it."""
        chat = self._private_chat(user_id)
        old = "kicked" if chat["id"] in self._blocked else "member"
        (self.block if status == "kicked" else self.unblock)(chat["id"])

        def member(state: str) -> dict:
            return {"status": state, "user": self.bot_user,
                    **({"until_date": 0} if state == "kicked" else {})}
        return self._enqueue("my_chat_member", {
            "chat": chat, "from": self._users[user_id], "date": int(time.time()),
            "old_chat_member": member(old), "new_chat_member": member(status)})

    # ---- fault injection ---------------------------------------------------------------------
    def fail_next(self, method: str, status: int = 429, retry_after: int = 1, times: int = 1,
                  chat_id: int | None = None, description: str | None = None) -> None:
        """The next `times` calls of `method` ("*" = any), optionally only those for `chat_id`,
        answer `status` (429 carries parameters.retry_after) instead of doing anything."""
        description = description or {
            429: f"Too Many Requests: retry after {retry_after}",
            403: "Forbidden: bot was blocked by the user", 400: "Bad Request"}.get(
                status, HTTPStatus(status).phrase)
        error = ApiError(status, description, retry_after if status == 429 else None, True)
        self._faults.append({"method": method.lower(), "chat_id": chat_id, "times": times,
                             "error": error})

    def block(self, chat_id: int) -> None:
        """Every call for `chat_id` (but getChat) answers 403 "bot was blocked" until unblock."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    # ---- inspection ----------------------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[ApiCall]:
        return [c for c in self._calls if method is None or c.method.lower() == method.lower()]

    def failures(self) -> list[ApiCall]:
        """Every call answered with an error, injected (`.injected`) or earned."""
        return [c for c in self._calls if not c.ok]

    def sent_messages(self, chat_id: int | None = None, method: str | None = None,
                      ) -> list[SentMessage]:
        return [m for m in self._sent
                if chat_id in (None, m.chat_id) and method in (None, m.method)]

    def message(self, chat_id: int, message_id: int) -> dict | None:
        """A message as it is now (after edits), or None if deleted or unknown."""
        return self._messages.get((chat_id, message_id))

    @property
    def pending_updates(self) -> list[dict]:
        return list(self._updates)

    async def wait_for_messages(self, chat_id: int, count: int, timeout: float = 10,
                                method: str | None = None) -> list[SentMessage]:
        """All messages to `chat_id` (sends and edits, or only `method`) once there are `count`."""
        if not await self._wait_until(
                lambda: len(self.sent_messages(chat_id, method)) >= count, timeout):
            got = [(m.method, m.text) for m in self.sent_messages(chat_id, method)]
            errors = [(c.method, c.status, c.response.get("description"))
                      for c in self.failures()]
            raise AssertionError(f"expected {count} messages to chat {chat_id} within "
                                 f"{timeout}s, got {got}; failed calls: {errors}")
        return self.sent_messages(chat_id, method)

    async def wait_for_calls(self, method: str, count: int = 1, timeout: float = 10,
                             ) -> list[ApiCall]:
        if not await self._wait_until(lambda: len(self.calls(method)) >= count, timeout):
            raise AssertionError(f"expected {count} {method} calls within {timeout}s, got "
                                 f"{len(self.calls(method))}")
        return self.calls(method)

    # ---- state ---------------------------------------------------------------------------------
    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, predicate: Callable[[], Any], timeout: float) -> bool:
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return False
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return True

    def _enqueue(self, kind: str, payload: dict) -> dict:
        # A snapshot: later edits of a stored message must not rewrite queued updates.
        update = {"update_id": next(self._update_ids), kind: copy.deepcopy(payload)}
        allowed = (kind in self._allowed_updates if self._allowed_updates
                   else kind not in NOT_BY_DEFAULT)
        (self._updates if allowed else self.dropped_updates).append(update)
        self._notify()
        return payload

    def _register_chat(self, user_id: int, chat_id: int | None, chat_type: str) -> dict:
        if user_id not in self._users:
            self.user(user_id)
        if chat_type == "private":
            return self._private_chat(user_id)
        chat_id = chat_id if chat_id is not None else -1_000_000_000_000 - user_id
        return self._chats.setdefault(chat_id, {"id": chat_id, "type": chat_type,
                                                "title": f"Test {chat_type} {chat_id}"})

    def _private_chat(self, user_id: int) -> dict:
        user = self._users[user_id]
        chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
        chat.update({k: user[k] for k in ("username", "last_name") if k in user})
        return self._chats.setdefault(user_id, chat)

    def _chat(self, chat_id: Any) -> dict:
        if chat_id not in self._chats:  # Telegram: a user must have talked to the bot first
            raise ApiError(400, "Bad Request: chat not found")
        return self._chats[chat_id]

    def _new_message(self, chat_id: int, sender_id: int, **fields: Any) -> dict:
        message_id = next(self._message_ids.setdefault(chat_id, itertools.count(1)))
        sender = self.bot_user if sender_id == self.bot_user["id"] else self._users[sender_id]
        message = {"message_id": message_id, "from": sender, "chat": self._chats[chat_id],
                   "date": int(time.time()), **fields}
        self._messages[(chat_id, message_id)] = message
        return message

    def _visible(self, chat_id: int, message_id: int) -> dict:
        if (chat_id, message_id) not in self._messages:
            raise AssertionError(f"no message {message_id} in chat {chat_id} (deleted?)")
        return self._messages[(chat_id, message_id)]

    def _stored(self, chat_id: Any, message_id: Any, error: str) -> dict:
        if (chat_id, message_id) not in self._messages:
            raise ApiError(400, f"Bad Request: {error}")
        return self._messages[(chat_id, message_id)]

    def _store_file(self, folder: str, upload: Upload) -> StoredFile:
        number = next(self._ids)
        suffix = upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "bin"
        stored = StoredFile(f"FILE-{number:06d}-{folder}", f"U{number:06d}",
                            f"{folder}/file_{number}.{suffix}", upload)
        self.files[stored.file_id] = stored
        return stored

    @staticmethod
    def _document_json(stored: StoredFile) -> dict:
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_name": stored.upload.filename, "mime_type": stored.upload.mime_type,
                "file_size": len(stored.upload.content)}

    # ---- HTTP ----------------------------------------------------------------------------------
    async def _read_params(self, request: web.Request) -> tuple[dict, dict[str, Upload]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, Upload] = {}
        if request.content_type == "application/json" and request.can_read_body:
            params.update(await request.json())
        elif request.can_read_body:  # form-urlencoded or multipart
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key] = Upload(value.filename, value.file.read(), value.content_type)
                else:
                    params[key] = value
        return _coerce(params), files

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        params, files = await self._read_params(request)
        call = ApiCall(request.match_info["method"], params, files)
        self._calls.append(call)
        try:
            handler = getattr(self, "_api_" + call.method.lower(), None)
            if handler is None:
                raise ApiError(404, "Not Found")
            self._inject_fault(call.method.lower(), params.get("chat_id"))
            result = handler(params, files)
            if asyncio.iscoroutine(result):
                result = await result
            call.status, call.response = 200, {"ok": True, "result": result}
        except BadRequest as error:
            call.status, call.response = 400, ApiError(400, f"Bad Request: {error}").body()
        except ApiError as error:
            call.status, call.response, call.injected = error.code, error.body(), error.injected
        except Exception as error:  # a bug in the fake: answer 500 and keep it for the fixture
            self.internal_errors.append(error)
            call.status, call.response = 500, ApiError(500, f"fake Bot API bug: {error!r}").body()
        self._notify()
        return web.json_response(call.response, status=call.status)

    def _inject_fault(self, method: str, chat_id: Any) -> None:
        for fault in self._faults:
            if fault["method"] in (method, "*") and fault["chat_id"] in (None, chat_id):
                fault["times"] -= 1
                self._faults = [f for f in self._faults if f["times"] > 0]
                raise fault["error"]
        if chat_id in self._blocked and method != "getchat":
            raise ApiError(403, "Forbidden: bot was blocked by the user", injected=True)

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        for stored in self.files.values():
            if stored.file_path == request.match_info["path"]:
                mime_type = stored.upload.mime_type or "application/octet-stream"
                return web.Response(body=stored.upload.content, content_type=mime_type)
        return web.json_response(ApiError(404, "Not Found").body(), status=404)

    # ---- Bot API methods: _api_<lowercased name>(params, files) -> result --------------------
    def _text(self, params: dict, key: str, mode_key: str, limit: int, too_long: str,
              empty: str | None = None) -> tuple[str, list[dict]]:
        return formatted_text(params.get(key), params.get(mode_key), limit=limit,
                              too_long=too_long, empty=empty,
                              strict_ampersand=self.strict_ampersand)

    def _send(self, method: str, params: dict, files: dict, plain: str | None, raw_key: str,
              **fields: Any) -> dict:
        chat_id, markup = params.get("chat_id"), params.get("reply_markup")
        self._chat(chat_id)
        check_reply_markup(markup)
        reply_to = params.get("reply_to_message_id") or (
            params.get("reply_parameters") or {}).get("message_id")
        if reply_to is not None:
            fields["reply_to_message"] = self._stored(chat_id, reply_to,
                                                      "message to be replied not found")
        if markup and "inline_keyboard" in markup:
            fields["reply_markup"] = markup
        return self._record(method, self._new_message(chat_id, self.bot_user["id"], **fields),
                            params, files, plain, raw_key)

    def _record(self, method: str, message: dict, params: dict, files: dict, plain: str | None,
                raw_key: str) -> dict:
        snapshot = copy.deepcopy(message)  # the record keeps the message as it was then
        self._sent.append(SentMessage(
            method, message["chat"]["id"], message["message_id"], plain, params.get(raw_key),
            params.get("parse_mode"), snapshot.get("reply_markup"), snapshot, params, files))
        return message

    def _api_sendmessage(self, params: dict, files: dict) -> dict:
        text, entities = self._text(params, "text", "parse_mode", 4096, "message is too long",
                                    empty="message text is empty")
        return self._send("sendMessage", params, files, text, "text", text=text,
                          **({"entities": entities} if entities else {}))

    def _media(self, method: str, key: str, params: dict, files: dict) -> dict:
        caption, entities = self._text(params, "caption", "parse_mode", 1024,
                                       "message caption is too long")
        value = params.get(key)
        upload = files.get(value[9:] if str(value).startswith("attach://") else key)
        if upload is not None:
            stored = self._store_file(key + "s", upload)
        elif isinstance(value, str) and value in self.files:  # resending by file_id
            stored = self.files[value]
        elif isinstance(value, str) and value.startswith(("http://", "https://")):
            stored = self._store_file(key + "s", Upload(value.rsplit("/", 1)[-1], b"", None))
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        media: Any = self._document_json(stored)
        if key == "photo":
            media = [{"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                      "width": 640, "height": 480, "file_size": len(stored.upload.content)}]
        fields: dict[str, Any] = {key: media}
        if caption:
            fields.update(caption=caption, **({"caption_entities": entities} if entities else {}))
        return self._send(method, params, files, caption, "caption", **fields)

    _api_sendphoto = functools.partialmethod(_media, "sendPhoto", "photo")
    _api_senddocument = functools.partialmethod(_media, "sendDocument", "document")

    def _api_sendpoll(self, params: dict, files: dict) -> dict:
        self._chat(params.get("chat_id"))
        options, correct = check_poll(params, self.max_poll_options)
        explanation, _ = self._text(params, "explanation", "explanation_parse_mode", 200,
                                    "poll explanation length must not exceed 200")
        if explanation.count("\n") > 2:
            raise ApiError(400, "Bad Request: poll explanation can't have more than 2 line feeds")
        poll = FakePoll(str(5_000_000_000 + next(self._ids)), params["chat_id"],
                        params["question"], options, params.get("type") or "regular",
                        params.get("is_anonymous", True) is not False,
                        bool(params.get("allows_multiple_answers")), correct, explanation or None,
                        is_closed=bool(params.get("is_closed")))
        message = self._send("sendPoll", params, files, poll.question, "question",
                             poll=poll.to_api())
        poll.message_id = message["message_id"]
        self.polls[poll.id] = poll
        return message

    def _api_stoppoll(self, params: dict, files: dict) -> dict:
        message = self._stored(params.get("chat_id"), params.get("message_id"),
                               "message with poll to stop not found")
        poll = self.polls[message["poll"]["id"]]
        if poll.is_closed:
            raise ApiError(400, "Bad Request: poll has already been closed")
        poll.is_closed = True
        message["poll"] = poll.to_api()
        return message["poll"]

    def _edit(self, method: str, params: dict, files: dict, **changes: Any) -> dict | bool:
        if params.get("inline_message_id"):
            return True  # inline messages are not stored; the call is still recorded
        message = self._stored(params.get("chat_id"), params.get("message_id"),
                               "message to edit not found")
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        # As on Telegram, an edit without reply_markup removes the inline keyboard.
        changes["reply_markup"] = markup if markup and "inline_keyboard" in markup else None
        if all(message.get(key) == value for key, value in changes.items()):
            raise BadRequest(NOT_MODIFIED)
        for key, value in changes.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = int(time.time())
        return self._record(method, message, params, files, message.get("text"), "text")

    def _api_editmessagetext(self, params: dict, files: dict) -> dict | bool:
        stored = self._messages.get((params.get("chat_id"), params.get("message_id")))
        if stored is not None and "text" not in stored:
            raise BadRequest("there is no text in the message to edit")
        text, entities = self._text(params, "text", "parse_mode", 4096, "message is too long",
                                    empty="message text is empty")
        return self._edit("editMessageText", params, files, text=text, entities=entities or None)

    def _api_editmessagereplymarkup(self, params: dict, files: dict) -> dict | bool:
        return self._edit("editMessageReplyMarkup", params, files)

    def _api_deletemessage(self, params: dict, files: dict) -> bool:
        key = (params.get("chat_id"), params.get("message_id"))
        self._stored(*key, "message to delete not found")
        del self._messages[key]
        self.deleted_messages.append(key)
        return True

    def _api_answercallbackquery(self, params: dict, files: dict) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._open_queries:
            raise BadRequest("query is too old and response timeout expired or query ID is "
                             "invalid")
        self._open_queries.discard(query_id)
        self.callback_answers.append(dict(params, callback_query_id=query_id))
        return True

    def _api_sendchataction(self, params: dict, files: dict) -> bool:
        self._chat(params.get("chat_id"))
        check_chat_action(params.get("action"))
        self.chat_actions.append((params["chat_id"], params["action"]))
        return True

    def _api_getfile(self, params: dict, files: dict) -> dict:
        stored = self.files.get(str(params.get("file_id")))
        if stored is None:
            raise BadRequest("invalid file_id")
        if len(stored.upload.content) > 20 * 2**20:
            raise BadRequest("file is too big")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.upload.content), "file_path": stored.file_path}

    def _api_getchat(self, params: dict, files: dict) -> dict:
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                               "premium_subscription", "gifts_from_channels"), False)
        return dict(self._chat(params.get("chat_id")), accent_color_id=0,
                    max_reaction_count=11, accepted_gift_types=gifts)

    def _api_getme(self, params: dict, files: dict) -> dict:
        return self.bot_user

    async def _api_getupdates(self, params: dict, files: dict) -> list[dict]:
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        if "allowed_updates" in params:  # applies to updates created from now on
            self._allowed_updates = set(params["allowed_updates"] or []) or None
        if offset:  # confirms (forgets) every earlier update; negative counts from the end
            self._updates = (self._updates[offset:] if offset < 0 else
                             [u for u in self._updates if u["update_id"] >= offset])
        self._poller += 1  # a newer getUpdates terminates this one, as on Telegram
        me = self._poller
        self._notify()
        await self._wait_until(lambda: self._updates or self._poller != me or self._closing,
                               float(params.get("timeout") or 0))
        if self._poller != me:
            raise ApiError(409, "Conflict: terminated by other getUpdates request; make sure "
                                "that only one bot instance is running")
        return self._updates[:min(max(int(params.get("limit") or 100), 1), 100)]

    def _api_setwebhook(self, params: dict, files: dict) -> bool:
        self.webhook_url = str(params.get("url") or "")
        return True

    def _api_deletewebhook(self, params: dict, files: dict) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_getwebhookinfo(self, params: dict, files: dict) -> dict:
        return {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    @staticmethod
    def _scope(params: dict) -> tuple[str, str]:
        return (params.get("scope") or {}).get("type", "default"), params.get("language_code", "")

    def _api_setmycommands(self, params: dict, files: dict) -> bool:
        check_commands(params.get("commands") or [])
        self.commands[self._scope(params)] = params.get("commands") or []
        return True

    def _api_getmycommands(self, params: dict, files: dict) -> list[dict]:
        return self.commands.get(self._scope(params), [])

    def _api_close(self, params: dict, files: dict) -> bool:
        return True

    _api_logout = _api_close


@contextlib.asynccontextmanager
async def polling(app: Any, timeout: int = 1):
    """Run a PTB Application against the fake as run_polling would (initialize, post_init,
    start, poll); shut it down (and post_shutdown) after."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=timeout)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
