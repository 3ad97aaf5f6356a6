"""The cheapest HTTP/1.1 server asyncio allows: one fixed JSON answer to every request, keep-alive.

    python -m bench.trivial PORT

Run by `bench.clientcost` to see how many requests per second a load client can drive and what CPU
it takes doing so, against a server that costs almost nothing per request.
"""

from __future__ import annotations

import asyncio
import signal
import sys

_BODY = b'{"data":{"ok":true}}'
_ANSWER = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
    + str(len(_BODY)).encode()
    + b"\r\n\r\n"
    + _BODY
)
_END_OF_HEAD = b"\r\n\r\n"


class _Answer(asyncio.Protocol):
    def __init__(self) -> None:
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        answers = 0
        while (end := self._buffer.find(_END_OF_HEAD)) >= 0:
            head = self._buffer[:end].lower()
            length = 0
            if (start := head.find(b"content-length:")) >= 0:
                length = int(head[start + 15 :].split(b"\r\n", 1)[0])
            whole = end + len(_END_OF_HEAD) + length
            if len(self._buffer) < whole:
                break
            self._buffer = self._buffer[whole:]
            answers += 1
        if answers and self._transport:
            self._transport.write(_ANSWER * answers)


async def _serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Answer, "127.0.0.1", port)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(_serve(int(sys.argv[1])))
