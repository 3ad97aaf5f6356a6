"""The language of each request, from its `Accept-Language`: French unless English is preferred.

Set before anything else runs (authentication's refusals are worded in it too) and for the request's whole
life, WebSocket connections included; responses say which (`Content-Language`) and that it varies.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema.messages import LANGUAGE, negotiate


class Language:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        language = negotiate(Headers(scope=scope).get("accept-language"))
        scope.setdefault("state", {})["language"] = language

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Language", language)
                headers.add_vary_header("Accept-Language")
            await send(message)

        token = LANGUAGE.set(language)
        try:
            await self.app(scope, receive, send_with_language)
        finally:
            LANGUAGE.reset(token)
