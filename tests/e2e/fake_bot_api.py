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
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from aiohttp import web

from tests.e2e.fake_bot_methods import BotApiMethods
from tests.e2e.fake_bot_records import (  # noqa: F401 - re-exported for tests
    BOT_USER,
    NOT_BY_DEFAULT,
    TOKEN,
    ApiCall,
    ApiError,
    FakePoll,
    SentMessage,
    StoredFile,
    Upload,
    _coerce,
)
from tests.e2e.telegram_html import BadRequest, detect_entities


class FakeUser:
    """A user of the fake: its update helpers without the user_id argument, and its chat."""

    _BOUND = frozenset({"press_button", "answer_poll", "member_status"})

    def __init__(self, api: FakeBotApi, user_id: int, chat: dict) -> None:
        self.api, self.id, self.chat_id, self.chat_type = api, user_id, chat["id"], chat["type"]

    def __getattr__(self, name: str) -> Callable:
        if name in ("send_text", "send_document"):  # into this user's chat unless told otherwise
            return functools.partial(
                getattr(self.api, name), self.id, chat_id=self.chat_id, chat_type=self.chat_type
            )
        if name in self._BOUND:
            return functools.partial(getattr(self.api, name), self.id)
        raise AttributeError(name)

    def messages(self) -> list[SentMessage]:
        return self.api.sent_messages(self.chat_id)


class FakeBotApi(BotApiMethods):
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
        self._slow: list[dict] = []
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
    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str = "en",
        chat_type: str = "private",
        chat_id: int | None = None,
    ) -> FakeUser:
        user = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        user.update({k: v for k, v in (("username", username), ("last_name", last_name)) if v})
        self._users[user_id] = user
        return FakeUser(self, user_id, self._register_chat(user_id, chat_id, chat_type))

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to_message_id: int | None = None,
    ) -> dict:
        """A text message (/commands and @mentions get their entities); returns the Message."""
        chat = self._register_chat(user_id, chat_id, chat_type)
        fields: dict[str, Any] = {"text": text}
        if entities := detect_entities(text):
            fields["entities"] = entities
        if reply_to_message_id is not None:
            fields["reply_to_message"] = self._visible(chat["id"], reply_to_message_id)
        return self._enqueue("message", self._new_message(chat["id"], user_id, **fields))

    def send_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        *,
        caption: str | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> dict:
        """A document message; getFile and the file download then serve `content`."""
        chat = self._register_chat(user_id, chat_id, chat_type)
        stored = self._store_file("documents", Upload(filename, content, mime_type))
        fields: dict[str, Any] = {"document": self._document_json(stored)}
        if caption:
            fields.update(caption=caption, caption_entities=detect_entities(caption))
        return self._enqueue("message", self._new_message(chat["id"], user_id, **fields))

    def press_button(
        self, user_id: int, message: SentMessage | dict | int, callback_data: str
    ) -> str:
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
            raise AssertionError(
                f"message {message_id} has no button with callback_data "
                f"{callback_data!r}; its keyboard is {rows}"
            )
        query_id = str(next(self._ids) * 1_000_003)
        self._open_queries.add(query_id)
        self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": self._users[user_id],
                "chat_instance": str(chat_id),
                "message": current,
                "data": callback_data,
            },
        )
        return query_id

    def answer_poll(self, user_id: int, poll_id: str, option_ids: list[int]) -> dict:
        """The user votes in a (non-anonymous, open) poll: a poll_answer update."""
        poll = self.polls[poll_id]
        if poll.is_closed or poll.is_anonymous:
            raise AssertionError(f"poll {poll_id} is closed or anonymous: no poll_answer update")
        if user_id in poll.answers and poll.type == "quiz":
            raise AssertionError("a quiz answer cannot be changed")
        if not all(0 <= i < len(poll.options) for i in option_ids) or (
            len(option_ids) > 1 and not poll.allows_multiple_answers
        ):
            raise AssertionError(f"invalid option_ids {option_ids} for poll {poll_id}")
        poll.answers[user_id] = list(option_ids)
        return self._enqueue(
            "poll_answer",
            {
                "poll_id": poll_id,
                "user": self._users[user_id],
                "option_ids": list(option_ids),
                "option_persistent_ids": [str(i) for i in option_ids],
            },
        )

    def member_status(self, user_id: int, status: str = "kicked") -> dict:
        """The user blocks ("kicked") or restarts ("member") the bot: a my_chat_member update.
        "kicked" also blocks the chat (sends answer 403) and "member" unblocks it."""
        chat = self._private_chat(user_id)
        old = "kicked" if chat["id"] in self._blocked else "member"
        (self.block if status == "kicked" else self.unblock)(chat["id"])

        def member(state: str) -> dict:
            return {
                "status": state,
                "user": self.bot_user,
                **({"until_date": 0} if state == "kicked" else {}),
            }

        return self._enqueue(
            "my_chat_member",
            {
                "chat": chat,
                "from": self._users[user_id],
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(status),
            },
        )

    # ---- fault injection ---------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        chat_id: int | None = None,
        description: str | None = None,
    ) -> None:
        """The next `times` calls of `method` ("*" = any), optionally only those for `chat_id`,
        answer `status` (429 carries parameters.retry_after) instead of doing anything."""
        description = description or {
            429: f"Too Many Requests: retry after {retry_after}",
            403: "Forbidden: bot was blocked by the user",
            400: "Bad Request",
        }.get(status, HTTPStatus(status).phrase)
        error = ApiError(status, description, retry_after if status == 429 else None, True)
        self._faults.append(
            {"method": method.lower(), "chat_id": chat_id, "times": times, "error": error}
        )

    def slow_next(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` are carried out at once but answered `seconds`
        later, as when Telegram is slow: the bot may time out although the message arrived."""
        self._slow.append({"method": method.lower(), "times": times, "seconds": seconds})

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

    def sent_messages(
        self,
        chat_id: int | None = None,
        method: str | None = None,
    ) -> list[SentMessage]:
        return [
            m for m in self._sent if chat_id in (None, m.chat_id) and method in (None, m.method)
        ]

    def message(self, chat_id: int, message_id: int) -> dict | None:
        """A message as it is now (after edits), or None if deleted or unknown."""
        return self._messages.get((chat_id, message_id))

    @property
    def pending_updates(self) -> list[dict]:
        return list(self._updates)

    async def take_updates(self, timeout: float) -> list[dict]:
        """Wait for queued updates and remove them from the queue (for a test that pushes them
        to webhooks itself, as Telegram does, instead of letting a bot poll them)."""
        await self._wait_until(lambda: self._updates, timeout)
        taken, self._updates = self._updates, []
        return taken

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float = 10, method: str | None = None
    ) -> list[SentMessage]:
        """All messages to `chat_id` (sends and edits, or only `method`) once there are `count`."""
        if not await self._wait_until(
            lambda: len(self.sent_messages(chat_id, method)) >= count, timeout
        ):
            got = [(m.method, m.text) for m in self.sent_messages(chat_id, method)]
            errors = [(c.method, c.status, c.response.get("description")) for c in self.failures()]
            raise AssertionError(
                f"expected {count} messages to chat {chat_id} within "
                f"{timeout}s, got {got}; failed calls: {errors}"
            )
        return self.sent_messages(chat_id, method)

    async def wait_for_calls(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10,
    ) -> list[ApiCall]:
        if not await self._wait_until(lambda: len(self.calls(method)) >= count, timeout):
            raise AssertionError(
                f"expected {count} {method} calls within {timeout}s, got {len(self.calls(method))}"
            )
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
        allowed = (
            kind in self._allowed_updates if self._allowed_updates else kind not in NOT_BY_DEFAULT
        )
        (self._updates if allowed else self.dropped_updates).append(update)
        self._notify()
        return payload

    def _register_chat(self, user_id: int, chat_id: int | None, chat_type: str) -> dict:
        if user_id not in self._users:
            self.user(user_id)
        if chat_type == "private":
            return self._private_chat(user_id)
        chat_id = chat_id if chat_id is not None else -1_000_000_000_000 - user_id
        return self._chats.setdefault(
            chat_id, {"id": chat_id, "type": chat_type, "title": f"Test {chat_type} {chat_id}"}
        )

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
        message = {
            "message_id": message_id,
            "from": sender,
            "chat": self._chats[chat_id],
            "date": int(time.time()),
            **fields,
        }
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
        stored = StoredFile(
            f"FILE-{number:06d}-{folder}",
            f"U{number:06d}",
            f"{folder}/file_{number}.{suffix}",
            upload,
        )
        self.files[stored.file_id] = stored
        return stored

    @staticmethod
    def _document_json(stored: StoredFile) -> dict:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.upload.filename,
            "mime_type": stored.upload.mime_type,
            "file_size": len(stored.upload.content),
        }

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
        if delay := self._answer_delay(call.method.lower()):
            await asyncio.sleep(delay)  # done already; only the answer is late
        return web.json_response(call.response, status=call.status)

    def _answer_delay(self, method: str) -> float:
        for slow in self._slow:
            if slow["method"] == method:
                slow["times"] -= 1
                self._slow = [s for s in self._slow if s["times"] > 0]
                return slow["seconds"]
        return 0.0

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
