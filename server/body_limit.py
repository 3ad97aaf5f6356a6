"""A cap on request bodies, enforced on the bytes received rather than on what Content-Length claims.

The whole body is read, up to the cap, before the application sees the request: an oversized one is
refused with 413 before authentication, the database session or any SQL, and a chunked body (no
Content-Length) is counted like any other. Every route reads its body whole anyway, so buffering here
costs nothing more.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.graphql_errors import graphql_error_response


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)  # refused without reading a byte of it
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left: nobody to answer
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, replay(bytes(body), receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = graphql_error_response(
            413, "server.body_too_large", {"maximum": self.max_bytes}, code="REQUEST_TOO_LARGE"
        )
        await response(scope, receive, send)


def replay(body: bytes, receive: Receive) -> Receive:
    """The body, read already, as one message; then the client's own messages (a disconnect, say)."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
