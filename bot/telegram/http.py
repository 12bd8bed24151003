"""PTB's transport to the Bot API over aiohttp instead of httpx.

Same contract as PTB's `HTTPXRequest` (parameters as JSON, multipart when files go up,
`TimedOut` / `NetworkError` on failure), at a fraction of the CPU per call: in a burst the bot's
event loop spent over half its time inside httpx/httpcore (benchmarks/bot_load.py, profiled).
"""

from __future__ import annotations

import json
import re

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# Bot API URLs carry the token (".../bot<token>/method"): never let one into an error message.
_TOKEN_IN_URL = re.compile(r"/bot[^/\s'\"]+")
_JSON = {"Content-Type": "application/json"}


class NotSent(NetworkError):
    """No connection to the Bot API could be made, so the request never left this machine:
    the one failure after which sending again cannot make Telegram deliver a message twice."""


def _timeout(value, default: float | None) -> float | None:
    return default if isinstance(value, type(BaseRequest.DEFAULT_NONE)) else value


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a bounded connection pool; created in `initialize`."""

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 8,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 30.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (aiohttp wants a running loop for that)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            # trust_env: HTTPS_PROXY / NO_PROXY are honoured, as PTB's httpx transport did.
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                skip_auto_headers=("Accept-Encoding",),
                trust_env=True,
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=BaseRequest.DEFAULT_NONE,
        write_timeout=BaseRequest.DEFAULT_NONE,
        connect_timeout=BaseRequest.DEFAULT_NONE,
        pool_timeout=BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """POST the parameters (multipart when files go up); return status and body."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = (
            request_data.multipart_data if request_data and request_data.contains_files else None
        )
        write = _timeout(write_timeout, self._media_write_timeout if files else self._write_timeout)
        read = _timeout(read_timeout, self._read_timeout)
        connect = _timeout(connect_timeout, self._connect_timeout)
        pool = _timeout(pool_timeout, self._pool_timeout)
        # aiohttp has no write timeout of its own: sending counts against the read budget too.
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=None if read is None else read + (write or 0.0),
        )
        headers = None
        if files:
            data = _form(request_data.json_parameters, files)
        elif request_data and request_data.parameters:
            # JSON, which Telegram accepts for every method without files: C-encoded, where
            # form encoding quotes an answer's text byte by byte in Python.
            data = json.dumps(request_data.parameters, ensure_ascii=False).encode("utf-8")
            headers = _JSON
        else:
            data = None
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except (aiohttp.ConnectionTimeoutError, aiohttp.ClientConnectorError) as err:
            # Before a byte was sent: no free pooled connection, refused, unreachable, DNS.
            raise NotSent(_describe(err, url)) from err
        except (TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise TimedOut from err  # maybe after Telegram acted on it
        except aiohttp.ClientError as err:
            raise NetworkError(_describe(err, url)) from err


def _describe(err: Exception, url: str) -> str:
    message = _TOKEN_IN_URL.sub("/bot<token>", str(err).replace(url, "<Bot API>"))
    return f"aiohttp.{err.__class__.__name__}: {message}"


def _form(fields: dict[str, str] | None, files: dict) -> aiohttp.FormData:
    form = aiohttp.FormData(quote_fields=False)
    for name, value in (fields or {}).items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
