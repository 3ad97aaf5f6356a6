"""Whether the process is shutting down: readiness says so before the service stops accepting requests."""

from __future__ import annotations


class Lifecycle:
    def __init__(self) -> None:
        self.shutting_down = False

    def begin_shutdown(self) -> None:
        self.shutting_down = True
