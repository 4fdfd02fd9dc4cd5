"""What every HTTP request and WebSocket meets before the app: size, content type, origin, caching.

A pure ASGI middleware, so an oversized body is refused before anything reads it, and a WebSocket
from another site is closed before it is accepted.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

from server import limits

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The largest request body the API takes: a new session is a few hundred bytes.
MAX_BODY_BYTES = 64 * 1024
# Pages and assets a browser may keep; everything else (the API, session pages, exports) can carry a token.
CACHEABLE_PREFIXES = ("/static/",)
WRITES = ("POST", "PUT", "PATCH", "DELETE")
TOO_LARGE = f"request bodies are limited to {MAX_BODY_BYTES // 1024} KiB"


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def same_origin(origin: str, host: str, allowed: tuple[str, ...]) -> bool:
    """A browser's Origin matches the host it asked, or one the operator allowed; no Origin is not a browser."""
    if not origin:
        return True
    if origin in allowed:
        return True
    return urlsplit(origin).netloc.lower() == host.lower()


async def _reply(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Edge:
    def __init__(self, app: ASGIApp, allowed_origins: tuple[str, ...] = ()) -> None:
        self.app = app
        self.allowed = allowed_origins

    def _same_origin(self, headers: dict[str, str]) -> bool:
        return same_origin(headers.get("origin", ""), headers.get("host", ""), self.allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            if not self._same_origin(_headers(scope)):
                await send({"type": "websocket.close", "code": 4403, "reason": "cross-origin WebSocket refused"})
                return
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if scope["method"] in WRITES:
            if not self._same_origin(headers):
                await _reply(send, 403, "cross-origin request refused")
                return
            length = headers.get("content-length", "")
            if length.isdigit() and int(length) > MAX_BODY_BYTES:
                await _reply(send, 413, TOO_LARGE)
                return
            kind = headers.get("content-type", "").split(";")[0].strip().lower()
            if (length not in ("", "0") or "transfer-encoding" in headers) and kind != "application/json":
                await _reply(send, 415, "send JSON (Content-Type: application/json)")
                return
        await self._forward(scope, receive, send)

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        cacheable = scope["path"].startswith(CACHEABLE_PREFIXES)
        if scope["method"] in WRITES:
            # A chunked body has no Content-Length to refuse up front: read it, up to the cap, before the app.
            body = bytearray()
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client left
                body += message.get("body", b"")
                if len(body) > MAX_BODY_BYTES:
                    await _reply(send, 413, TOO_LARGE)
                    return
                if not message.get("more_body", False):
                    break
            replayed = False

            async def buffered() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": bytes(body), "more_body": False}
                return await receive()

            receive = buffered

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start" and not cacheable:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                message["headers"] = [*headers, (b"cache-control", b"no-store")]
            await send(message)

        await self.app(scope, receive, marked)


def throttle(bucket: limits.PerClient, request: Request, what: str) -> None:
    """429 once a client address has spent its allowance."""
    if not bucket.take(request.client.host if request.client else "?"):
        raise HTTPException(status_code=429, detail=f"too many {what}; wait a little", headers={"Retry-After": "5"})
