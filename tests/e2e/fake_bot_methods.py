"""The fake's Bot API methods: `_api_<lowercased name>(params, files) -> result` (a mixin)."""

from __future__ import annotations

import copy
import functools
import time
from typing import Any

from tests.e2e.fake_bot_records import NOT_MODIFIED, ApiError, FakePoll, SentMessage, Upload
from tests.e2e.telegram_html import (
    BadRequest,
    check_chat_action,
    check_commands,
    check_poll,
    check_reply_markup,
    formatted_text,
)


class BotApiMethods:
    """What each Bot API method does to the fake's state (FakeBotApi holds that state)."""

    def _text(
        self,
        params: dict,
        key: str,
        mode_key: str,
        limit: int,
        too_long: str,
        empty: str | None = None,
    ) -> tuple[str, list[dict]]:
        return formatted_text(
            params.get(key),
            params.get(mode_key),
            limit=limit,
            too_long=too_long,
            empty=empty,
            strict_ampersand=self.strict_ampersand,
        )

    def _send(
        self, method: str, params: dict, files: dict, plain: str | None, raw_key: str, **fields: Any
    ) -> dict:
        chat_id, markup = params.get("chat_id"), params.get("reply_markup")
        self._chat(chat_id)
        check_reply_markup(markup)
        reply_to = params.get("reply_to_message_id") or (params.get("reply_parameters") or {}).get(
            "message_id"
        )
        if reply_to is not None:
            fields["reply_to_message"] = self._stored(
                chat_id, reply_to, "message to be replied not found"
            )
        if markup and "inline_keyboard" in markup:
            fields["reply_markup"] = markup
        return self._record(
            method,
            self._new_message(chat_id, self.bot_user["id"], **fields),
            params,
            files,
            plain,
            raw_key,
        )

    def _record(
        self, method: str, message: dict, params: dict, files: dict, plain: str | None, raw_key: str
    ) -> dict:
        snapshot = copy.deepcopy(message)  # the record keeps the message as it was then
        self._sent.append(
            SentMessage(
                method,
                message["chat"]["id"],
                message["message_id"],
                plain,
                params.get(raw_key),
                params.get("parse_mode"),
                snapshot.get("reply_markup"),
                snapshot,
                params,
                files,
            )
        )
        return message

    def _api_sendmessage(self, params: dict, files: dict) -> dict:
        text, entities = self._text(
            params, "text", "parse_mode", 4096, "message is too long", empty="message text is empty"
        )
        return self._send(
            "sendMessage",
            params,
            files,
            text,
            "text",
            text=text,
            **({"entities": entities} if entities else {}),
        )

    def _media(self, method: str, key: str, params: dict, files: dict) -> dict:
        caption, entities = self._text(
            params, "caption", "parse_mode", 1024, "message caption is too long"
        )
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
            media = [
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": 640,
                    "height": 480,
                    "file_size": len(stored.upload.content),
                }
            ]
        fields: dict[str, Any] = {key: media}
        if caption:
            fields.update(caption=caption, **({"caption_entities": entities} if entities else {}))
        return self._send(method, params, files, caption, "caption", **fields)

    _api_sendphoto = functools.partialmethod(_media, "sendPhoto", "photo")
    _api_senddocument = functools.partialmethod(_media, "sendDocument", "document")

    def _api_sendpoll(self, params: dict, files: dict) -> dict:
        self._chat(params.get("chat_id"))
        options, correct = check_poll(params, self.max_poll_options)
        explanation, _ = self._text(
            params,
            "explanation",
            "explanation_parse_mode",
            200,
            "poll explanation length must not exceed 200",
        )
        if explanation.count("\n") > 2:
            raise ApiError(400, "Bad Request: poll explanation can't have more than 2 line feeds")
        poll = FakePoll(
            str(5_000_000_000 + next(self._ids)),
            params["chat_id"],
            params["question"],
            options,
            params.get("type") or "regular",
            params.get("is_anonymous", True) is not False,
            bool(params.get("allows_multiple_answers")),
            correct,
            explanation or None,
            is_closed=bool(params.get("is_closed")),
        )
        message = self._send(
            "sendPoll", params, files, poll.question, "question", poll=poll.to_api()
        )
        poll.message_id = message["message_id"]
        self.polls[poll.id] = poll
        return message

    def _api_stoppoll(self, params: dict, files: dict) -> dict:
        message = self._stored(
            params.get("chat_id"), params.get("message_id"), "message with poll to stop not found"
        )
        poll = self.polls[message["poll"]["id"]]
        if poll.is_closed:
            raise ApiError(400, "Bad Request: poll has already been closed")
        poll.is_closed = True
        message["poll"] = poll.to_api()
        return message["poll"]

    def _edit(self, method: str, params: dict, files: dict, **changes: Any) -> dict | bool:
        if params.get("inline_message_id"):
            return True  # inline messages are not stored; the call is still recorded
        message = self._stored(
            params.get("chat_id"), params.get("message_id"), "message to edit not found"
        )
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
        text, entities = self._text(
            params, "text", "parse_mode", 4096, "message is too long", empty="message text is empty"
        )
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
            raise BadRequest("query is too old and response timeout expired or query ID is invalid")
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
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.upload.content),
            "file_path": stored.file_path,
        }

    def _api_getchat(self, params: dict, files: dict) -> dict:
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return dict(
            self._chat(params.get("chat_id")),
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types=gifts,
        )

    def _api_getme(self, params: dict, files: dict) -> dict:
        return self.bot_user

    async def _api_getupdates(self, params: dict, files: dict) -> list[dict]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        if "allowed_updates" in params:  # applies to updates created from now on
            self._allowed_updates = set(params["allowed_updates"] or []) or None
        if offset:  # confirms (forgets) every earlier update; negative counts from the end
            self._updates = (
                self._updates[offset:]
                if offset < 0
                else [u for u in self._updates if u["update_id"] >= offset]
            )
        self._poller += 1  # a newer getUpdates terminates this one, as on Telegram
        me = self._poller
        self._notify()
        await self._wait_until(
            lambda: self._updates or self._poller != me or self._closing,
            float(params.get("timeout") or 0),
        )
        if self._poller != me:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure "
                "that only one bot instance is running",
            )
        return self._updates[: min(max(int(params.get("limit") or 100), 1), 100)]

    def _api_setwebhook(self, params: dict, files: dict) -> bool:
        self.webhook_url = str(params.get("url") or "")
        return True

    def _api_deletewebhook(self, params: dict, files: dict) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_getwebhookinfo(self, params: dict, files: dict) -> dict:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

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
