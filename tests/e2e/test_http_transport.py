"""The bot's aiohttp transport to the Bot API: PTB's contract, real sockets, no token in errors."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.http import AiohttpRequest, NotSent

TOKEN = "123456:SECRET-token-never-shown"


class TinyServer:
    """One aiohttp route on 127.0.0.1 whose behaviour each test chooses."""

    def __init__(self, handler) -> None:
        self._handler = handler
        self.url = ""

    async def __aenter__(self) -> TinyServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handler)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/bot{TOKEN}"
        return self

    async def __aexit__(self, *exc) -> None:
        await self._runner.cleanup()


async def _request(**kwargs) -> AiohttpRequest:
    request = AiohttpRequest(**kwargs)
    await request.initialize()
    return request


async def test_parameters_and_files_arrive_as_telegram_expects() -> None:
    seen: dict = {}

    async def handler(request: web.Request) -> web.Response:
        seen["content_type"] = request.content_type
        seen["user_agent"] = request.headers.get("User-Agent", "")
        if request.content_type == "application/json":
            seen["fields"] = await request.json()
        else:
            form = await request.post()
            seen["fields"] = {k: v for k, v in form.items() if isinstance(v, str)}
            upload = form.get("photo")
            if upload is not None:
                seen["file"] = (upload.filename, upload.file.read())
        return web.json_response({"ok": True, "result": True})

    async with TinyServer(handler) as server:
        request = await _request()
        try:
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("👍", callback_data="fb:1:1")]])
            data = RequestData(
                [
                    RequestParameter.from_input("chat_id", 7),
                    RequestParameter.from_input("text", "<b>ü</b> & co"),
                    RequestParameter.from_input("reply_markup", markup),
                ]
            )
            status, body = await request.do_request(f"{server.url}/sendMessage", "POST", data)
            assert status == 200 and json.loads(body)["ok"] is True
            assert seen["content_type"] == "application/json"
            assert seen["fields"] == {
                "chat_id": 7,
                "text": "<b>ü</b> & co",
                "reply_markup": {"inline_keyboard": [[{"text": "👍", "callback_data": "fb:1:1"}]]},
            }

            status, _ = await request.do_request(f"{server.url}/getMe", "POST")  # no parameters
            assert status == 200 and seen["content_type"] == "application/octet-stream"
            assert "python-telegram-bot" in seen["user_agent"]

            photo = InputFile(b"\x89PNG fake bytes", filename="chart.png")
            data = RequestData(
                [
                    RequestParameter.from_input("chat_id", 7),
                    RequestParameter.from_input("photo", photo),
                ]
            )
            status, _ = await request.do_request(f"{server.url}/sendPhoto", "POST", data)
            assert status == 200
            assert seen["content_type"] == "multipart/form-data"
            assert seen["file"] == ("chart.png", b"\x89PNG fake bytes")
            assert seen["fields"]["chat_id"] == "7"
        finally:
            await request.shutdown()


async def test_a_status_and_body_come_back_unchanged_for_ptb_to_judge() -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests",
                "parameters": {"retry_after": 1},
            },
            status=429,
        )

    async with TinyServer(handler) as server:
        request = await _request()
        try:
            status, body = await request.do_request(f"{server.url}/sendMessage", "POST")
            assert status == 429 and json.loads(body)["parameters"]["retry_after"] == 1
        finally:
            await request.shutdown()


async def test_a_slow_server_times_out() -> None:
    async def handler(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    async with TinyServer(handler) as server:
        request = await _request(read_timeout=0.2, write_timeout=0.0)
        try:
            with pytest.raises(TimedOut):
                await request.do_request(f"{server.url}/getMe", "POST")
        finally:
            await request.shutdown()


async def test_a_dropped_connection_is_a_network_error_without_the_token() -> None:
    async def handler(request: web.Request) -> web.Response:
        request.transport.close()  # hang up mid-request, as a crashing proxy would
        await asyncio.sleep(1)
        return web.Response()

    async with TinyServer(handler) as server:
        request = await _request()
        try:
            with pytest.raises(NetworkError) as caught:
                await request.do_request(f"{server.url}/getMe", "POST")
            assert "SECRET" not in str(caught.value) and "SECRET" not in repr(caught.value)
        finally:
            await request.shutdown()


async def test_nobody_listening_is_not_sent_without_the_token() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    request = await _request(connect_timeout=1.0)
    try:
        with pytest.raises(NotSent) as caught:  # a NetworkError that is safe to send again
            await request.do_request(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", "POST")
        assert "SECRET" not in str(caught.value)
    finally:
        await request.shutdown()


async def test_a_timeout_or_a_hang_up_after_sending_is_not_marked_unsent() -> None:
    arrived = asyncio.Event()

    async def handler(request: web.Request) -> web.Response:
        arrived.set()
        if request.query.get("hang_up"):
            request.transport.close()
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    async with TinyServer(handler) as server:
        request = await _request(read_timeout=0.2, write_timeout=0.0)
        try:
            for url in (f"{server.url}/sendMessage", f"{server.url}/sendMessage?hang_up=1"):
                arrived.clear()
                with pytest.raises(NetworkError) as caught:
                    await request.do_request(url, "POST")
                assert arrived.is_set() and not isinstance(caught.value, NotSent)
        finally:
            await request.shutdown()


async def test_unopened_or_closed_transport_refuses_clearly() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/botX/getMe", "POST")
    await request.initialize()
    await request.shutdown()
    await request.shutdown()  # twice is harmless
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/botX/getMe", "POST")


async def test_a_ptb_bot_talks_through_it(fake_api) -> None:
    bot = Bot(
        fake_api.token,
        base_url=fake_api.base_url,
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )
    async with bot:
        me = await bot.get_me()
        user = fake_api.user(4242)
        sent = await bot.send_message(user.chat_id, "<b>hello</b> there", parse_mode="HTML")
        assert me.is_bot and sent.text == "hello there"
        assert fake_api.sent_messages(user.chat_id)[-1].raw_text == "<b>hello</b> there"


async def test_the_proxy_from_the_environment_is_used(monkeypatch) -> None:
    seen: dict = {}

    async def proxy(request: web.Request) -> web.Response:
        seen["target"] = str(request.url)  # a proxy receives the absolute URL
        return web.json_response({"ok": True, "result": True})

    async with TinyServer(proxy) as server:
        proxy_url = server.url.split("/bot")[0]
        for name in ("HTTP_PROXY", "http_proxy"):
            monkeypatch.setenv(name, proxy_url)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        request = await _request()
        try:
            status, _ = await request.do_request(
                f"http://api.telegram.invalid/bot{TOKEN}/getMe", "POST"
            )
        finally:
            await request.shutdown()
    assert status == 200 and seen["target"].startswith("http://api.telegram.invalid/bot")
