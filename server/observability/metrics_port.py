"""/metrics on a port of its own (MAILLAGE_METRICS_PORT): kept off the port the public reaches, and answered by a
thread of its own, so that a scrape is answered even while the event loop is busy."""

from __future__ import annotations

import socket
import threading

from prometheus_client import CollectorRegistry, make_wsgi_app
from prometheus_client.exposition import ThreadingWSGIServer, _SilentHandler


class MetricsServer:
    def __init__(self, sock: socket.socket, registry: CollectorRegistry) -> None:
        """Serves `registry` on `sock`, bound already (so that a busy port fails before anything slow)."""

        class Server(ThreadingWSGIServer):
            address_family = sock.family

        host, port = sock.getsockname()[:2]
        self._server = Server((host, port), _SilentHandler, bind_and_activate=False)
        self._server.socket.close()
        self._server.socket = sock
        self._server.server_address = sock.getsockname()
        self._server.server_name, self._server.server_port = host, port
        self._server.setup_environ()
        self._server.server_activate()
        self._server.set_app(make_wsgi_app(registry))
        self._thread = threading.Thread(target=self._server.serve_forever, name="maillage-metrics", daemon=True)

    def __enter__(self) -> MetricsServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
