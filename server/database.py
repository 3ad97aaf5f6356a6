"""Which PostgreSQL the process uses: the configured one, or the embedded one of the default set-up."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL

from db.embedded import start_embedded
from db.engine import database_url
from server.settings import Settings


@contextmanager
def resolve_database(settings: Settings) -> Iterator[URL]:
    """Yield the database URL; an embedded server started here is stopped on the way out."""
    if settings.database_url:
        yield database_url(settings.database_url)
        return
    embedded = start_embedded(settings.data_dir)
    try:
        yield embedded.url()
    finally:
        embedded.stop()
