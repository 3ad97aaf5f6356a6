"""The embedded PostgreSQL of the default set-up (the `pgserver` package), in a local data folder."""

from __future__ import annotations

import logging
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from db.errors import DatabaseSetupError

DATABASE_NAME = "maillage"

logger = logging.getLogger(__name__)


@dataclass
class EmbeddedPostgres:
    """A running embedded server; `stop()` shuts it down (also done at interpreter exit)."""

    data_dir: Path
    _server: Any

    def url(self, database: str = DATABASE_NAME) -> URL:
        return make_url(self._server.get_uri(database)).set(drivername="postgresql+asyncpg")

    def psql(self, command: str) -> str:
        return str(self._server.psql(command))

    def stop(self) -> None:
        self._server.cleanup()


def _check_folder(pgdata: Path) -> None:
    parent = pgdata.parent
    if parent.exists() and not parent.is_dir():
        raise DatabaseSetupError(f"the data folder {parent} is a file; set MAILLAGE_DATA_DIR to a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        probe = parent / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise DatabaseSetupError(
            f"cannot write to the data folder {parent} ({error.strerror}); "
            "set MAILLAGE_DATA_DIR to a writable folder or give this user write permission"
        ) from error
    if pgdata.exists() and any(pgdata.iterdir()) and not (pgdata / "PG_VERSION").exists():
        raise DatabaseSetupError(
            f"{pgdata} exists but is not a PostgreSQL data folder; move it away or choose another MAILLAGE_DATA_DIR"
        )


def start_embedded(data_dir: Path, *, database: str = DATABASE_NAME) -> EmbeddedPostgres:
    """Start (or join) the embedded server whose data lives in `data_dir/pgdata`; create `database`."""
    pgdata = (data_dir / "pgdata").resolve()
    _check_folder(pgdata)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its /tmp fallback is fine.
        warnings.simplefilter("ignore", UserWarning)
        import pgserver  # imported here: only the default set-up needs it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            server = pgserver.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, AssertionError) as error:
        log = pgdata / "log"
        raise DatabaseSetupError(f"the embedded PostgreSQL did not start in {pgdata}; see its log at {log}") from error
    embedded = EmbeddedPostgres(pgdata, server)
    exists = embedded.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        embedded.psql(f'CREATE DATABASE "{database}";')
        logger.info("created database %s in the embedded PostgreSQL", database)
    return embedded
